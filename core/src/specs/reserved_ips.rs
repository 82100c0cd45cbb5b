//! The bodies of a reserved IP's create and actions.

use std::net::IpAddr;

use crate::api::reserved_ip_actions::{
    ReservedIpActionAssign, ReservedIpActionUnassign, ReservedIpActionUnassignType,
    ReservedIpsActionsPost, ReservedIpsActionsPostBody,
};
use crate::api::reserved_ips::{
    ReservedIpCreate, ReservedIpCreateDropletId, ReservedIpCreateRegion, ReservedIpsCreate,
};
use crate::endpoints::FloatingIpTarget;
use crate::specs::check::{non_empty, signed, Checked};

/// Reserves an IP for a droplet (assigned at once) or in a region
/// (unassigned): `POST /v2/reserved_ips`, refused before sending for an
/// empty region or a droplet id out of range.
pub fn create(target: FloatingIpTarget) -> Checked<ReservedIpsCreate> {
    let (body, check) = match target {
        FloatingIpTarget::Droplet(id) => {
            let droplet_id = signed("droplet id", id);
            let body = ReservedIpCreateDropletId {
                droplet_id: droplet_id.clone().ok(),
                ..ReservedIpCreateDropletId::default()
            };
            (ReservedIpCreate::DropletId(body), droplet_id.map(drop))
        }
        FloatingIpTarget::Region(region) => {
            let check = non_empty("region", &region);
            let body = ReservedIpCreateRegion {
                region: Some(region),
                ..ReservedIpCreateRegion::default()
            };
            (ReservedIpCreate::Region(body), check)
        }
    };
    Checked::new(ReservedIpsCreate { body }, [check])
}

/// Assigns a reserved IP to a droplet:
/// `POST /v2/reserved_ips/{ip}/actions` with type `assign`.
pub fn assign(ip: IpAddr, droplet_id: u64) -> Checked<ReservedIpsActionsPost> {
    let id = signed("droplet id", droplet_id);
    let body = ReservedIpActionAssign {
        droplet_id: id.clone().ok(),
        kind: Some(ReservedIpActionUnassignType::Assign),
        ..ReservedIpActionAssign::default()
    };
    let op = ReservedIpsActionsPost {
        reserved_ip: ip,
        body: Some(ReservedIpsActionsPostBody::ReservedIpActionAssign(body)),
    };
    Checked::new(op, [id.map(drop)])
}

/// Unassigns a reserved IP:
/// `POST /v2/reserved_ips/{ip}/actions` with type `unassign`.
pub fn unassign(ip: IpAddr) -> Checked<ReservedIpsActionsPost> {
    let body = ReservedIpActionUnassign {
        kind: Some(ReservedIpActionUnassignType::Unassign),
        ..ReservedIpActionUnassign::default()
    };
    let op = ReservedIpsActionsPost {
        reserved_ip: ip,
        body: Some(ReservedIpsActionsPostBody::ReservedIpActionUnassign(body)),
    };
    Checked::new(op, [])
}
