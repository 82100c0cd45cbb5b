//! `doapi droplet ...`.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use doapi_blocking::endpoints::{
    validate_droplet_name, ActionTarget, BackupPolicy, DropletAction, DropletSpec, ImageRef,
    SshKeyRef, TaggableRef, Weekday,
};
use doapi_blocking::models::{Action, Droplet, DropletStatus, Image, SshKey};
use doapi_blocking::Api;
use doapi_blocking::{text, Error, Until};

use crate::act::{act_and_print, print_partial, wait_current_actions};
use crate::args::{ActFields, ActionsView, DropletOrTagSelect, DropletSelect, WaitOpt};
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::input::text_or_file;
use crate::waiting;

/// DigitalOcean creates at most this many droplets per request.
const CREATE_BATCH: usize = 10;

/// An action on droplets given, or on every droplet with a tag.
#[derive(Args)]
pub struct OnDropletsOrTag {
    #[command(flatten)]
    sel: DropletOrTagSelect,
    #[command(flatten)]
    wait: WaitOpt,
}

/// An action on droplets given.
#[derive(Args)]
pub struct OnDroplets {
    #[command(flatten)]
    sel: DropletSelect,
    #[command(flatten)]
    wait: WaitOpt,
}

/// The settings of `droplet new`.
#[derive(Args)]
pub struct NewArgs {
    /// A name for each new droplet.
    #[arg(required = true, value_name = "NAME")]
    names: Vec<String>,
    /// The image: id, slug or name.
    #[arg(short = 'I', long)]
    image: String,
    /// The size's slug.
    #[arg(short = 'S', long)]
    size: String,
    /// The region's slug.
    #[arg(short = 'R', long)]
    region: String,
    /// An SSH key to install: id, fingerprint, name, or the path of a
    /// public key file (registered if new).
    #[arg(short = 'K', long = "ssh-key", value_name = "KEY")]
    ssh_keys: Vec<String>,
    /// Enable automatic backups.
    #[arg(short = 'B', long)]
    backups: bool,
    /// Enable automatic backups on this schedule: `daily` or
    /// `weekly:DAY` (`SUN` to `SAT`), each with `@HOUR` for the window's
    /// start (0, 4, 8, 12, 16 or 20, UTC): `weekly:MON@8`.
    #[arg(long, value_name = "PLAN", value_parser = parse_backup_policy)]
    backup_policy: Option<BackupPolicy>,
    /// Enable IPv6.
    #[arg(short = '6', long)]
    ipv6: bool,
    /// Enable private networking (deprecated: every droplet is in its
    /// region's default VPC, its private network).
    #[arg(short = 'P', long)]
    private_networking: bool,
    /// Cloud-init user data, or @FILE (@- for stdin).
    #[arg(short = 'U', long, value_name = "TEXT|@FILE")]
    user_data: Option<String>,
    /// A tag to apply.
    #[arg(short = 'T', long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Fail if a droplet already has one of the names.
    #[arg(long)]
    unique: bool,
    /// Wait until each droplet is active; print them as they are.
    #[arg(short, long)]
    wait: bool,
}

/// The droplet commands.
#[derive(Subcommand)]
pub enum DropletCmd {
    /// The droplets given, those with a tag, or every droplet.
    Show {
        /// Every droplet with this tag.
        #[arg(long, value_name = "TAG", conflicts_with = "droplets")]
        tag: Option<String>,
        /// Each droplet's id or name; none for every droplet.
        #[arg(value_name = "DROPLET")]
        droplets: Vec<String>,
        /// Let a name stand for every droplet that has it.
        #[arg(short = 'M', long)]
        multiple: bool,
    },
    /// Creates droplets, ten per request.
    New(Box<NewArgs>),
    /// Deletes droplets.
    Delete {
        #[command(flatten)]
        sel: DropletOrTagSelect,
        /// Also destroy, for good, every associated resource: reserved
        /// IPs, snapshots, attached volumes and their snapshots.
        #[arg(long, conflicts_with = "tag")]
        with_associated: bool,
    },
    /// Reboots gracefully.
    Reboot(OnDroplets),
    /// Resets the root password.
    PasswordReset(OnDroplets),
    /// Power-cycles.
    PowerCycle(OnDropletsOrTag),
    /// Shuts down gracefully.
    Shutdown(OnDropletsOrTag),
    /// Powers off.
    PowerOff(OnDropletsOrTag),
    /// Powers on.
    PowerOn(OnDropletsOrTag),
    /// Enables automatic backups.
    EnableBackups(OnDropletsOrTag),
    /// Disables automatic backups.
    DisableBackups(OnDropletsOrTag),
    /// Enables IPv6.
    EnableIpv6(OnDropletsOrTag),
    /// Enables private networking (deprecated: every droplet is in a VPC,
    /// its private network, from its creation).
    EnablePrivateNetworking(OnDropletsOrTag),
    /// Takes a snapshot.
    Snapshot {
        /// The snapshot's name.
        #[arg(long)]
        name: String,
        /// Fail if an image already has that name.
        #[arg(long)]
        unique: bool,
        #[command(flatten)]
        act: OnDropletsOrTag,
    },
    /// Resizes.
    Resize {
        /// The new size's slug.
        #[arg(long)]
        size: String,
        /// Also grow the disk (for good: the droplet cannot shrink back).
        #[arg(long)]
        disk: bool,
        #[command(flatten)]
        act: OnDroplets,
    },
    /// Rebuilds from an image, by default the droplet's own.
    Rebuild {
        /// The image: id, slug or name.
        #[arg(long)]
        image: Option<String>,
        #[command(flatten)]
        act: OnDroplets,
    },
    /// Renames a droplet.
    Rename {
        /// The droplet's id or name.
        droplet: String,
        /// Its new name.
        name: String,
        /// Fail if the name is already in use.
        #[arg(long)]
        unique: bool,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Restores a droplet from a backup image.
    Restore {
        /// The droplet's id or name.
        droplet: String,
        /// The backup: id or name.
        backup: String,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Changes the kernel.
    ChangeKernel {
        /// The kernel's id.
        #[arg(long)]
        kernel: u64,
        #[command(flatten)]
        act: OnDroplets,
    },
    /// Any action, its other fields given as a JSON object.
    Act {
        #[command(flatten)]
        fields: ActFields,
        #[command(flatten)]
        act: OnDropletsOrTag,
    },
    /// The droplets' actions, newest first.
    Actions {
        #[command(flatten)]
        view: ActionsView,
        #[command(flatten)]
        sel: DropletSelect,
    },
    /// Waits until each droplet has a status or lock; without one, until
    /// each droplet's current action ends.
    Wait {
        /// The status to wait for.
        #[arg(short = 'S', long, value_parser = ["new", "active", "off", "archive"], conflicts_with_all = ["locked", "unlocked"])]
        status: Option<String>,
        /// Wait until locked.
        #[arg(long, conflicts_with = "unlocked")]
        locked: bool,
        /// Wait until unlocked.
        #[arg(long)]
        unlocked: bool,
        #[command(flatten)]
        sel: DropletSelect,
    },
    /// The droplets on the same hardware as each droplet given, or every
    /// group of ids sharing hardware.
    Neighbors {
        /// Each droplet's id or name.
        #[arg(value_name = "DROPLET")]
        droplets: Vec<String>,
        /// Let a name stand for every droplet that has it.
        #[arg(short = 'M', long)]
        multiple: bool,
    },
    /// The droplets' snapshot images.
    Snapshots(DropletSelect),
    /// The droplets' backup images.
    Backups(DropletSelect),
    /// The kernels the droplets can run.
    Kernels(DropletSelect),
    /// Tags droplets, in one request.
    Tag {
        /// The tag.
        tag: String,
        #[command(flatten)]
        sel: DropletSelect,
    },
    /// Untags droplets, in one request.
    Untag {
        /// The tag.
        tag: String,
        #[command(flatten)]
        sel: DropletSelect,
    },
}

/// Runs a droplet command.
pub fn run(ctx: &mut Ctx, cmd: DropletCmd) -> Result<(), Fail> {
    use DropletCmd as C;
    match cmd {
        C::Show {
            tag,
            droplets,
            multiple,
        } => match (tag, droplets.is_empty()) {
            (Some(tag), _) => ctx.out.stream(ctx.client.fetch_all_tagged_droplets(tag)),
            (None, true) => ctx.out.stream(ctx.client.fetch_all_droplets()),
            (None, false) => {
                let found = select(ctx, &droplets, multiple)?;
                ctx.out.items(found)
            }
        },
        C::New(args) => new(ctx, *args),
        C::Delete {
            sel,
            with_associated,
        } => delete(ctx, sel, with_associated),
        C::Reboot(a) => act_on_droplets(ctx, a, DropletAction::Reboot),
        C::PasswordReset(a) => act_on_droplets(ctx, a, DropletAction::PasswordReset),
        C::PowerCycle(a) => act_on_droplets_or_tag(ctx, a, DropletAction::PowerCycle),
        C::Shutdown(a) => act_on_droplets_or_tag(ctx, a, DropletAction::Shutdown),
        C::PowerOff(a) => act_on_droplets_or_tag(ctx, a, DropletAction::PowerOff),
        C::PowerOn(a) => act_on_droplets_or_tag(ctx, a, DropletAction::PowerOn),
        C::EnableBackups(a) => act_on_droplets_or_tag(ctx, a, DropletAction::EnableBackups),
        C::DisableBackups(a) => act_on_droplets_or_tag(ctx, a, DropletAction::DisableBackups),
        C::EnableIpv6(a) => act_on_droplets_or_tag(ctx, a, DropletAction::EnableIpv6),
        // doapi's command, kept; DigitalOcean still accepts the action.
        #[allow(deprecated)]
        C::EnablePrivateNetworking(a) => {
            act_on_droplets_or_tag(ctx, a, DropletAction::EnablePrivateNetworking)
        }
        C::Snapshot { name, unique, act } => {
            ctx.check_unused::<Image>(&name, unique)?;
            act_on_droplets_or_tag(ctx, act, DropletAction::Snapshot { name: Some(name) })
        }
        C::Resize { size, disk, act } => act_on_droplets(
            ctx,
            act,
            DropletAction::Resize {
                size,
                disk: Some(disk),
            },
        ),
        C::Rebuild { image, act } => {
            let droplets = select(ctx, &act.sel.droplets, act.sel.multiple)?;
            let given = match image {
                Some(label) => Some(ImageRef::from(
                    &ctx.names.one::<Image>(&ctx.client, &label)?,
                )),
                None => None,
            };
            let client = ctx.client.clone();
            let actions = droplets.iter().map(|d| {
                let image = given.clone().unwrap_or_else(|| ImageRef::from(&d.image));
                Ok(client.rebuild(d.id, image)?)
            });
            act_and_print(ctx, actions, act.wait.wait)
        }
        C::Rename {
            droplet,
            name,
            unique,
            wait,
        } => {
            ctx.check_unused::<Droplet>(&name, unique)?;
            let d = ctx.names.one::<Droplet>(&ctx.client, &droplet)?;
            let action = ctx.client.rename(d.id, name);
            act_and_print(ctx, [action.map_err(Fail::from)], wait.wait)
        }
        C::Restore {
            droplet,
            backup,
            wait,
        } => {
            let d = ctx.names.one::<Droplet>(&ctx.client, &droplet)?;
            let image = backup_image(ctx, &d, &backup)?;
            let action = ctx.client.restore(d.id, image);
            act_and_print(ctx, [action.map_err(Fail::from)], wait.wait)
        }
        C::ChangeKernel { kernel, act } => {
            act_on_droplets(ctx, act, DropletAction::ChangeKernel { kernel })
        }
        C::Act { fields, act } => {
            act_on_droplets_or_tag(ctx, act, DropletAction::Custom(fields.parse()?))
        }
        C::Actions { view, sel } => {
            let droplets = select(ctx, &sel.droplets, sel.multiple)?;
            let targets = droplets.iter().map(|d| ActionTarget::Droplet(d.id));
            view.print(ctx, targets)
        }
        C::Wait {
            status,
            locked,
            unlocked,
            sel,
        } => {
            let droplets = select(ctx, &sel.droplets, sel.multiple)?;
            let until = match (status, locked, unlocked) {
                (Some(s), _, _) => Until::Status(DropletStatus::from(s.as_str())),
                (None, true, _) => Until::Locked(true),
                (None, _, true) => Until::Locked(false),
                (None, false, false) => {
                    let targets = droplets.iter().map(|d| ActionTarget::Droplet(d.id));
                    return wait_current_actions(ctx, targets);
                }
            };
            let n = droplets.len();
            let wait = ctx.client.wait_droplets(droplets, until);
            waiting::run(&mut ctx.out, wait, n, "droplets")
        }
        C::Neighbors { droplets, multiple } => {
            if droplets.is_empty() {
                let groups = ctx.client.fetch_droplet_neighbors_report()?;
                return ctx.out.one(&groups);
            }
            let found = select(ctx, &droplets, multiple)?;
            let client = ctx.client.clone();
            let groups = found.iter().map(|d| {
                client
                    .fetch_all_neighbors(d.id)
                    .collect::<Result<Vec<_>, _>>()
            });
            ctx.out.stream(groups)
        }
        C::Snapshots(sel) => {
            let found = select(ctx, &sel.droplets, sel.multiple)?;
            let client = ctx.client.clone();
            ctx.out
                .stream(found.iter().flat_map(|d| client.fetch_all_snapshots(d.id)))
        }
        C::Backups(sel) => {
            let found = select(ctx, &sel.droplets, sel.multiple)?;
            let client = ctx.client.clone();
            ctx.out
                .stream(found.iter().flat_map(|d| client.fetch_all_backups(d.id)))
        }
        C::Kernels(sel) => {
            let found = select(ctx, &sel.droplets, sel.multiple)?;
            let client = ctx.client.clone();
            ctx.out
                .stream(found.iter().flat_map(|d| client.fetch_all_kernels(d.id)))
        }
        C::Tag { tag, sel } => {
            let refs = taggable(ctx, &sel)?;
            Ok(ctx.client.tag_resources(tag, refs)?)
        }
        C::Untag { tag, sel } => {
            let refs = taggable(ctx, &sel)?;
            Ok(ctx.client.untag_resources(tag, refs)?)
        }
    }
}

/// The droplets the labels name.
fn select(ctx: &mut Ctx, labels: &[String], multiple: bool) -> Result<Vec<Droplet>, Fail> {
    ctx.names.many::<Droplet>(&ctx.client, labels, multiple)
}

fn taggable(ctx: &mut Ctx, sel: &DropletSelect) -> Result<Vec<TaggableRef>, Fail> {
    let found = select(ctx, &sel.droplets, sel.multiple)?;
    Ok(found.iter().map(|d| TaggableRef::Droplet(d.id)).collect())
}

/// An action on the droplets of an [`OnDroplets`].
fn act_on_droplets(ctx: &mut Ctx, a: OnDroplets, action: DropletAction) -> Result<(), Fail> {
    let droplets = select(ctx, &a.sel.droplets, a.sel.multiple)?;
    let client = ctx.client.clone();
    let actions = droplets
        .iter()
        .map(|d| Ok(client.act_on_droplet(d.id, action.clone())?));
    act_and_print(ctx, actions, a.wait.wait)
}

/// An action on the droplets of an [`OnDropletsOrTag`], or on their tag.
fn act_on_droplets_or_tag(
    ctx: &mut Ctx,
    a: OnDropletsOrTag,
    action: DropletAction,
) -> Result<(), Fail> {
    let Some(tag) = a.sel.tag else {
        let sel = DropletSelect {
            droplets: a.sel.droplets,
            multiple: a.sel.multiple,
        };
        return act_on_droplets(ctx, OnDroplets { sel, wait: a.wait }, action);
    };
    let actions: Vec<Action> = ctx.client.act_on_tagged_droplets(tag, action)?;
    act_and_print(ctx, actions.into_iter().map(Ok), a.wait.wait)
}

fn delete(ctx: &mut Ctx, sel: DropletOrTagSelect, with_associated: bool) -> Result<(), Fail> {
    if let Some(tag) = sel.tag {
        return Ok(ctx.client.delete_droplets_by_tag(tag)?);
    }
    let droplets = select(ctx, &sel.droplets, sel.multiple)?;
    for (i, d) in droplets.iter().enumerate() {
        let deleted = if with_associated {
            ctx.client.delete_droplet_with_all_associated(d.id)
        } else {
            ctx.client.delete_droplet(d.id)
        };
        deleted.map_err(|e| {
            let done: Vec<String> = droplets[..i].iter().map(|d| d.id.to_string()).collect();
            Fail::Client(e).after(format!(
                "deleting droplet {} (deleted before it: [{}])",
                d.id,
                done.join(", ")
            ))
        })?;
    }
    Ok(())
}

/// A backup of the droplet by id or name (its backups are listed, since
/// backups are not in the account's image listing by name).
fn backup_image(ctx: &mut Ctx, d: &Droplet, label: &str) -> Result<ImageRef, Fail> {
    if let Ok(id) = label.parse::<u64>() {
        return Ok(ImageRef::Id(id));
    }
    let backups: Vec<Image> = ctx
        .client
        .fetch_all_backups(d.id)
        .collect::<Result<_, _>>()?;
    let named: Vec<&Image> = backups
        .iter()
        .filter(|i| i.name.as_deref() == Some(label))
        .collect();
    match named.as_slice() {
        [one] => Ok(ImageRef::Id(one.id)),
        [] => Err(Fail::usage(format!(
            "droplet {} has no backup named {label:?}",
            d.id
        ))),
        many => Err(Fail::usage(format!(
            "{label:?} is ambiguous: {} backups have that name ({})",
            many.len(),
            many.iter()
                .map(|i| i.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn new(ctx: &mut Ctx, args: NewArgs) -> Result<(), Fail> {
    // Every name is checked before the first batch is sent, so a bad
    // eleventh name cannot leave ten droplets behind.
    for name in &args.names {
        validate_droplet_name(name).map_err(Error::Request)?;
    }
    for name in &args.names {
        ctx.check_unused::<Droplet>(name, args.unique)?;
    }
    let image = ctx.names.one::<Image>(&ctx.client, &args.image)?;
    let mut spec = DropletSpec::new(args.size, ImageRef::from(&image)).region(args.region);
    for label in &args.ssh_keys {
        spec.ssh_keys.push(ssh_key_ref(ctx, label, args.unique)?);
    }
    spec.backups = args.backups.then_some(true);
    if let Some(policy) = args.backup_policy {
        spec = spec.backup_policy(policy);
    }
    spec.ipv6 = args.ipv6.then_some(true);
    // doapi's option, kept; DigitalOcean still accepts the field.
    #[allow(deprecated)]
    let private_networking = &mut spec.private_networking;
    *private_networking = args.private_networking.then_some(true);
    spec.user_data = args.user_data.as_deref().map(text_or_file).transpose()?;
    spec.tags = args.tags;

    let mut created: Vec<Droplet> = Vec::new();
    for batch in args.names.chunks(CREATE_BATCH) {
        match ctx
            .client
            .create_multiple_droplets(batch.to_vec(), spec.clone())
        {
            Ok(mut ds) => created.append(&mut ds),
            Err(e) => {
                let fail = Fail::Client(e).after(format!(
                    "creating {:?} ({} droplets created before, printed)",
                    batch,
                    created.len()
                ));
                return print_partial(ctx, &created, fail);
            }
        }
    }
    if !args.wait {
        return ctx.out.items(&created);
    }
    // Droplets just created are `new` for a while: the first poll waits
    // one interval.
    let client = &ctx.client;
    let now = client.now();
    let interval = client.config().wait_interval;
    let n = created.len();
    let wait = client
        .session()
        .wait_droplets(created, Until::Status(DropletStatus::Active), now)
        .first_round_at(now + interval.min(Duration::from_secs(3600)));
    let wait = client.wait(wait);
    waiting::run(&mut ctx.out, wait, n, "droplets to be active")
}

/// An SSH key by id, fingerprint or name, or the path of a public key file:
/// a key already registered with the same key material is used, otherwise
/// the file is registered.
fn ssh_key_ref(ctx: &mut Ctx, label: &str, unique: bool) -> Result<SshKeyRef, Fail> {
    if let Some(key) = ctx.names.find::<SshKey>(&ctx.client, label)? {
        return Ok(SshKeyRef::Id(key.id));
    }
    let path = Path::new(label);
    if !path.is_file() {
        return Err(Fail::usage(format!(
            "no such SSH key: {label:?} (not an id, fingerprint, name or file)"
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fail::usage(format!("cannot read the SSH key file {label}: {e}")))?;
    let public_key = text.trim();
    let mut fields = public_key.split_whitespace();
    let (Some(kind), Some(material)) = (fields.next(), fields.next()) else {
        return Err(Fail::usage(format!("{label} is not an OpenSSH public key")));
    };
    let same = |k: &SshKey| {
        let mut f = k.public_key.split_whitespace();
        f.next() == Some(kind) && f.next() == Some(material)
    };
    if let Some(k) = ctx.names.first::<SshKey>(&ctx.client, same)? {
        return Ok(SshKeyRef::Id(k.id));
    }
    let name = match fields.collect::<Vec<_>>().join(" ") {
        comment if !comment.is_empty() => comment,
        _ => {
            let secs = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let file = path
                .file_name()
                .map_or_else(|| label.into(), |f| f.to_string_lossy());
            format!("doapi-{file}-{secs}")
        }
    };
    ctx.check_unused::<SshKey>(&name, unique)?;
    let key = ctx.client.create_ssh_key(&name, public_key)?;
    eprintln!(
        "doapi: registered the SSH key {label} as {name:?}, id {}, fingerprint {}",
        key.id,
        text::Safe::new(&key.fingerprint)
    );
    Ok(SshKeyRef::Id(key.id))
}

/// A backup schedule as `--backup-policy` takes it: `daily` or
/// `weekly[:DAY]`, then `@HOUR` if given. The hour is checked by the
/// request, as every other input.
fn parse_backup_policy(text: &str) -> Result<BackupPolicy, String> {
    let (plan, hour) = match text.split_once('@') {
        Some((plan, hour)) => {
            let hour = hour
                .parse()
                .map_err(|_| format!("{hour:?} is not an hour"))?;
            (plan, Some(hour))
        }
        None => (text, None),
    };
    let policy = match plan.split_once(':') {
        None if plan == "daily" => BackupPolicy::daily(),
        None if plan == "weekly" => BackupPolicy::Weekly {
            weekday: None,
            hour: None,
        },
        Some(("weekly", day)) => BackupPolicy::weekly(weekday(day)?),
        _ => return Err(format!("{plan:?} is not daily, weekly or weekly:DAY")),
    };
    Ok(hour.map_or(policy, |h| policy.at(h)))
}

/// A day as a weekly backup policy names it, in any case (`MON`, `mon`).
fn weekday(day: &str) -> Result<Weekday, String> {
    const DAYS: [(&str, Weekday); 7] = [
        ("SUN", Weekday::Sun),
        ("MON", Weekday::Mon),
        ("TUE", Weekday::Tue),
        ("WED", Weekday::Wed),
        ("THU", Weekday::Thu),
        ("FRI", Weekday::Fri),
        ("SAT", Weekday::Sat),
    ];
    DAYS.iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(day))
        .map(|(_, d)| *d)
        .ok_or_else(|| format!("{day:?} is not a day: SUN, MON, TUE, WED, THU, FRI or SAT"))
}
