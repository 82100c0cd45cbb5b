//! `doapi floating-ip ...`.

use std::net::IpAddr;

use clap::Subcommand;
use doapi_blocking::endpoints::{ActOnTarget, ActionTarget, FloatingIpTarget};
use doapi_blocking::models::Droplet;
use doapi_blocking::Api;

use crate::act::{act_and_print, wait_current_actions};
use crate::args::{ActFields, ActionsView, WaitOpt};
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::keyed::{each_or_all, unique};

/// The floating IP commands.
#[derive(Subcommand)]
pub enum FloatingIpCmd {
    /// The addresses given, or every floating IP.
    Show {
        /// Each address; none for every floating IP.
        ips: Vec<IpAddr>,
    },
    /// Reserves a floating IP, for a droplet or in a region.
    New {
        /// The droplet to assign it to: id or name.
        #[arg(long, group = "place", required = true)]
        droplet: Option<String>,
        /// The region to reserve it in.
        #[arg(long, group = "place")]
        region: Option<String>,
        /// Wait until it is assigned.
        #[arg(short, long)]
        wait: bool,
    },
    /// Assigns a floating IP to a droplet.
    Assign {
        /// The address.
        ip: IpAddr,
        /// The droplet: id or name.
        droplet: String,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Unassigns floating IPs.
    Unassign {
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Releases floating IPs.
    Delete {
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
    },
    /// Any action, its other fields given as a JSON object.
    Act {
        #[command(flatten)]
        fields: ActFields,
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// The floating IPs' actions, newest first.
    Actions {
        #[command(flatten)]
        view: ActionsView,
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
    },
    /// Waits until each floating IP's current action ends.
    Wait {
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
    },
}

/// Runs a floating IP command.
pub fn run(ctx: &mut Ctx, cmd: FloatingIpCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        FloatingIpCmd::Show { ips } => {
            each_or_all(ctx, ips, client.fetch_all_floating_ips(), |ip| {
                client.fetch_floating_ip(ip)
            })
        }
        FloatingIpCmd::New {
            droplet,
            region,
            wait,
        } => {
            let target = match (droplet, region) {
                (Some(label), _) => {
                    FloatingIpTarget::Droplet(ctx.names.one::<Droplet>(&client, &label)?.id)
                }
                (None, Some(r)) => FloatingIpTarget::Region(r),
                (None, None) => return Err(Fail::usage("give --droplet or --region")),
            };
            let created = client.create_floating_ip(target)?;
            if !wait {
                return ctx.out.one(&created);
            }
            let done = client.wait_for_floating_ip_action(created.ip)?;
            ctx.out.one(&done.unwrap_or(created))
        }
        FloatingIpCmd::Assign { ip, droplet, wait } => {
            let d = ctx.names.one::<Droplet>(&client, &droplet)?;
            let action = client.assign_floating_ip(ip, d.id);
            act_and_print(ctx, [action.map_err(Fail::from)], wait.wait)
        }
        FloatingIpCmd::Unassign { ips, wait } => {
            let actions = unique(ips).map(|ip| Ok(client.unassign_floating_ip(ip)?));
            act_and_print(ctx, actions, wait.wait)
        }
        FloatingIpCmd::Delete { ips } => {
            for ip in unique(ips) {
                client.delete_floating_ip(ip)?;
            }
            Ok(())
        }
        FloatingIpCmd::Act { fields, ips, wait } => {
            let fields = fields.parse()?;
            let actions = unique(ips).map(|ip| {
                Ok(client.send(ActOnTarget {
                    target: ActionTarget::FloatingIp(ip),
                    fields: fields.clone(),
                })?)
            });
            act_and_print(ctx, actions, wait.wait)
        }
        FloatingIpCmd::Actions { view, ips } => {
            let targets = unique(ips).map(ActionTarget::FloatingIp);
            view.print(ctx, targets)
        }
        FloatingIpCmd::Wait { ips } => {
            wait_current_actions(ctx, unique(ips).map(ActionTarget::FloatingIp))
        }
    }
}
