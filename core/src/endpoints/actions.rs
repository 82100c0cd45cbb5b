//! Actions: of the account, and the last or current one of a resource.

use http::Method;
use serde_json::{Map, Value};

use crate::endpoint::decode;
use crate::endpoint::Endpoint;
use crate::error::{DecodeError, RequestError};
use crate::models::Action;
use crate::target::ActionTarget;

endpoint! {
    /// Fetch one action (doapi `fetch_action`).
    GetAction { /** Action id. */ id: u64 } GET "/v2/actions/{id}" => one Action, "action";
    /// Every action of the account, newest first (doapi `fetch_all_actions`).
    ListActions {} GET "/v2/actions" => page Action, "actions";
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
    fn validate(&self) -> Result<(), RequestError> {
        named(&self.target)
    }
    fn decode(&self, body: &[u8]) -> Result<Option<Action>, DecodeError> {
        newest(body)
    }
}

/// Refuses a target no request can name: a volume with an empty id.
fn named(target: &ActionTarget) -> Result<(), RequestError> {
    match target {
        ActionTarget::Volume(id) if id.trim().is_empty() => {
            Err(RequestError::Empty { what: "volume id" })
        }
        _ => Ok(()),
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
/// has ended (doapi `fetch_current_action`). An action whose status the
/// client does not know has not ended ([`Action::is_done`]), so it is the
/// current one.
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
    fn validate(&self) -> Result<(), RequestError> {
        named(&self.target)
    }
    fn decode(&self, body: &[u8]) -> Result<Option<Action>, DecodeError> {
        Ok(newest(body)?.filter(|a| !a.is_done()))
    }
}

/// Any action on a droplet, image or floating IP, as a JSON object with at
/// least a `type` (doapi's `act` on any resource).
#[derive(Debug, Clone, PartialEq)]
pub struct ActOnTarget {
    /// The resource.
    pub target: ActionTarget,
    /// The action's fields, `type` included.
    pub fields: Map<String, Value>,
}

impl Endpoint for ActOnTarget {
    type Output = Action;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        self.target.actions_path()
    }
    fn body(&self) -> Option<Value> {
        Some(Value::Object(self.fields.clone()))
    }
    fn validate(&self) -> Result<(), RequestError> {
        if self.target == ActionTarget::Account {
            return Err(RequestError::InvalidAction(
                "the account as a whole takes no action".into(),
            ));
        }
        named(&self.target)?;
        match self.fields.get("type").and_then(Value::as_str) {
            Some(t) if !t.trim().is_empty() => Ok(()),
            _ => Err(RequestError::InvalidAction(
                "an action needs a non-empty string \"type\"".into(),
            )),
        }
    }
    fn decode(&self, body: &[u8]) -> Result<Action, DecodeError> {
        decode::one(body, "action")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::token::Token;
    use serde_json::json;
    use std::net::IpAddr;

    fn fields(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn any_action_posts_its_fields_to_the_target() {
        let config = Config::new(Token::new("t").expect("token"));
        let ip = "192.0.2.7".parse().expect("ip");
        let op = ActOnTarget {
            target: ActionTarget::FloatingIp(ip),
            fields: fields(json!({"type": "assign", "droplet_id": 7})),
        };
        let req = config.request(&op).expect("request");
        assert_eq!(req.method(), Method::POST);
        assert_eq!(
            req.uri(),
            "https://api.digitalocean.com/v2/floating_ips/192.0.2.7/actions"
        );
        let body: Value = serde_json::from_slice(req.body()).expect("json");
        assert_eq!(body, json!({"type": "assign", "droplet_id": 7}));
    }

    #[test]
    fn an_action_names_its_resource() {
        let action = |v: Value| -> Action { serde_json::from_value(v).expect("an action") };
        let base = json!({"id": 1, "status": "completed", "type": "assign_ip"});
        let with = |extra: Value| {
            let mut v = base.clone();
            if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
                m.extend(e);
            }
            action(v)
        };
        let ip = with(json!({"resource_id": 758_603_944u64, "resource_type": "floating_ip"}));
        let want: IpAddr = "45.55.96.168".parse().expect("ip");
        assert_eq!(ActionTarget::of(&ip), Some(ActionTarget::FloatingIp(want)));
        let d = with(json!({"resource_id": 7, "resource_type": "droplet"}));
        assert_eq!(ActionTarget::of(&d), Some(ActionTarget::Droplet(7)));
        let i = with(json!({"resource_id": 8, "resource_type": "image"}));
        assert_eq!(ActionTarget::of(&i), Some(ActionTarget::Image(8)));
        let big = with(json!({"resource_id": 1u64 << 40, "resource_type": "floating_ip"}));
        assert_eq!(ActionTarget::of(&big), None);
        let volume = with(json!({"resource_id": 9, "resource_type": "volume"}));
        assert_eq!(ActionTarget::of(&volume), None);
        assert_eq!(ActionTarget::of(&action(base.clone())), None);
    }

    #[test]
    fn an_action_needs_a_type_and_a_resource() {
        let config = Config::new(Token::new("t").expect("token"));
        let untyped = ActOnTarget {
            target: ActionTarget::Image(1),
            fields: fields(json!({"region": "nyc3"})),
        };
        assert!(config.request(&untyped).is_err());
        let account = ActOnTarget {
            target: ActionTarget::Account,
            fields: fields(json!({"type": "reboot"})),
        };
        assert!(config.request(&account).is_err());
    }
}
