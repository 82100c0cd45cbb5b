//! The ergonomic layer over the generated operations of the droplet's
//! neighbours (reserved IPs, volumes, snapshots, firewalls, VPCs, projects,
//! load balancers) and of the droplet area's own (backup policies, destroy
//! with associated resources: [`droplets`]): builders for their create bodies, the checks made
//! before anything is sent, and small wrappers of a generated
//! operation, so that each operation keeps its one definition in
//! [`crate::api`].
//!
//! - [`Checked`]: a generated operation with what a builder found wrong
//!   in its input (a volume of 0 GiB, an empty region, an empty id), which
//!   refuses it with a typed [`RequestError`](crate::error::RequestError)
//!   before it is sent;
//! - [`Keyed`]: a generated operation whose answer is decoded as a
//!   hand-made model (an [`Action`](crate::models::Action), a reserved IP)
//!   under a key of the body, for the waits and the named methods of
//!   [`Api`](crate::client::Api); [`KeyedList`], the same for a listing.

mod check;
#[cfg(feature = "droplets")]
pub mod droplets;
#[cfg(feature = "firewalls")]
pub mod firewalls;
#[cfg(feature = "load_balancers")]
pub mod load_balancers;
#[cfg(any(feature = "vpcs", feature = "projects"))]
pub mod networks;
#[cfg(all(feature = "reserved_ips", feature = "reserved_ip_actions"))]
pub mod reserved_ips;
#[cfg(all(feature = "reserved_ipv6", feature = "reserved_ipv6_actions"))]
pub mod reserved_ipv6;
#[cfg(feature = "block_storage")]
pub mod volumes;

#[cfg(feature = "firewalls")]
pub use firewalls::{FirewallSpec, Rule};
#[cfg(feature = "load_balancers")]
pub use load_balancers::LoadBalancerSpec;
#[cfg(feature = "projects")]
pub use networks::ProjectSpec;
#[cfg(feature = "vpcs")]
pub use networks::VpcSpec;
#[cfg(feature = "block_storage")]
pub use volumes::VolumeSpec;

pub use check::*;

/// The URNs that name resources in a project (`do:<kind>:<id>`).
pub mod urn {
    use std::net::IpAddr;

    /// A droplet's URN.
    pub fn droplet(id: u64) -> String {
        format!("do:droplet:{id}")
    }

    /// A volume's URN.
    pub fn volume(id: &str) -> String {
        format!("do:volume:{id}")
    }

    /// A reserved (floating) IP's URN: DigitalOcean names them by their
    /// old name.
    pub fn reserved_ip(ip: IpAddr) -> String {
        format!("do:floatingip:{ip}")
    }

    /// A load balancer's URN.
    pub fn load_balancer(id: &str) -> String {
        format!("do:loadbalancer:{id}")
    }

    /// A domain's URN.
    pub fn domain(name: &str) -> String {
        format!("do:domain:{name}")
    }
}
