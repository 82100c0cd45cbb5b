//! Actions: of the account, and the last or current one of a resource.

use std::net::IpAddr;

use super::{endpoint, Endpoint};
use crate::decode;
use crate::error::DecodeError;
use crate::models::Action;

endpoint! {
    /// Fetch one action (doapi `fetch_action`).
    GetAction { /** Action id. */ id: u64 } GET "/v2/actions/{id}" => one Action, "action";
    /// Every action of the account, newest first (doapi `fetch_all_actions`).
    ListActions {} GET "/v2/actions" => page Action, "actions";
}

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

/// The most recent action of the account or a resource, or `None` if it has
/// none (doapi `fetch_last_action`). DigitalOcean lists actions newest
/// first, so this asks for a page of one.
#[derive(Debug, Clone, PartialEq)]
pub struct LastAction {
    /// Whose action.
    pub target: ActionTarget,
}

impl Endpoint for LastAction {
    type Output = Option<Action>;
    fn path(&self) -> String {
        self.target.actions_path()
    }
    fn query(&self) -> Vec<(String, String)> {
        newest_only()
    }
    fn decode(&self, body: &[u8]) -> Result<Option<Action>, DecodeError> {
        newest(body)
    }
}

/// A page of one: the newest action, since DigitalOcean lists newest first.
fn newest_only() -> Vec<(String, String)> {
    vec![("per_page".into(), "1".into())]
}

/// The action of a page of one, if any.
fn newest(body: &[u8]) -> Result<Option<Action>, DecodeError> {
    Ok(decode::page::<Action>(body, "actions")?
        .items
        .into_iter()
        .next())
}

/// The action in progress on a resource, or `None` if its most recent action
/// has ended (doapi `fetch_current_action`).
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentAction {
    /// Whose action.
    pub target: ActionTarget,
}

impl Endpoint for CurrentAction {
    type Output = Option<Action>;
    fn path(&self) -> String {
        self.target.actions_path()
    }
    fn query(&self) -> Vec<(String, String)> {
        newest_only()
    }
    fn decode(&self, body: &[u8]) -> Result<Option<Action>, DecodeError> {
        Ok(newest(body)?.filter(Action::is_in_progress))
    }
}
