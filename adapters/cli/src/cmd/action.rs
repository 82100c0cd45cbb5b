//! `doapi action ...`.

use clap::{Args, Subcommand};
use doapi_blocking::endpoints::ActionTarget;
use doapi_blocking::models::Action;
use doapi_blocking::Api;
use doapi_blocking::Client;
use serde_json::Value;

use crate::act::act_and_print;
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::keyed::unique;

/// The action commands.
#[derive(Subcommand)]
pub enum ActionCmd {
    /// The actions given, the newest, those in progress, or all.
    Show {
        #[command(flatten)]
        which: WhichActions,
    },
    /// Waits for the actions given, or for every action in progress.
    Wait {
        /// Each action's id; none for every action in progress.
        #[arg(value_name = "ID")]
        ids: Vec<u64>,
    },
    /// The resource each action is about, `null` if it is gone.
    Resource {
        #[command(flatten)]
        which: WhichActions,
    },
}

/// Which actions an action command is about.
#[derive(Args)]
pub struct WhichActions {
    /// Only the account's most recent action.
    #[arg(long, conflicts_with_all = ["in_progress", "ids"])]
    last: bool,
    /// Only the actions in progress on droplets, private images and
    /// floating IPs.
    #[arg(long, conflicts_with = "ids")]
    in_progress: bool,
    /// Each action's id; none for all of them.
    #[arg(value_name = "ID")]
    ids: Vec<u64>,
}

impl WhichActions {
    /// The actions, unless none were singled out (`None`: every action).
    fn fetch(&self, client: &Client) -> Result<Option<Vec<Action>>, Fail> {
        if self.last {
            return Ok(Some(
                client
                    .fetch_last_action(ActionTarget::Account)?
                    .into_iter()
                    .collect(),
            ));
        }
        if self.in_progress {
            return in_progress(client).map(Some);
        }
        if self.ids.is_empty() {
            return Ok(None);
        }
        fetch_actions(client, &self.ids).map(Some)
    }
}

/// The actions with these ids, each fetched once: an unknown id fails here.
fn fetch_actions(client: &Client, ids: &[u64]) -> Result<Vec<Action>, Fail> {
    let fetched = unique(ids.to_vec()).map(|id| client.fetch_action(id));
    Ok(fetched.collect::<Result<_, _>>()?)
}

/// The actions in progress on the account's droplets, private images and
/// floating IPs.
fn in_progress(client: &Client) -> Result<Vec<Action>, Fail> {
    let mut targets = Vec::new();
    for d in client.fetch_all_droplets() {
        targets.push(ActionTarget::Droplet(d?.id));
    }
    for i in client.fetch_all_private_images() {
        targets.push(ActionTarget::Image(i?.id));
    }
    for f in client.fetch_all_floating_ips() {
        targets.push(ActionTarget::FloatingIp(f?.ip));
    }
    let mut current = Vec::new();
    for t in targets {
        current.extend(client.fetch_current_action(t)?);
    }
    Ok(current)
}

/// The resource an action is about, as JSON; `null` if it is gone.
fn resource_of(client: &Client, action: &Action) -> Result<Value, Fail> {
    let fetched = match ActionTarget::of(action) {
        Some(ActionTarget::Droplet(id)) => client.fetch_droplet(id).map(serde_json::to_value),
        Some(ActionTarget::Image(id)) => client.fetch_image(id).map(serde_json::to_value),
        Some(ActionTarget::FloatingIp(ip)) => {
            client.fetch_floating_ip(ip).map(serde_json::to_value)
        }
        Some(ActionTarget::ReservedIp(ip)) => {
            client.fetch_reserved_ip(ip).map(serde_json::to_value)
        }
        Some(ActionTarget::Volume(id)) => client.fetch_volume(id).map(serde_json::to_value),
        Some(ActionTarget::Account) | None => return Ok(Value::Null),
    };
    match fetched {
        Ok(v) => Ok(v.unwrap_or(Value::Null)),
        Err(e) if e.is_not_found() => Ok(Value::Null),
        Err(e) => Err(e.into()),
    }
}

/// Runs an action command.
pub fn run(ctx: &mut Ctx, cmd: ActionCmd) -> Result<(), Fail> {
    match cmd {
        ActionCmd::Show { which } => match which.fetch(&ctx.client)? {
            Some(actions) => ctx.out.items(actions),
            None => ctx.out.stream(ctx.client.fetch_all_actions()),
        },
        ActionCmd::Wait { ids } => {
            let actions = if ids.is_empty() {
                in_progress(&ctx.client)?
            } else {
                fetch_actions(&ctx.client, &ids)?
            };
            act_and_print(ctx, actions.into_iter().map(Ok), true)
        }
        ActionCmd::Resource { which } => {
            let client = ctx.client.clone();
            match which.fetch(&client)? {
                Some(actions) => ctx
                    .out
                    .stream(actions.iter().map(|a| resource_of(&client, a))),
                None => ctx.out.stream(
                    client
                        .fetch_all_actions()
                        .map(|a| resource_of(&client, &a?)),
                ),
            }
        }
    }
}
