//! Arguments several commands take: which droplets or images, `--wait`,
//! an action's fields, which of the actions to show.

use clap::Args;
use doapi_blocking::endpoints::ActionTarget;
use doapi_blocking::models::Action;
use doapi_blocking::Api;
use doapi_blocking::{Client, Error};
use serde_json::{Map, Value};

use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::input::{json_object, text_or_file};

/// Droplets named on the command line.
#[derive(Args)]
pub struct DropletSelect {
    /// Each droplet's id or name.
    #[arg(required = true, value_name = "DROPLET")]
    pub droplets: Vec<String>,
    /// Let a name stand for every droplet that has it.
    #[arg(short = 'M', long)]
    pub multiple: bool,
}

/// Droplets named on the command line, or every droplet with a tag.
#[derive(Args)]
pub struct DropletOrTagSelect {
    /// Every droplet with this tag, in one request.
    #[arg(
        long,
        value_name = "TAG",
        conflicts_with = "droplets",
        required_unless_present = "droplets"
    )]
    pub tag: Option<String>,
    /// Each droplet's id or name.
    #[arg(value_name = "DROPLET")]
    pub droplets: Vec<String>,
    /// Let a name stand for every droplet that has it.
    #[arg(short = 'M', long)]
    pub multiple: bool,
}

/// Images named on the command line.
#[derive(Args)]
pub struct ImageSelect {
    /// Each image's id, slug or name.
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Let a name stand for every image that has it.
    #[arg(short = 'M', long)]
    pub multiple: bool,
}

/// `--wait` of the actions.
#[derive(Args)]
pub struct WaitOpt {
    /// Wait until each action ends; print the actions as they do.
    #[arg(short, long)]
    pub wait: bool,
}

/// The action of the `act` commands.
#[derive(Args)]
pub struct ActFields {
    /// The action's type, such as `reboot`.
    #[arg(long = "type", value_name = "TYPE")]
    kind: String,
    /// The action's other fields: a JSON object, or @FILE (@- for stdin).
    #[arg(short, long, value_name = "JSON|@FILE")]
    params: Option<String>,
}

impl ActFields {
    /// The action's body: the fields, with the type.
    pub fn parse(self) -> Result<Map<String, Value>, Fail> {
        let mut fields = match self.params {
            Some(p) => json_object(&text_or_file(&p)?, "--params")?,
            None => Map::new(),
        };
        fields.insert("type".into(), Value::String(self.kind));
        Ok(fields)
    }
}

/// `--last` / `--in-progress` of the `actions` commands.
#[derive(Args)]
pub struct ActionsView {
    /// Only the most recent action of each (`null` if none).
    #[arg(long, conflicts_with = "in_progress")]
    last: bool,
    /// Only the action in progress on each (`null` if none).
    #[arg(long)]
    in_progress: bool,
}

impl ActionsView {
    /// Prints the actions of the targets as the view says.
    pub fn print(
        &self,
        ctx: &mut Ctx,
        targets: impl IntoIterator<Item = ActionTarget>,
    ) -> Result<(), Fail> {
        let client = ctx.client.clone();
        let targets = targets.into_iter();
        if self.last {
            ctx.out.stream(targets.map(|t| client.fetch_last_action(t)))
        } else if self.in_progress {
            ctx.out
                .stream(targets.map(|t| client.fetch_current_action(t)))
        } else {
            ctx.out
                .stream(targets.flat_map(|t| all_actions(&client, t)))
        }
    }
}

/// Every action of one target, newest first.
fn all_actions(
    client: &Client,
    target: ActionTarget,
) -> Box<dyn Iterator<Item = Result<Action, Error>>> {
    match target {
        ActionTarget::Account => Box::new(client.fetch_all_actions()),
        ActionTarget::Droplet(id) => Box::new(client.fetch_all_droplet_actions(id)),
        ActionTarget::Image(id) => Box::new(client.fetch_all_image_actions(id)),
        ActionTarget::FloatingIp(ip) => Box::new(client.fetch_all_floating_ip_actions(ip)),
        ActionTarget::ReservedIp(ip) => Box::new(client.fetch_all_reserved_ip_actions(ip)),
        ActionTarget::Volume(id) => Box::new(client.fetch_all_volume_actions(id)),
    }
}
