//! `doapi snapshot ...`: doctl's `snapshot` verbs, over the snapshots of
//! droplets and volumes alike (`/v2/snapshots`; a droplet snapshot's id is
//! its image id).

use clap::{Subcommand, ValueEnum};
use doapi_blocking::api::snapshots::SnapshotsResourceType;
use doapi_blocking::Api;

use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::keyed::unique;

/// The kinds of snapshot.
#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    /// Snapshots of droplets.
    Droplet,
    /// Snapshots of volumes.
    Volume,
}

/// The snapshot commands.
#[derive(Subcommand)]
pub enum SnapshotCmd {
    /// Every snapshot, or those of one kind.
    List {
        /// Only the snapshots of droplets, or of volumes.
        #[arg(long, value_enum)]
        resource: Option<Kind>,
    },
    /// The snapshots given.
    Get {
        /// Each snapshot id.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Deletes snapshots.
    Delete {
        /// Each snapshot id.
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

/// Runs a snapshot command.
pub fn run(ctx: &mut Ctx, cmd: SnapshotCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        SnapshotCmd::List { resource } => {
            let kind = resource.map(|k| match k {
                Kind::Droplet => SnapshotsResourceType::Droplet,
                Kind::Volume => SnapshotsResourceType::Volume,
            });
            ctx.out.stream(client.fetch_all_account_snapshots(kind))
        }
        SnapshotCmd::Get { ids } => ctx
            .out
            .stream(unique(ids).map(|id| client.fetch_snapshot(id))),
        SnapshotCmd::Delete { ids } => {
            for id in unique(ids) {
                client.delete_snapshot(id)?;
            }
            Ok(())
        }
    }
}
