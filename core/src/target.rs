//! What has actions: the account, or a resource (a leaf of the module
//! graph, shared by the operations and the waits).

use std::net::{IpAddr, Ipv4Addr};

use crate::models::{Action, ResourceType};
use crate::url::segment;

/// What has actions: the account as a whole, or one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionTarget {
    /// Every action of the account.
    Account,
    /// A droplet, by id.
    Droplet(u64),
    /// An image, by id.
    Image(u64),
    /// A floating IP, by address (the deprecated name of a reserved IP:
    /// `/v2/floating_ips`).
    FloatingIp(IpAddr),
    /// A reserved IP, by address (`/v2/reserved_ips`).
    ReservedIp(IpAddr),
    /// A block storage volume, by id.
    Volume(String),
}

impl ActionTarget {
    /// The resource an action is about (doapi's `Action.fetch_resource`
    /// target), if it is a droplet, an image or a floating or reserved IP.
    /// An IP's actions name it by its IPv4 address as a number. A volume's
    /// actions do not name it (their `resource_id` is a number, a volume's
    /// id a UUID), so they give `None`.
    pub fn of(action: &Action) -> Option<ActionTarget> {
        let id = action.resource_id?;
        let ipv4 = || {
            let n = u32::try_from(id).ok()?;
            Some(IpAddr::V4(Ipv4Addr::from(n)))
        };
        match action.resource_type.as_ref()? {
            ResourceType::Droplet => Some(ActionTarget::Droplet(id)),
            ResourceType::Image => Some(ActionTarget::Image(id)),
            ResourceType::FloatingIp => ipv4().map(ActionTarget::FloatingIp),
            ResourceType::ReservedIp => ipv4().map(ActionTarget::ReservedIp),
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
            ActionTarget::ReservedIp(ip) => format!("/v2/reserved_ips/{ip}/actions"),
            ActionTarget::Volume(id) => format!("/v2/volumes/{}/actions", segment(id)),
        }
    }
}
