//! What has actions: the account, or a resource (a leaf of the module
//! graph, shared by the operations and the waits).

use std::net::{IpAddr, Ipv4Addr};

use crate::models::{Action, ResourceType};

/// What has actions: the account as a whole, or one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionTarget {
    /// Every action of the account.
    Account,
    /// A droplet, by id.
    Droplet(u64),
    /// An image, by id.
    Image(u64),
    /// A floating IP, by address.
    FloatingIp(IpAddr),
}

impl ActionTarget {
    /// The resource an action is about (doapi's `Action.fetch_resource`
    /// target), if it is a droplet, an image or a floating IP. A floating
    /// IP's actions name it by its IPv4 address as a number.
    pub fn of(action: &Action) -> Option<ActionTarget> {
        let id = action.resource_id?;
        match action.resource_type.as_ref()? {
            ResourceType::Droplet => Some(ActionTarget::Droplet(id)),
            ResourceType::Image => Some(ActionTarget::Image(id)),
            ResourceType::FloatingIp | ResourceType::ReservedIp => {
                let n = u32::try_from(id).ok()?;
                Some(ActionTarget::FloatingIp(IpAddr::V4(Ipv4Addr::from(n))))
            }
            _ => None,
        }
    }

    /// The path of the target's action listing.
    pub fn actions_path(&self) -> String {
        match self {
            ActionTarget::Account => "/v2/actions".into(),
            ActionTarget::Droplet(id) => format!("/v2/droplets/{id}/actions"),
            ActionTarget::Image(id) => format!("/v2/images/{id}/actions"),
            ActionTarget::FloatingIp(ip) => format!("/v2/floating_ips/{ip}/actions"),
        }
    }
}
