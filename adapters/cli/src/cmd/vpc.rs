//! `doapi vpc ...`: doctl's `vpcs` verbs, and a region's default VPC.

use clap::Subcommand;
use doapi_blocking::specs::VpcSpec;
use doapi_blocking::Api;

use crate::by_id::resolve;
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::keyed::unique;

/// The VPC commands.
#[derive(Subcommand)]
pub enum VpcCmd {
    /// Every VPC.
    List,
    /// The VPCs given.
    Get {
        /// Each VPC: id or name.
        #[arg(required = true)]
        vpcs: Vec<String>,
    },
    /// The default VPC of a region (`null` if it has none).
    Default {
        /// The region.
        #[arg(long)]
        region: String,
    },
    /// Creates a VPC.
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        /// Its region.
        #[arg(long)]
        region: String,
        /// Its IP range, in CIDR notation.
        #[arg(long)]
        ip_range: Option<String>,
        /// A description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Changes a VPC's name, description or whether it is the default.
    Update {
        /// The VPC: id or name.
        vpc: String,
        /// Its new name.
        #[arg(long)]
        name: Option<String>,
        /// Its new description.
        #[arg(long)]
        description: Option<String>,
        /// Make it its region's default.
        #[arg(long)]
        default: bool,
    },
    /// The resources in a VPC.
    Members {
        /// The VPC: id or name.
        vpc: String,
    },
    /// Deletes VPCs (each empty, and not its region's default).
    Delete {
        /// Each VPC: id or name.
        #[arg(required = true)]
        vpcs: Vec<String>,
    },
}

/// The id of the VPC a label names.
fn vpc_id(ctx: &Ctx, label: &str) -> Result<String, Fail> {
    let listing = ctx.client.fetch_all_vpcs();
    resolve("VPC", label, listing, |v| {
        (v.name.as_deref(), v.id.as_deref())
    })
}

/// Runs a VPC command.
pub fn run(ctx: &mut Ctx, cmd: VpcCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        VpcCmd::List => ctx.out.stream(client.fetch_all_vpcs()),
        VpcCmd::Get { vpcs } => {
            let ids: Result<Vec<String>, Fail> = vpcs.iter().map(|l| vpc_id(ctx, l)).collect();
            ctx.out.stream(unique(ids?).map(|id| client.fetch_vpc(id)))
        }
        VpcCmd::Default { region } => ctx.out.one(&client.fetch_default_vpc(region)?),
        VpcCmd::Create {
            name,
            region,
            ip_range,
            description,
        } => {
            let mut spec = VpcSpec::new(name, region);
            (spec.ip_range, spec.description) = (ip_range, description);
            ctx.out.one(&client.create_vpc(spec)?)
        }
        VpcCmd::Update {
            vpc,
            name,
            description,
            default,
        } => {
            let id = vpc_id(ctx, &vpc)?;
            let default = default.then_some(true);
            ctx.out
                .one(&client.update_vpc(id, name, description, default)?)
        }
        VpcCmd::Members { vpc } => {
            let id = vpc_id(ctx, &vpc)?;
            ctx.out.stream(client.fetch_vpc_members(id))
        }
        VpcCmd::Delete { vpcs } => {
            for label in unique(vpcs) {
                client.delete_vpc(vpc_id(ctx, &label)?)?;
            }
            Ok(())
        }
    }
}
