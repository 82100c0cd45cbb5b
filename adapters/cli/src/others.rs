//! Every resource but droplets, and the raw `request`.

use std::net::IpAddr;

use clap::{Args, Subcommand};
use doapi_blocking::endpoints::{
    validate_tag_name, ActOnTarget, ActionTarget, FloatingIpTarget, ImageFilter, ListImages, Raw,
    RawList, RecordFields,
};
use doapi_blocking::models::{Action, Droplet, Image, RecordType, SshKey};
use doapi_blocking::{Client, Error};
use http::Method;
use serde_json::Value;

use crate::act::{act_and_print, wait_current_actions};
use crate::args::{ActFields, ActionsView, ImageSelect, WaitOpt};
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::input::{json_arg, text_or_file};
use crate::keyed::{each_or_all, unique};

// ---------------------------------------------------------------------------
// Images.

/// The image commands.
#[derive(Subcommand)]
pub enum ImageCmd {
    /// The images given, or every image (of a kind).
    Show {
        /// Only distribution images.
        #[arg(long, group = "kind", conflicts_with = "images")]
        distribution: bool,
        /// Only application images.
        #[arg(long, group = "kind", conflicts_with = "images")]
        application: bool,
        /// Only the account's own images.
        #[arg(long, group = "kind", conflicts_with = "images")]
        private: bool,
        /// Each image's id, slug or name; none for every image.
        #[arg(value_name = "IMAGE")]
        images: Vec<String>,
        /// Let a name stand for every image that has it.
        #[arg(short = 'M', long)]
        multiple: bool,
    },
    /// Deletes images.
    Delete(ImageSelect),
    /// Renames an image.
    Update {
        /// The image's id, slug or name.
        image: String,
        /// Its new name.
        name: String,
        /// Fail if an image already has that name.
        #[arg(long)]
        unique: bool,
    },
    /// Copies images to a region.
    Transfer {
        /// The region's slug.
        #[arg(long)]
        region: String,
        #[command(flatten)]
        sel: ImageSelect,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Converts backups to snapshots.
    Convert {
        #[command(flatten)]
        sel: ImageSelect,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Any action, its other fields given as a JSON object.
    Act {
        #[command(flatten)]
        fields: ActFields,
        #[command(flatten)]
        sel: ImageSelect,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// The images' actions, newest first.
    Actions {
        #[command(flatten)]
        view: ActionsView,
        #[command(flatten)]
        sel: ImageSelect,
    },
    /// Waits until each image's current action ends.
    Wait(ImageSelect),
}

fn images(ctx: &mut Ctx, sel: &ImageSelect) -> Result<Vec<Image>, Fail> {
    ctx.names
        .many::<Image>(&ctx.client, &sel.images, sel.multiple)
}

/// Starts `make(image id)` on each image of `sel`.
fn act_on_images(
    ctx: &mut Ctx,
    sel: &ImageSelect,
    wait: bool,
    make: impl Fn(&Client, u64) -> Result<Action, Error>,
) -> Result<(), Fail> {
    let found = images(ctx, sel)?;
    let client = ctx.client.clone();
    act_and_print(ctx, found.iter().map(|i| Ok(make(&client, i.id)?)), wait)
}

/// Runs an image command.
pub fn image(ctx: &mut Ctx, cmd: ImageCmd) -> Result<(), Fail> {
    match cmd {
        ImageCmd::Show {
            distribution,
            application,
            private,
            images: labels,
            multiple,
        } => {
            if !labels.is_empty() {
                let found = ctx.names.many::<Image>(&ctx.client, &labels, multiple)?;
                return ctx.out.items(found);
            }
            let filter = match (distribution, application, private) {
                (true, _, _) => ImageFilter::Distribution,
                (_, true, _) => ImageFilter::Application,
                (_, _, true) => ImageFilter::Private,
                _ => ImageFilter::All,
            };
            let all = ctx.client.list(ListImages { filter });
            ctx.out.stream(all)
        }
        ImageCmd::Delete(sel) => {
            let found = images(ctx, &sel)?;
            for i in &found {
                ctx.client.delete_image(i.id)?;
            }
            Ok(())
        }
        ImageCmd::Update {
            image,
            name,
            unique,
        } => {
            ctx.check_unused::<Image>(&name, unique)?;
            let i = ctx.names.one::<Image>(&ctx.client, &image)?;
            let updated = ctx.client.update_image(i.id, name)?;
            ctx.out.one(&updated)
        }
        ImageCmd::Transfer { region, sel, wait } => act_on_images(ctx, &sel, wait.wait, |c, id| {
            c.transfer_image(id, region.clone())
        }),
        ImageCmd::Convert { sel, wait } => {
            act_on_images(ctx, &sel, wait.wait, |c, id| c.convert_image(id))
        }
        ImageCmd::Act { fields, sel, wait } => {
            let fields = fields.parse()?;
            act_on_images(ctx, &sel, wait.wait, |c, id| {
                c.call(ActOnTarget {
                    target: ActionTarget::Image(id),
                    fields: fields.clone(),
                })
            })
        }
        ImageCmd::Actions { view, sel } => {
            let found = images(ctx, &sel)?;
            let targets = found.iter().map(|i| ActionTarget::Image(i.id));
            view.print(ctx, targets, |client, t| match t {
                ActionTarget::Image(id) => Box::new(client.fetch_all_image_actions(id)),
                _ => Box::new(std::iter::empty()),
            })
        }
        ImageCmd::Wait(sel) => {
            let found = images(ctx, &sel)?;
            wait_current_actions(ctx, found.iter().map(|i| ActionTarget::Image(i.id)))
        }
    }
}

// ---------------------------------------------------------------------------
// Actions.

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
        Some(ActionTarget::Account) | None => return Ok(Value::Null),
    };
    match fetched {
        Ok(v) => Ok(v.unwrap_or(Value::Null)),
        Err(e) if e.is_not_found() => Ok(Value::Null),
        Err(e) => Err(e.into()),
    }
}

/// Runs an action command.
pub fn action(ctx: &mut Ctx, cmd: ActionCmd) -> Result<(), Fail> {
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

// ---------------------------------------------------------------------------
// SSH keys.

/// The SSH key commands.
#[derive(Subcommand)]
pub enum SshKeyCmd {
    /// The keys given, or every key.
    Show {
        /// Each key's id, fingerprint or name; none for every key.
        #[arg(value_name = "KEY")]
        keys: Vec<String>,
        /// Let a name stand for every key that has it.
        #[arg(short = 'M', long)]
        multiple: bool,
    },
    /// Registers a public key.
    New {
        /// The key's name.
        name: String,
        /// The public key file (default: stdin).
        file: Option<String>,
        /// Fail if a key already has that name.
        #[arg(long)]
        unique: bool,
    },
    /// Renames a key.
    Update {
        /// The key's id, fingerprint or name.
        key: String,
        /// Its new name.
        name: String,
        /// Fail if a key already has that name.
        #[arg(long)]
        unique: bool,
    },
    /// Deletes keys.
    Delete {
        /// Each key's id, fingerprint or name.
        #[arg(required = true, value_name = "KEY")]
        keys: Vec<String>,
        /// Let a name stand for every key that has it.
        #[arg(short = 'M', long)]
        multiple: bool,
    },
}

/// Runs an SSH key command.
pub fn ssh_key(ctx: &mut Ctx, cmd: SshKeyCmd) -> Result<(), Fail> {
    match cmd {
        SshKeyCmd::Show { keys, multiple } => {
            if keys.is_empty() {
                return ctx.out.stream(ctx.client.fetch_all_ssh_keys());
            }
            let found = ctx.names.many::<SshKey>(&ctx.client, &keys, multiple)?;
            ctx.out.items(found)
        }
        SshKeyCmd::New { name, file, unique } => {
            ctx.check_unused::<SshKey>(&name, unique)?;
            let text = text_or_file(&format!("@{}", file.as_deref().unwrap_or("-")))?;
            let key = ctx.client.create_ssh_key(name, text.trim())?;
            ctx.out.one(&key)
        }
        SshKeyCmd::Update { key, name, unique } => {
            ctx.check_unused::<SshKey>(&name, unique)?;
            let k = ctx.names.one::<SshKey>(&ctx.client, &key)?;
            let updated = ctx.client.update_ssh_key(k.id, name)?;
            ctx.out.one(&updated)
        }
        SshKeyCmd::Delete { keys, multiple } => {
            let found = ctx.names.many::<SshKey>(&ctx.client, &keys, multiple)?;
            for k in &found {
                ctx.client.delete_ssh_key(k.id)?;
            }
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------
// Domains.

/// The fields of a record on the command line.
#[derive(Args)]
pub struct RecordOpts {
    /// Priority (MX, SRV).
    #[arg(long)]
    priority: Option<u64>,
    /// Port (SRV).
    #[arg(long)]
    port: Option<u64>,
    /// Weight (SRV).
    #[arg(long)]
    weight: Option<u64>,
    /// Time to live, in seconds.
    #[arg(long)]
    ttl: Option<u64>,
}

impl RecordOpts {
    fn apply(self, r: &mut RecordFields) {
        r.priority = self.priority;
        r.port = self.port;
        r.weight = self.weight;
        r.ttl = self.ttl;
    }
}

/// The domain commands.
#[derive(Subcommand)]
pub enum DomainCmd {
    /// The domains given, or every domain.
    Show {
        /// Each domain's name; none for every domain.
        domains: Vec<String>,
    },
    /// Adds a domain, with an apex A record if an address is given.
    New {
        /// The domain's name.
        domain: String,
        /// The address its apex points to.
        ip: Option<IpAddr>,
    },
    /// Deletes domains.
    Delete {
        /// Each domain's name.
        #[arg(required = true)]
        domains: Vec<String>,
    },
    /// The records given, or every record of a domain.
    #[command(alias = "show-record")]
    Records {
        /// The domain's name.
        domain: String,
        /// Each record's id; none for every record.
        #[arg(value_name = "ID")]
        ids: Vec<u64>,
    },
    /// Adds a record.
    NewRecord {
        /// The domain's name.
        domain: String,
        /// The record's type, such as A, CNAME, MX.
        #[arg(value_name = "TYPE")]
        kind: String,
        /// Its name, `@` for the apex.
        name: String,
        /// Its value.
        data: String,
        #[command(flatten)]
        opts: RecordOpts,
        /// Delete the domain's other records of this type and name.
        #[arg(long)]
        delete: bool,
    },
    /// Changes a record.
    UpdateRecord {
        /// The domain's name.
        domain: String,
        /// The record's id.
        id: u64,
        /// A new type (default: the record's own).
        #[arg(long = "type", value_name = "TYPE")]
        kind: Option<String>,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new value.
        #[arg(long)]
        data: Option<String>,
        #[command(flatten)]
        opts: RecordOpts,
    },
    /// Deletes records.
    DeleteRecord {
        /// The domain's name.
        domain: String,
        /// Each record's id.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<u64>,
    },
}

/// Runs a domain command.
pub fn domain(ctx: &mut Ctx, cmd: DomainCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        DomainCmd::Show { domains } => each_or_all(ctx, domains, client.fetch_all_domains(), |d| {
            client.fetch_domain(d)
        }),
        DomainCmd::New { domain, ip } => {
            let created = client.create_domain(domain, ip.map(|ip| ip.to_string()))?;
            ctx.out.one(&created)
        }
        DomainCmd::Delete { domains } => {
            for d in unique(domains) {
                client.delete_domain(d)?;
            }
            Ok(())
        }
        DomainCmd::Records { domain, ids } => {
            let all = client.fetch_all_domain_records(&domain);
            each_or_all(ctx, ids, all, |id| client.fetch_domain_record(&domain, id))
        }
        DomainCmd::NewRecord {
            domain,
            kind,
            name,
            data,
            opts,
            delete,
        } => {
            let kind = RecordType::from(kind.to_uppercase().as_str());
            let mut fields = RecordFields::new(kind.clone(), &name, data);
            opts.apply(&mut fields);
            let record = client.create_domain_record(&domain, fields)?;
            if delete {
                let others: Vec<u64> = client
                    .fetch_all_domain_records(&domain)
                    .filter_map(|r| match r {
                        Ok(r) if r.kind == kind && r.name == name && r.id != record.id => {
                            Some(Ok(r.id))
                        }
                        Ok(_) => None,
                        Err(e) => Some(Err(e)),
                    })
                    .collect::<Result<_, _>>()?;
                for id in others {
                    client.delete_domain_record(&domain, id)?;
                }
            }
            ctx.out.one(&record)
        }
        DomainCmd::UpdateRecord {
            domain,
            id,
            kind,
            name,
            data,
            opts,
        } => {
            let mut fields = RecordFields {
                kind: kind.map(|k| RecordType::from(k.to_uppercase().as_str())),
                name,
                data,
                ..RecordFields::default()
            };
            opts.apply(&mut fields);
            if fields == RecordFields::default() {
                return Err(Fail::usage("update-record: no field to change given"));
            }
            if fields.kind.is_none() {
                // DigitalOcean wants the type in every update: keep the record's.
                fields.kind = Some(client.fetch_domain_record(&domain, id)?.kind);
            }
            let record = client.update_domain_record(domain, id, fields)?;
            ctx.out.one(&record)
        }
        DomainCmd::DeleteRecord { domain, ids } => {
            for id in unique(ids) {
                client.delete_domain_record(&domain, id)?;
            }
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------
// Floating IPs.

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
pub fn floating_ip(ctx: &mut Ctx, cmd: FloatingIpCmd) -> Result<(), Fail> {
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
                Ok(client.call(ActOnTarget {
                    target: ActionTarget::FloatingIp(ip),
                    fields: fields.clone(),
                })?)
            });
            act_and_print(ctx, actions, wait.wait)
        }
        FloatingIpCmd::Actions { view, ips } => {
            let targets = unique(ips).map(ActionTarget::FloatingIp);
            view.print(ctx, targets, |client, t| match t {
                ActionTarget::FloatingIp(ip) => Box::new(client.fetch_all_floating_ip_actions(ip)),
                _ => Box::new(std::iter::empty()),
            })
        }
        FloatingIpCmd::Wait { ips } => {
            wait_current_actions(ctx, unique(ips).map(ActionTarget::FloatingIp))
        }
    }
}

// ---------------------------------------------------------------------------
// Tags, regions, sizes, the account.

/// The tag commands.
#[derive(Subcommand)]
pub enum TagCmd {
    /// The tags given, or every tag.
    Show {
        /// Each tag's name; none for every tag.
        tags: Vec<String>,
    },
    /// Creates tags.
    New {
        /// Each tag's name.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Deletes tags.
    Delete {
        /// Each tag's name.
        #[arg(required = true)]
        tags: Vec<String>,
    },
}

/// Runs a tag command.
pub fn tag(ctx: &mut Ctx, cmd: TagCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        TagCmd::Show { tags } => {
            each_or_all(ctx, tags, client.fetch_all_tags(), |t| client.fetch_tag(t))
        }
        TagCmd::New { names } => {
            // Every name is checked before the first tag is made.
            for n in &names {
                validate_tag_name(n).map_err(Error::Request)?;
            }
            ctx.out.stream(unique(names).map(|n| client.create_tag(n)))
        }
        TagCmd::Delete { tags } => {
            for t in unique(tags) {
                client.delete_tag(t)?;
            }
            Ok(())
        }
    }
}

/// Commands with only `show`.
#[derive(Subcommand)]
pub enum ShowOnly {
    /// Every one.
    Show,
}

// ---------------------------------------------------------------------------
// The raw request.

/// `doapi request`.
#[derive(Args)]
pub struct RequestArgs {
    /// The method.
    #[arg(short = 'X', long = "request", default_value = "GET", value_parser = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], ignore_case = true)]
    method: String,
    /// The JSON body, or @FILE (@- for stdin).
    #[arg(short = 'd', long = "data", value_name = "JSON|@FILE")]
    data: Option<String>,
    /// Follow every page and print the items under KEY (GET only).
    #[arg(long, value_name = "KEY")]
    paginate: Option<String>,
    /// `/v2/...`, or a URL on the endpoint's origin.
    path: String,
}

/// Runs `doapi request`.
pub fn request(ctx: &mut Ctx, r: RequestArgs) -> Result<(), Fail> {
    let method = Method::from_bytes(r.method.to_uppercase().as_bytes())
        .map_err(|_| Fail::usage(format!("bad method {:?}", r.method)))?;
    let body = match &r.data {
        Some(d) => Some(json_arg(&text_or_file(d)?, "--data")?),
        None => None,
    };
    if let Some(key) = r.paginate {
        if method != Method::GET || body.is_some() {
            return Err(Fail::usage("--paginate only goes with GET and no --data"));
        }
        let items = ctx.client.paginate(RawList {
            url: r.path,
            key,
            query: Vec::new(),
        });
        return ctx.out.stream(items);
    }
    let answer = ctx.client.request(Raw {
        method,
        url: r.path,
        query: Vec::new(),
        body,
    })?;
    match answer {
        Some(v) => ctx.out.one(&v),
        None => Ok(()),
    }
}
