//! `doapi reserved-ip ...`: doctl's `reserved-ip` and `reserved-ip-action`
//! verbs.

use std::net::IpAddr;

use clap::Subcommand;
use doapi_blocking::endpoints::{ActionTarget, FloatingIpTarget};
use doapi_blocking::models::Droplet;
use doapi_blocking::Api;

use crate::act::{act_and_print, wait_current_actions};
use crate::args::{ActionsView, WaitOpt};
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::keyed::unique;

/// The reserved IP commands.
#[derive(Subcommand)]
pub enum ReservedIpCmd {
    /// Every reserved IP.
    List,
    /// The reserved IPs given.
    Get {
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
    },
    /// Reserves an IP, for a droplet (assigned at once) or in a region.
    Create {
        /// The droplet to assign it to: id or name.
        #[arg(long, group = "place", required = true)]
        droplet: Option<String>,
        /// The region to reserve it in.
        #[arg(long, group = "place")]
        region: Option<String>,
        /// Wait until it is assigned; print it then.
        #[arg(short, long)]
        wait: bool,
    },
    /// Assigns a reserved IP to a droplet.
    Assign {
        /// The address.
        ip: IpAddr,
        /// The droplet: id or name.
        droplet: String,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Unassigns reserved IPs.
    Unassign {
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Releases reserved IPs.
    Delete {
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
    },
    /// The reserved IPs' actions, newest first.
    Actions {
        #[command(flatten)]
        view: ActionsView,
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
    },
    /// Waits until each reserved IP's current action ends.
    Wait {
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
    },
}

/// Runs a reserved IP command.
pub fn run(ctx: &mut Ctx, cmd: ReservedIpCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        ReservedIpCmd::List => ctx.out.stream(client.fetch_all_reserved_ips()),
        ReservedIpCmd::Get { ips } => ctx
            .out
            .stream(unique(ips).map(|ip| client.fetch_reserved_ip(ip))),
        ReservedIpCmd::Create {
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
            let created = client.create_reserved_ip(target)?;
            if !wait {
                return ctx.out.one(&created);
            }
            let done = client.wait_for_reserved_ip_action(created.ip)?;
            ctx.out.one(&done.unwrap_or(created))
        }
        ReservedIpCmd::Assign { ip, droplet, wait } => {
            let d = ctx.names.one::<Droplet>(&client, &droplet)?;
            let action = client.assign_reserved_ip(ip, d.id);
            act_and_print(ctx, [action.map_err(Fail::from)], wait.wait)
        }
        ReservedIpCmd::Unassign { ips, wait } => {
            let actions = unique(ips).map(|ip| Ok(client.unassign_reserved_ip(ip)?));
            act_and_print(ctx, actions, wait.wait)
        }
        ReservedIpCmd::Delete { ips } => {
            for ip in unique(ips) {
                client.delete_reserved_ip(ip)?;
            }
            Ok(())
        }
        ReservedIpCmd::Actions { view, ips } => {
            view.print(ctx, unique(ips).map(ActionTarget::ReservedIp))
        }
        ReservedIpCmd::Wait { ips } => {
            wait_current_actions(ctx, unique(ips).map(ActionTarget::ReservedIp))
        }
    }
}
