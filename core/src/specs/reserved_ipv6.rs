//! The bodies of a reserved IPv6's create and actions.

use std::net::IpAddr;

use crate::api::reserved_ipv6::{ReservedIPv6Create, ReservedIpv6Create};
use crate::api::reserved_ipv6_actions::{
    ReservedIPv6ActionsPost, ReservedIPv6ActionsPostBody, ReservedIpActionUnassignType,
    ReservedIpv6ActionAssign, ReservedIpv6ActionUnassign,
};
use crate::error::RequestError;
use crate::specs::check::{non_empty, signed, Checked};

/// Refuses an IPv4 address where a reserved IPv6 is named.
pub fn v6(ip: IpAddr) -> Result<(), RequestError> {
    match ip {
        IpAddr::V6(_) => Ok(()),
        IpAddr::V4(_) => Err(RequestError::InvalidArgument {
            what: "reserved IPv6",
            reason: format!("{ip} is an IPv4 address"),
        }),
    }
}

/// Reserves an IPv6 in a region: `POST /v2/reserved_ipv6`, refused
/// before sending for an empty region.
pub fn create(region: String) -> Checked<ReservedIPv6Create> {
    let check = non_empty("region", &region);
    let body = ReservedIpv6Create {
        region_slug: Some(region),
        ..ReservedIpv6Create::default()
    };
    Checked::new(ReservedIPv6Create { body }, [check])
}

/// Assigns a reserved IPv6 to a droplet:
/// `POST /v2/reserved_ipv6/{ip}/actions` with type `assign`.
pub fn assign(ip: IpAddr, droplet_id: u64) -> Checked<ReservedIPv6ActionsPost> {
    let id = signed("droplet id", droplet_id);
    let body = ReservedIpv6ActionAssign {
        droplet_id: id.clone().ok(),
        kind: Some(ReservedIpActionUnassignType::Assign),
        ..ReservedIpv6ActionAssign::default()
    };
    let op = ReservedIPv6ActionsPost {
        reserved_ipv6: ip,
        body: Some(ReservedIPv6ActionsPostBody::ReservedIpv6ActionAssign(body)),
    };
    Checked::new(op, [v6(ip), id.map(drop)])
}

/// Unassigns a reserved IPv6:
/// `POST /v2/reserved_ipv6/{ip}/actions` with type `unassign`.
pub fn unassign(ip: IpAddr) -> Checked<ReservedIPv6ActionsPost> {
    let body = ReservedIpv6ActionUnassign {
        kind: Some(ReservedIpActionUnassignType::Unassign),
        ..ReservedIpv6ActionUnassign::default()
    };
    let op = ReservedIPv6ActionsPost {
        reserved_ipv6: ip,
        body: Some(ReservedIPv6ActionsPostBody::ReservedIpv6ActionUnassign(
            body,
        )),
    };
    Checked::new(op, [v6(ip)])
}
