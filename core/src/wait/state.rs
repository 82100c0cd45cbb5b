//! Where each target of a wait stands: what a wait reports when it ends
//! early ([`WaitStates`], carried by `Error::WaitTimeout` and
//! `Error::Cancelled`), and what a wait on resources' actions yields. A leaf
//! of the module graph: the errors depend on it, it depends on the models
//! only.

use std::fmt;
use std::net::IpAddr;

use serde::Serialize;

use crate::models::{Action, Droplet, FloatingIp, Image, Volume};
use crate::target::ActionTarget;

/// What one target of a wait is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Target {
    /// The account as a whole: a wait on its most recent action.
    Account,
    /// A droplet, by id.
    Droplet(u64),
    /// An action, by id.
    Action(u64),
    /// An image, by id.
    Image(u64),
    /// A floating IP, by address.
    FloatingIp(IpAddr),
    /// A reserved IP, by address.
    ReservedIp(IpAddr),
    /// A block storage volume, by id.
    Volume(String),
    /// A load balancer, by id.
    LoadBalancer(String),
}

impl Target {
    /// What an [`ActionTarget`] names.
    pub fn of(target: &ActionTarget) -> Target {
        match target {
            ActionTarget::Account => Target::Account,
            ActionTarget::Droplet(id) => Target::Droplet(*id),
            ActionTarget::Image(id) => Target::Image(*id),
            ActionTarget::FloatingIp(ip) => Target::FloatingIp(*ip),
            ActionTarget::ReservedIp(ip) => Target::ReservedIp(*ip),
            ActionTarget::Volume(id) => Target::Volume(id.clone()),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Account => f.write_str("the account"),
            Target::Droplet(id) => write!(f, "droplet {id}"),
            Target::Action(id) => write!(f, "action {id}"),
            Target::Image(id) => write!(f, "image {id}"),
            Target::FloatingIp(ip) => write!(f, "floating IP {ip}"),
            Target::ReservedIp(ip) => write!(f, "reserved IP {ip}"),
            Target::Volume(id) => write!(f, "volume {}", crate::text::Safe::new(id)),
            Target::LoadBalancer(id) => {
                write!(f, "load balancer {}", crate::text::Safe::new(id))
            }
        }
    }
}

/// A resource as a wait last saw it. Serializes as the resource's own JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Resource {
    /// A droplet.
    Droplet(Box<Droplet>),
    /// An image.
    Image(Box<Image>),
    /// A floating IP.
    FloatingIp(Box<FloatingIp>),
    /// A reserved IP (the same model as a floating IP).
    ReservedIp(Box<FloatingIp>),
    /// A block storage volume.
    Volume(Box<Volume>),
    /// A resource of a kind generated from the spec (a load balancer), as
    /// its JSON.
    Json(Box<serde_json::Value>),
}

/// One target of a wait, as last seen.
///
/// - A wait on droplets: `resource` is the droplet as last polled.
/// - A wait on actions: `action` is the action as last polled.
/// - A wait on resources' most recent actions: `action` is that action as
///   last polled, and `resource` the resource fetched once the action is
///   done (`None` while pending, or if it no longer existed then: the
///   action deleted it).
///
/// Both are `None` for a target not seen yet (not polled yet, or every
/// poll answered `404`).
#[derive(Debug, Clone, PartialEq)]
pub struct TargetState {
    /// What the target is.
    pub target: Target,
    /// The resource, as last seen.
    pub resource: Option<Resource>,
    /// The action, as last seen.
    pub action: Option<Action>,
}

impl TargetState {
    /// A target not seen yet.
    pub fn unseen(target: Target) -> Self {
        TargetState {
            target,
            resource: None,
            action: None,
        }
    }
}

/// Where a wait stood when it ended early: carried by `Error::WaitTimeout`
/// and `Error::Cancelled`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitStates {
    /// The targets that finished, in the order they did.
    pub finished: Vec<TargetState>,
    /// The targets still pending, in the order given, as last seen.
    pub pending: Vec<TargetState>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_say_what_they_are() {
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(Target::Droplet(5).to_string(), "droplet 5");
        assert_eq!(Target::Action(7).to_string(), "action 7");
        assert_eq!(
            Target::of(&ActionTarget::FloatingIp(ip)).to_string(),
            "floating IP 192.0.2.1"
        );
        assert_eq!(Target::of(&ActionTarget::Account), Target::Account);
        assert_eq!(
            Target::of(&ActionTarget::ReservedIp(ip)).to_string(),
            "reserved IP 192.0.2.1"
        );
        let volume = ActionTarget::Volume("506f78a4-e098".into());
        assert_eq!(Target::of(&volume).to_string(), "volume 506f78a4-e098");
    }
}
