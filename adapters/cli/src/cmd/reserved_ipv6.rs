//! `doapi reserved-ipv6 ...`: doctl's `reserved-ipv6` verbs.

use std::net::IpAddr;

use clap::Subcommand;
use doapi_blocking::models::Droplet;
use doapi_blocking::Api;

use crate::act::act_and_print;
use crate::args::WaitOpt;
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::keyed::unique;

/// The reserved IPv6 commands.
#[derive(Subcommand)]
pub enum ReservedIpv6Cmd {
    /// Every reserved IPv6.
    List,
    /// The reserved IPv6s given.
    Get {
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
    },
    /// Reserves an IPv6 in a region.
    Create {
        /// The region.
        #[arg(long)]
        region: String,
    },
    /// Assigns a reserved IPv6 to a droplet in its region.
    Assign {
        /// The address.
        ip: IpAddr,
        /// The droplet: id or name.
        droplet: String,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Unassigns reserved IPv6s.
    Unassign {
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Releases reserved IPv6s.
    Delete {
        /// Each address.
        #[arg(required = true)]
        ips: Vec<IpAddr>,
    },
}

/// Runs a reserved IPv6 command.
pub fn run(ctx: &mut Ctx, cmd: ReservedIpv6Cmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        ReservedIpv6Cmd::List => ctx.out.stream(client.fetch_all_reserved_ipv6s()),
        ReservedIpv6Cmd::Get { ips } => ctx
            .out
            .stream(unique(ips).map(|ip| client.fetch_reserved_ipv6(ip))),
        ReservedIpv6Cmd::Create { region } => ctx.out.one(&client.create_reserved_ipv6(region)?),
        ReservedIpv6Cmd::Assign { ip, droplet, wait } => {
            let d = ctx.names.one::<Droplet>(&client, &droplet)?;
            let action = client.assign_reserved_ipv6(ip, d.id);
            act_and_print(ctx, [action.map_err(Fail::from)], wait.wait)
        }
        ReservedIpv6Cmd::Unassign { ips, wait } => {
            let actions = unique(ips).map(|ip| Ok(client.unassign_reserved_ipv6(ip)?));
            act_and_print(ctx, actions, wait.wait)
        }
        ReservedIpv6Cmd::Delete { ips } => {
            for ip in unique(ips) {
                client.delete_reserved_ipv6(ip)?;
            }
            Ok(())
        }
    }
}
