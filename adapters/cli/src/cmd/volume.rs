//! `doapi volume ...`: doctl's `volume` and `volume-action` verbs. A
//! volume is named by its id, or by its name (unique in a region; give
//! `--region` when two regions have one of that name).

use clap::Subcommand;
use doapi_blocking::endpoints::ActionTarget;
use doapi_blocking::models::{Droplet, Volume};
use doapi_blocking::specs::VolumeSpec;
use doapi_blocking::{Api, Client};

use crate::act::{act_and_print, wait_current_actions};
use crate::args::{ActionsView, WaitOpt};
use crate::by_id::is_uuid;
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::keyed::unique;

/// The volume commands.
#[derive(Subcommand)]
pub enum VolumeCmd {
    /// Every volume, or those of a region, or the one of a name.
    List {
        /// Only the volumes of this region.
        #[arg(long)]
        region: Option<String>,
        /// Only the volume of this name.
        #[arg(long)]
        name: Option<String>,
    },
    /// The volumes given.
    Get {
        /// Each volume: id or name.
        #[arg(required = true)]
        volumes: Vec<String>,
        /// The region of the volumes given by name.
        #[arg(long)]
        region: Option<String>,
    },
    /// Creates a volume, empty or from a snapshot.
    Create {
        /// Its name.
        name: String,
        /// Its region.
        #[arg(long)]
        region: String,
        /// Its size in GiB.
        #[arg(long)]
        size: u64,
        /// The volume snapshot to create it from.
        #[arg(long)]
        snapshot: Option<String>,
        /// The filesystem to format it with: ext4 or xfs.
        #[arg(long)]
        fs_type: Option<String>,
        /// The filesystem's label.
        #[arg(long, requires = "fs_type")]
        fs_label: Option<String>,
        /// A description.
        #[arg(long)]
        desc: Option<String>,
        /// A tag (repeat for more).
        #[arg(long)]
        tag: Vec<String>,
    },
    /// Attaches a volume to a droplet in its region.
    Attach {
        /// The volume: id or name.
        volume: String,
        /// The droplet: id or name.
        droplet: String,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Detaches a volume from a droplet.
    Detach {
        /// The volume: id or name.
        volume: String,
        /// The droplet: id or name.
        droplet: String,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Grows a volume.
    Resize {
        /// The volume: id or name.
        volume: String,
        /// The new size in GiB.
        #[arg(long)]
        size: u64,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Deletes volumes (each must be detached).
    Delete {
        /// Each volume: id or name.
        #[arg(required = true)]
        volumes: Vec<String>,
        /// The region of the volumes given by name.
        #[arg(long)]
        region: Option<String>,
    },
    /// Snapshots a volume.
    Snapshot {
        /// The volume: id or name.
        volume: String,
        /// The snapshot's name.
        #[arg(long)]
        snapshot_name: String,
    },
    /// A volume's snapshots.
    Snapshots {
        /// The volume: id or name.
        volume: String,
    },
    /// The volumes' actions, newest first.
    Actions {
        #[command(flatten)]
        view: ActionsView,
        /// Each volume: id or name.
        #[arg(required = true)]
        volumes: Vec<String>,
    },
    /// Waits until each volume's current action ends.
    Wait {
        /// Each volume: id or name.
        #[arg(required = true)]
        volumes: Vec<String>,
    },
}

/// The id of the volume a label names: the label itself if it is an id,
/// else the one volume of that name (in `region`, if given).
fn volume_id(client: &Client, label: &str, region: Option<&str>) -> Result<String, Fail> {
    if is_uuid(label) {
        return Ok(label.to_owned());
    }
    let named: Vec<Volume> = client
        .fetch_all_volumes(region, Some(label))
        .collect::<Result<_, _>>()?;
    match named.as_slice() {
        [v] => Ok(v.id.clone()),
        [] => Err(Fail::usage(format!("no such volume: {label:?}"))),
        many => {
            let regions: Vec<&str> = many
                .iter()
                .filter_map(|v| v.region.as_ref().map(|r| r.slug.as_str()))
                .collect();
            Err(Fail::usage(format!(
                "{label:?} is ambiguous: volumes of that name are in {}; give --region",
                regions.join(", ")
            )))
        }
    }
}

/// The ids of the volumes the labels name, each once.
fn volume_ids(
    client: &Client,
    labels: Vec<String>,
    region: Option<&str>,
) -> Result<Vec<String>, Fail> {
    let ids: Result<Vec<String>, Fail> = labels
        .iter()
        .map(|l| volume_id(client, l, region))
        .collect();
    Ok(unique(ids?).collect())
}

/// Runs a volume command.
pub fn run(ctx: &mut Ctx, cmd: VolumeCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        VolumeCmd::List { region, name } => ctx
            .out
            .stream(client.fetch_all_volumes(region.as_deref(), name.as_deref())),
        VolumeCmd::Get { volumes, region } => {
            let ids = volume_ids(&client, volumes, region.as_deref())?;
            ctx.out
                .stream(ids.into_iter().map(|id| client.fetch_volume(id)))
        }
        VolumeCmd::Create {
            name,
            region,
            size,
            snapshot,
            fs_type,
            fs_label,
            desc,
            tag,
        } => {
            let mut spec = VolumeSpec::new(name, region, size).tags(tag);
            spec.snapshot_id = snapshot;
            spec.description = desc;
            spec.filesystem_type = fs_type;
            spec.filesystem_label = fs_label;
            ctx.out.one(&client.create_volume(spec)?)
        }
        VolumeCmd::Attach {
            volume,
            droplet,
            wait,
        } => {
            let d = ctx.names.one::<Droplet>(&client, &droplet)?;
            let id = volume_id(&client, &volume, Some(d.region_slug()))?;
            let action = client.attach_volume(id, d.id);
            act_and_print(ctx, [action.map_err(Fail::from)], wait.wait)
        }
        VolumeCmd::Detach {
            volume,
            droplet,
            wait,
        } => {
            let d = ctx.names.one::<Droplet>(&client, &droplet)?;
            let id = volume_id(&client, &volume, Some(d.region_slug()))?;
            let action = client.detach_volume(id, d.id);
            act_and_print(ctx, [action.map_err(Fail::from)], wait.wait)
        }
        VolumeCmd::Resize { volume, size, wait } => {
            let id = volume_id(&client, &volume, None)?;
            let action = client.resize_volume(id, size);
            act_and_print(ctx, [action.map_err(Fail::from)], wait.wait)
        }
        VolumeCmd::Delete { volumes, region } => {
            for id in volume_ids(&client, volumes, region.as_deref())? {
                client.delete_volume(id)?;
            }
            Ok(())
        }
        VolumeCmd::Snapshot {
            volume,
            snapshot_name,
        } => {
            let id = volume_id(&client, &volume, None)?;
            ctx.out.one(&client.snapshot_volume(id, snapshot_name)?)
        }
        VolumeCmd::Snapshots { volume } => {
            let id = volume_id(&client, &volume, None)?;
            ctx.out.stream(client.fetch_all_volume_snapshots(id))
        }
        VolumeCmd::Actions { view, volumes } => {
            let ids = volume_ids(&client, volumes, None)?;
            view.print(ctx, ids.into_iter().map(ActionTarget::Volume))
        }
        VolumeCmd::Wait { volumes } => {
            let ids = volume_ids(&client, volumes, None)?;
            wait_current_actions(ctx, ids.into_iter().map(ActionTarget::Volume))
        }
    }
}
