//! Floating IPs and their actions.

use std::net::IpAddr;

use http::Method;
use serde::Serialize;
use serde_json::{json, Value};

use super::common::{json as to_json, non_empty};
use crate::endpoint::decode;
use crate::endpoint::Endpoint;
use crate::error::{DecodeError, RequestError};
use crate::models::{Action, FloatingIp};

endpoint! {
    /// Fetch a floating IP by address (doapi `fetch_floating_ip`).
    GetFloatingIp { /** The address. */ ip: IpAddr } GET "/v2/floating_ips/{ip}" => one FloatingIp, "floating_ip";
    /// Every floating IP (doapi `fetch_all_floating_ips`).
    ListFloatingIps {} GET "/v2/floating_ips" => page FloatingIp, "floating_ips";
    /// Release a floating IP (doapi `FloatingIP.delete`).
    DeleteFloatingIp { /** The address. */ ip: IpAddr } DELETE "/v2/floating_ips/{ip}" => empty;
    /// The actions of a floating IP (doapi `FloatingIP.fetch_all_actions`).
    ListFloatingIpActions { /** The address. */ ip: IpAddr }
        GET "/v2/floating_ips/{ip}/actions" => page Action, "actions";
}

/// Where a new floating IP goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FloatingIpTarget {
    /// Assigned to a droplet at once.
    Droplet(u64),
    /// Reserved in a region, unassigned.
    Region(String),
}

/// Reserve a floating IP (doapi `create_floating_ip`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateFloatingIp {
    /// For a droplet, or in a region.
    pub target: FloatingIpTarget,
}

impl Endpoint for CreateFloatingIp {
    type Output = FloatingIp;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        "/v2/floating_ips".into()
    }
    fn body(&self) -> Option<Value> {
        Some(match &self.target {
            FloatingIpTarget::Droplet(id) => json!({ "droplet_id": id }),
            FloatingIpTarget::Region(r) => json!({ "region": r }),
        })
    }
    fn validate(&self) -> Result<(), RequestError> {
        match &self.target {
            FloatingIpTarget::Region(r) => non_empty("region", r),
            FloatingIpTarget::Droplet(_) => Ok(()),
        }
    }
    fn decode(&self, body: &[u8]) -> Result<FloatingIp, DecodeError> {
        decode::one(body, "floating_ip")
    }
}

/// An action on a floating IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FloatingIpAction {
    /// Assign it to a droplet.
    Assign {
        /// Droplet id.
        droplet_id: u64,
    },
    /// Unassign it.
    Unassign,
}

/// Perform an action on a floating IP (doapi `FloatingIP.assign`,
/// `FloatingIP.unassign`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActOnFloatingIp {
    /// The address.
    pub ip: IpAddr,
    /// The action.
    pub action: FloatingIpAction,
}

impl Endpoint for ActOnFloatingIp {
    type Output = Action;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        format!("/v2/floating_ips/{}/actions", self.ip)
    }
    fn body(&self) -> Option<Value> {
        to_json(&self.action)
    }
    fn decode(&self, body: &[u8]) -> Result<Action, DecodeError> {
        decode::one(body, "action")
    }
}
