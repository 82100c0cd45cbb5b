//! Droplets: create, list, delete, their sub-listings and their actions.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::backups::{policy, PolicyBody};
use super::{indexed_page, valid_tag, IdOrName};
use crate::cloud::{Cloud, Event};
use crate::resources::{
    BackupPolicy, BackupWindow, DiskInfo, Droplet, Effect, Image, ImageClass, Networks, Size,
    SnapshotKey, Status, Target, V4, V6,
};
use crate::wire::{no_content, one, one_with_links, page, ApiError, ApiResult, Ctx};

/// DigitalOcean creates at most this many droplets in one request.
const MAX_NAMES: usize = 10;
/// Backups kept per droplet; older ones are deleted.
const BACKUPS_KEPT: usize = 4;
/// The action types DigitalOcean accepts on all droplets with a tag.
const TAG_ACTIONS: &[&str] = &[
    "enable_backups",
    "disable_backups",
    "power_cycle",
    "power_on",
    "power_off",
    "shutdown",
    "enable_ipv6",
    "enable_private_networking",
    "snapshot",
];

#[derive(Deserialize)]
struct CreateBody {
    name: Option<String>,
    names: Option<Vec<String>>,
    region: Option<String>,
    size: String,
    image: IdOrName,
    #[serde(default)]
    ssh_keys: Vec<IdOrName>,
    #[serde(default)]
    backups: bool,
    #[serde(default)]
    ipv6: bool,
    #[serde(default)]
    private_networking: bool,
    #[serde(default)]
    monitoring: bool,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    volumes: Vec<String>,
    vpc_uuid: Option<String>,
    backup_policy: Option<PolicyBody>,
}

#[derive(Deserialize)]
struct ActionBody {
    #[serde(rename = "type")]
    kind: String,
    name: Option<String>,
    size: Option<String>,
    #[serde(default)]
    disk: bool,
    image: Option<IdOrName>,
    kernel: Option<u64>,
    backup_policy: Option<PolicyBody>,
}

/// An action reference in a create's `links`.
#[derive(Serialize)]
struct ActionLink {
    id: u64,
    rel: &'static str,
    href: String,
}

/// Checks a droplet name the way DigitalOcean does (a host name).
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

impl Cloud {
    /// Creates the configured seed droplets, booted by `now`: their boot
    /// actions end at `now`, for the model to run.
    pub(crate) fn seed(&mut self, now: Instant) {
        let size = self.catalog.size("s-1vcpu-1gb").cloned();
        let region = self.catalog.region("nyc3").cloned();
        let image = self
            .st
            .images
            .values()
            .find(|i| i.slug.as_deref() == Some("ubuntu-22-04-x64"))
            .cloned();
        let (Some(size), Some(region), Some(image)) = (size, region, image) else {
            return;
        };
        for i in 1..=self.cfg.seed_droplets {
            let spec = Spec {
                size: size.clone(),
                region: region.clone(),
                image: image.clone(),
                features: Vec::new(),
                tags: Vec::new(),
                volumes: Vec::new(),
                vpc_uuid: self.default_vpc(region.slug).unwrap_or_default(),
                backup_policy: None,
            };
            self.new_droplet(format!("seed-{i}"), &spec, now, Duration::ZERO);
        }
    }

    pub(crate) fn list_droplets(&mut self, ctx: &Ctx) -> ApiResult {
        let ids = self.st.droplet_index.ids(ctx.query("tag_name"));
        indexed_page(
            ctx,
            "droplets",
            ids,
            |id| self.st.droplets.get(id),
            |d: &Droplet, n| d.name == n,
        )
    }

    pub(crate) fn get_droplet(&mut self, ctx: &Ctx) -> ApiResult {
        one(200, "droplet", self.droplet(ctx.id(0)?)?)
    }

    pub(crate) fn create_droplets(&mut self, ctx: &Ctx) -> ApiResult {
        let body: CreateBody = ctx.json()?;
        let single = body.names.is_none();
        let names = match (body.names, body.name) {
            (Some(names), _) => names,
            (None, Some(name)) => vec![name],
            (None, None) => return Err(ApiError::unprocessable("name is required")),
        };
        if names.is_empty() || names.len() > MAX_NAMES {
            return Err(ApiError::unprocessable(format!(
                "names must hold 1 to {MAX_NAMES} names"
            )));
        }
        if let Some(bad) = names.iter().find(|n| !valid_name(n)) {
            return Err(ApiError::unprocessable(format!(
                "{bad:?}: Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)"
            )));
        }
        let size = self.catalog.size(&body.size).cloned().ok_or_else(|| {
            ApiError::unprocessable("You specified an invalid size for Droplet creation.")
        })?;
        let region = match &body.region {
            Some(slug) => self
                .catalog
                .region(slug)
                .filter(|r| r.available)
                .cloned()
                .ok_or_else(|| {
                    ApiError::unprocessable("You specified an invalid region for Droplet creation.")
                })?,
            None => self
                .catalog
                .regions
                .iter()
                .find(|r| r.slug == "nyc3")
                .cloned()
                .ok_or_else(|| ApiError::new(500, "no default region"))?,
        };
        if !region.sizes.contains(&size.slug) {
            return Err(ApiError::unprocessable(
                "Size is not available in this region.",
            ));
        }
        let image = self
            .image(&body.image)
            .filter(|i| i.regions.contains(&region.slug))
            .cloned()
            .ok_or_else(|| {
                ApiError::unprocessable("You specified an invalid image for Droplet creation.")
            })?;
        if image.min_disk_size > size.disk {
            return Err(ApiError::unprocessable(
                "The image's minimum disk size is larger than the size's disk.",
            ));
        }
        if let Some(k) = body.ssh_keys.iter().find(|k| self.key(k).is_none()) {
            return Err(ApiError::unprocessable(format!(
                "You specified an invalid SSH key: {k}"
            )));
        }
        let tags = body.tags.unwrap_or_default();
        if let Some(t) = tags.iter().find(|t| !valid_tag(t)) {
            return Err(ApiError::unprocessable(format!("invalid tag name {t:?}")));
        }
        if !body.volumes.is_empty() && names.len() > 1 {
            return Err(ApiError::unprocessable(
                "A volume can be attached to one Droplet only.",
            ));
        }
        for v in &body.volumes {
            self.attachable(v, &region)?;
        }
        let vpc_uuid = match body.vpc_uuid {
            Some(id) => self.vpc_in(&id, region.slug)?,
            None => self.default_vpc(region.slug)?,
        };
        let backup_policy = match (body.backup_policy, body.backups) {
            (Some(_), false) => {
                return Err(ApiError::unprocessable(
                    "backup_policy needs backups enabled.",
                ))
            }
            (p, true) => Some(policy(p)?),
            (None, false) => None,
        };
        if (self.st.droplets.len() + names.len()) as u64 > self.cfg.droplet_limit {
            return Err(ApiError::unprocessable(
                "creating this/these droplet(s) will exceed your droplet limit",
            ));
        }
        for t in &tags {
            self.st.tags.insert(t.clone());
        }
        let mut features = Vec::new();
        for (on, f) in [
            (body.backups, "backups"),
            (body.ipv6, "ipv6"),
            (body.private_networking, "private_networking"),
            (body.monitoring, "monitoring"),
        ] {
            if on {
                features.push(f);
            }
        }
        let spec = Spec {
            size,
            region,
            image,
            features,
            tags,
            volumes: body.volumes,
            vpc_uuid,
            backup_policy,
        };
        let mut ids = Vec::new();
        let mut links = Vec::new();
        for name in names {
            let (id, action) = self.new_droplet(name, &spec, ctx.now, self.cfg.boot_delay);
            ids.push(id);
            links.push(ActionLink {
                id: action,
                rel: "create",
                href: format!("{}/v2/actions/{action}", ctx.origin),
            });
        }
        let links = serde_json::json!({ "actions": links });
        let droplets: Vec<&Droplet> = ids.iter().filter_map(|i| self.st.droplets.get(i)).collect();
        match (single, droplets.as_slice()) {
            (true, [d]) => one_with_links(202, "droplet", d, &links),
            _ => one_with_links(202, "droplets", &droplets, &links),
        }
    }

    /// Adds a `new` droplet and its `create` action, which boots it after
    /// `boot`.
    fn new_droplet(
        &mut self,
        name: String,
        spec: &Spec,
        now: Instant,
        boot: Duration,
    ) -> (u64, u64) {
        let id = self.st.next_droplet;
        self.st.next_droplet += 1;
        let host = self.rng.next_u64() % 16;
        let droplet = Droplet {
            id,
            name,
            memory: spec.size.memory,
            vcpus: spec.size.vcpus,
            disk: spec.size.disk,
            disk_info: DiskInfo::local(spec.size.disk),
            locked: false,
            status: Status::New,
            kernel: None,
            created_at: self.stamp(now),
            features: spec.features.clone(),
            backup_ids: Vec::new(),
            next_backup_window: None,
            snapshot_ids: Vec::new(),
            image: spec.image.clone(),
            volume_ids: spec.volumes.clone(),
            size: spec.size.clone(),
            size_slug: spec.size.slug,
            networks: Networks::default(),
            region: spec.region.clone(),
            tags: spec.tags.clone(),
            vpc_uuid: spec.vpc_uuid.clone(),
            gpu_info: spec.size.gpu_info.clone(),
            backup_policy: spec.backup_policy.clone(),
            busy: None,
            host,
            next_backup: None,
        };
        self.st.droplet_index.insert(id, &droplet.tags);
        self.st.droplets.insert(id, droplet);
        for v in &spec.volumes {
            self.attach(v, id);
        }
        let default = self.project_id.clone();
        self.assign_to(&default, droplet_urn(id), now);
        let region = Some(spec.region.clone());
        let target = Target::Droplet(id);
        let action =
            self.start_action(now, boot, "create", "droplet", target, region, Effect::Boot);
        if let Some(d) = self.st.droplets.get_mut(&id) {
            d.busy = Some(action);
        }
        (id, action)
    }

    pub(crate) fn delete_droplet(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        self.droplet(id)?;
        self.remove_droplet(id);
        no_content()
    }

    pub(crate) fn delete_droplets_by_tag(&mut self, ctx: &Ctx) -> ApiResult {
        let tag = ctx
            .query("tag_name")
            .ok_or_else(|| ApiError::bad_request("tag_name is required"))?;
        let ids: Vec<u64> = self.tagged_droplets(tag);
        for id in ids {
            self.remove_droplet(id);
        }
        no_content()
    }

    /// Deletes a droplet and its backups; its reserved IPs, volumes,
    /// firewalls, load balancers and project no longer have it.
    pub(crate) fn remove_droplet(&mut self, id: u64) {
        let Some(d) = self.st.droplets.remove(&id) else {
            return;
        };
        self.st.droplet_index.remove(&id, &d.tags);
        for b in d.backup_ids {
            self.st.images.remove(&b);
        }
        for r in self.st.reserved_ips.values_mut() {
            r.droplet = r.droplet.filter(|d| *d != id);
        }
        for r in self.st.reserved_ipv6.values_mut() {
            r.droplet = r.droplet.filter(|d| *d != id);
        }
        for v in &d.volume_ids {
            if let Some(v) = self.st.volumes.get_mut(v) {
                v.droplet_ids.retain(|x| *x != id);
            }
        }
        for f in self.st.firewalls.values_mut() {
            f.droplet_ids.retain(|x| *x != id);
        }
        for lb in self.st.load_balancers.values_mut() {
            lb.droplet_ids.retain(|x| *x != id);
        }
        self.unassign_urn(&droplet_urn(id));
    }

    fn tagged_droplets(&self, tag: &str) -> Vec<u64> {
        self.st.droplet_index.ids(Some(tag)).to_vec()
    }

    pub(crate) fn list_kernels(&mut self, ctx: &Ctx) -> ApiResult {
        self.droplet(ctx.id(0)?)?;
        page(ctx, "kernels", &self.catalog.kernels)
    }

    pub(crate) fn list_droplet_snapshots(&mut self, ctx: &Ctx) -> ApiResult {
        let d = self.droplet(ctx.id(0)?)?;
        let items: Vec<&Image> = d
            .snapshot_ids
            .iter()
            .filter_map(|i| self.st.images.get(i))
            .collect();
        page(ctx, "snapshots", &items)
    }

    pub(crate) fn list_droplet_backups(&mut self, ctx: &Ctx) -> ApiResult {
        let d = self.droplet(ctx.id(0)?)?;
        let items: Vec<&Image> = d
            .backup_ids
            .iter()
            .filter_map(|i| self.st.images.get(i))
            .collect();
        page(ctx, "backups", &items)
    }

    pub(crate) fn list_droplet_actions(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        self.droplet(id)?;
        self.resource_actions(ctx, &Target::Droplet(id))
    }

    pub(crate) fn get_droplet_action(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        self.droplet(id)?;
        self.resource_action(ctx.id(1)?, &Target::Droplet(id))
    }

    pub(crate) fn list_neighbors(&mut self, ctx: &Ctx) -> ApiResult {
        let d = self.droplet(ctx.id(0)?)?;
        let items: Vec<&Droplet> = self
            .st
            .droplets
            .values()
            .filter(|o| o.id != d.id && o.host == d.host && o.region.slug == d.region.slug)
            .collect();
        page(ctx, "droplets", &items)
    }

    pub(crate) fn neighbors_report(&mut self, _ctx: &Ctx) -> ApiResult {
        let mut groups: std::collections::BTreeMap<(&str, u64), Vec<u64>> = Default::default();
        for d in self.st.droplets.values() {
            groups
                .entry((d.region.slug, d.host))
                .or_default()
                .push(d.id);
        }
        let ids: Vec<Vec<u64>> = groups.into_values().filter(|g| g.len() > 1).collect();
        one(200, "neighbor_ids", &ids)
    }

    pub(crate) fn act_on_droplet(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        let body: ActionBody = ctx.json()?;
        let d = self.droplet(id)?;
        let effect = self.droplet_effect(d, &body, ctx.now)?;
        if d.busy.is_some() {
            return Err(ApiError::unprocessable(
                "Droplet already has a pending event.",
            ));
        }
        let action = self.begin_droplet_action(id, &body.kind, effect, ctx.now);
        one(201, "action", &self.st.actions.get(&action))
    }

    pub(crate) fn act_on_tagged_droplets(&mut self, ctx: &Ctx) -> ApiResult {
        let tag = ctx
            .query("tag_name")
            .ok_or_else(|| ApiError::bad_request("tag_name is required"))?
            .to_owned();
        let body: ActionBody = ctx.json()?;
        if !TAG_ACTIONS.contains(&body.kind.as_str()) {
            return Err(ApiError::unprocessable(format!(
                "{:?} cannot be applied by tag",
                body.kind
            )));
        }
        let mut planned = Vec::new();
        for id in self.tagged_droplets(&tag) {
            let d = self.droplet(id)?;
            if d.busy.is_some() {
                return Err(ApiError::unprocessable(format!(
                    "Droplet {id} already has a pending event."
                )));
            }
            planned.push((id, self.droplet_effect(d, &body, ctx.now)?));
        }
        let ids: Vec<u64> = planned
            .into_iter()
            .map(|(id, effect)| self.begin_droplet_action(id, &body.kind, effect, ctx.now))
            .collect();
        let actions: Vec<_> = ids.iter().filter_map(|a| self.st.actions.get(a)).collect();
        one(201, "actions", &actions)
    }

    fn begin_droplet_action(&mut self, id: u64, kind: &str, effect: Effect, now: Instant) -> u64 {
        let Some(region) = self.st.droplets.get(&id).map(|d| d.region.clone()) else {
            return 0;
        };
        let action = self.begin(now, kind, "droplet", Target::Droplet(id), region, effect);
        if let Some(d) = self.st.droplets.get_mut(&id) {
            d.busy = Some(action);
            d.locked = true;
        }
        action
    }

    /// What an action body will do to a droplet, or why it is refused.
    fn droplet_effect(
        &self,
        d: &Droplet,
        body: &ActionBody,
        now: Instant,
    ) -> Result<Effect, ApiError> {
        let missing =
            |what: &str| ApiError::unprocessable(format!("{what} is required for {}", body.kind));
        Ok(match body.kind.as_str() {
            "enable_backups" => Effect::EnableBackups(policy(body.backup_policy.clone())?),
            "change_backup_policy" if !d.has_feature("backups") => {
                return Err(ApiError::unprocessable(
                    "Backups must be enabled to change the backup policy.",
                ))
            }
            "change_backup_policy" => {
                let p = body
                    .backup_policy
                    .clone()
                    .ok_or_else(|| missing("backup_policy"))?;
                Effect::BackupPolicy(policy(Some(p))?)
            }
            "disable_backups" => Effect::DisableBackups,
            "reboot" | "power_cycle" | "power_on" => Effect::Power(Status::Active),
            "shutdown" | "power_off" => Effect::Power(Status::Off),
            "password_reset" => Effect::None,
            "enable_ipv6" => Effect::EnableIpv6,
            "enable_private_networking" => Effect::EnablePrivateNetworking,
            "rename" => {
                let name = body.name.clone().ok_or_else(|| missing("name"))?;
                if !valid_name(&name) {
                    return Err(ApiError::unprocessable(
                        "Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)",
                    ));
                }
                Effect::Rename(name)
            }
            "resize" => {
                let slug = body.size.as_deref().ok_or_else(|| missing("size"))?;
                let size = self
                    .catalog
                    .size(slug)
                    .filter(|s| d.region.sizes.contains(&s.slug))
                    .cloned()
                    .ok_or_else(|| ApiError::unprocessable("You specified an invalid size."))?;
                if size.disk < d.disk {
                    return Err(ApiError::unprocessable(
                        "This size is not available because it has a smaller disk.",
                    ));
                }
                Effect::Resize {
                    size,
                    disk: body.disk,
                }
            }
            "rebuild" => {
                let image = body.image.as_ref().ok_or_else(|| missing("image"))?;
                let image = self
                    .image(image)
                    .filter(|i| i.regions.contains(&d.region.slug))
                    .ok_or_else(|| ApiError::unprocessable("You specified an invalid image."))?;
                Effect::Rebuild(Box::new(image.clone()))
            }
            "restore" => {
                let image = match body.image {
                    Some(IdOrName::Id(id)) => id,
                    _ => return Err(missing("image (a backup or snapshot id)")),
                };
                if !d.backup_ids.contains(&image) && !d.snapshot_ids.contains(&image) {
                    return Err(ApiError::unprocessable(
                        "You can only restore a Droplet from its own backups or snapshots.",
                    ));
                }
                Effect::Power(Status::Active)
            }
            "change_kernel" => {
                let k = body.kernel.ok_or_else(|| missing("kernel"))?;
                let kernel = self
                    .catalog
                    .kernels
                    .iter()
                    .find(|x| x.id == k)
                    .ok_or_else(|| ApiError::unprocessable("You specified an invalid kernel."))?;
                Effect::ChangeKernel(kernel.clone())
            }
            "snapshot" => Effect::Snapshot(
                body.name
                    .clone()
                    .unwrap_or_else(|| format!("{}-{}", d.name, self.unix(now))),
            ),
            other => {
                return Err(ApiError::unprocessable(format!(
                    "{other:?} is not a valid droplet action"
                )))
            }
        })
    }

    /// Ends a droplet action: unlocks the droplet and, unless it failed,
    /// applies the effect.
    pub(crate) fn finish_droplet_action(
        &mut self,
        id: u64,
        action: u64,
        effect: Effect,
        failed: bool,
        at: Instant,
    ) {
        let Some(d) = self.st.droplets.get_mut(&id) else {
            return;
        };
        if d.busy == Some(action) {
            d.busy = None;
            d.locked = false;
        }
        if failed {
            return;
        }
        match effect {
            Effect::None => {}
            Effect::Boot => {
                d.status = Status::Active;
                self.assign_addresses(id);
                if self
                    .st
                    .droplets
                    .get(&id)
                    .is_some_and(|d| d.has_feature("backups"))
                {
                    self.plan_backup(id, at);
                }
            }
            Effect::Power(s) => d.status = s,
            Effect::Rename(name) => d.name = name,
            Effect::Resize { size, disk } => resize(d, size, disk),
            Effect::Rebuild(image) => {
                d.image = *image;
                d.status = Status::Active;
            }
            Effect::Snapshot(name) => self.snapshot(id, name, "snapshot", at),
            Effect::EnableBackups(p) => {
                d.add_feature("backups");
                d.backup_policy = Some(p);
                self.plan_backup(id, at);
            }
            Effect::BackupPolicy(p) => d.backup_policy = Some(p),
            Effect::DisableBackups => {
                d.remove_feature("backups");
                d.backup_policy = None;
                d.next_backup = None;
                d.next_backup_window = None;
            }
            Effect::EnableIpv6 => {
                d.add_feature("ipv6");
                self.assign_addresses(id);
            }
            Effect::EnablePrivateNetworking => {
                d.add_feature("private_networking");
                self.assign_addresses(id);
            }
            Effect::ChangeKernel(k) => d.kernel = Some(k),
            Effect::Transfer(_)
            | Effect::Convert
            | Effect::Assign(_)
            | Effect::Attach(_)
            | Effect::Detach(_)
            | Effect::Grow(_) => {}
        }
    }

    /// Gives a booted droplet the addresses its features call for.
    fn assign_addresses(&mut self, id: u64) {
        let Some(d) = self.st.droplets.get(&id) else {
            return;
        };
        let (want_private, want_v6) = (d.has_feature("private_networking"), d.has_feature("ipv6"));
        // A reserved IP on the droplet is not its own address.
        let own = |ip: &str| !ip.parse().is_ok_and(|ip| self.is_reserved(ip));
        let has_public = d
            .networks
            .v4
            .iter()
            .any(|n| n.kind == "public" && own(&n.ip_address));
        let has_private = d.networks.v4.iter().any(|n| n.kind == "private");
        let has_v6 = d.networks.v6.iter().any(|n| own(&n.ip_address));
        let mut add4 = Vec::new();
        let mut add6 = Vec::new();
        let n = self.st.addresses;
        if !has_public {
            let ip = Ipv4Addr::from(u32::from(Ipv4Addr::new(159, 65, 16, 2)).wrapping_add(n));
            let gw = Ipv4Addr::from(u32::from(ip) & 0xffff_f000 | 1);
            add4.push(V4 {
                ip_address: ip.to_string(),
                netmask: "255.255.240.0",
                gateway: gw.to_string(),
                kind: "public",
            });
        }
        if want_private && !has_private {
            let ip = Ipv4Addr::from(u32::from(Ipv4Addr::new(10, 108, 0, 2)).wrapping_add(n));
            add4.push(V4 {
                ip_address: ip.to_string(),
                netmask: "255.255.0.0",
                gateway: "nil".into(),
                kind: "private",
            });
        }
        if want_v6 && !has_v6 {
            let base = u128::from(Ipv6Addr::new(0x2604, 0xa880, 0x800, 0x10, 0, 0, 0, 0));
            add6.push(V6 {
                ip_address: Ipv6Addr::from(base | (u128::from(n) << 16) | 0x1001).to_string(),
                netmask: 64,
                gateway: Ipv6Addr::from(base | 1).to_string(),
                kind: "public",
            });
        }
        self.st.addresses = self.st.addresses.wrapping_add(1);
        if let Some(d) = self.st.droplets.get_mut(&id) {
            d.networks.v4.extend(add4);
            d.networks.v6.extend(add6);
        }
    }

    /// Schedules the next backup of a droplet one interval after `at`.
    fn plan_backup(&mut self, id: u64, at: Instant) {
        let next = at + self.cfg.backup_interval;
        let window = BackupWindow {
            start: self.stamp(next),
            end: self.stamp(next + Duration::from_secs(3600)),
        };
        if let Some(d) = self.st.droplets.get_mut(&id) {
            d.next_backup = Some(next);
            d.next_backup_window = Some(window);
            self.schedule(next, Event::Backup(id));
        }
    }

    /// A scheduled backup: taken if backups are still on and this is the
    /// planned one; then the next is planned.
    pub(crate) fn backup(&mut self, id: u64, at: Instant) {
        let name = match self.st.droplets.get(&id) {
            Some(d) if d.next_backup == Some(at) => d.name.clone(),
            _ => return,
        };
        let name = format!("{name} {}", &self.stamp(at)[..10]);
        self.snapshot(id, name, "backup", at);
        self.plan_backup(id, at);
    }

    /// Takes a snapshot or backup image of a droplet.
    fn snapshot(&mut self, id: u64, name: String, kind: &'static str, at: Instant) {
        let image_id = self.st.next_image;
        self.st.next_image += 1;
        let created_at = self.stamp(at);
        let Some(d) = self.st.droplets.get_mut(&id) else {
            return;
        };
        let image = Image {
            id: image_id,
            name,
            kind,
            distribution: d.image.distribution,
            slug: None,
            public: false,
            regions: vec![d.region.slug],
            created_at,
            min_disk_size: d.disk,
            size_gigabytes: d.image.size_gigabytes + 0.42,
            description: String::new(),
            tags: Vec::new(),
            status: "available",
            error_message: "",
            class: ImageClass::Private,
            busy: None,
            origin: id,
        };
        let dropped = if kind == "backup" {
            d.backup_ids.push(image_id);
            let excess = d.backup_ids.len().saturating_sub(BACKUPS_KEPT);
            d.backup_ids.drain(..excess).collect()
        } else {
            d.snapshot_ids.push(image_id);
            let key = SnapshotKey::Image(image_id);
            self.st.snapshot_index.insert(key, &["droplet"]);
            Vec::new()
        };
        for old in dropped {
            self.st.images.remove(&old);
        }
        self.st.images.insert(image_id, image);
    }

    /// Whether an address is a reserved IP (v4 or v6).
    fn is_reserved(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(ip) => self.st.reserved_ips.contains_key(&ip),
            IpAddr::V6(ip) => self.st.reserved_ipv6.contains_key(&ip),
        }
    }

    /// A reserved IP moves between droplets' networks (either may be none).
    pub(crate) fn move_address(&mut self, ip: IpAddr, from: Option<u64>, to: Option<u64>) {
        let text = ip.to_string();
        if let Some(d) = from.and_then(|d| self.st.droplets.get_mut(&d)) {
            d.networks.v4.retain(|n| n.ip_address != text);
            d.networks.v6.retain(|n| n.ip_address != text);
        }
        let Some(d) = to.and_then(|d| self.st.droplets.get_mut(&d)) else {
            return;
        };
        match ip {
            IpAddr::V4(v4) => d.networks.v4.push(V4 {
                gateway: Ipv4Addr::from(u32::from(v4) & 0xffff_ff00 | 1).to_string(),
                ip_address: text,
                netmask: "255.255.255.0",
                kind: "public",
            }),
            IpAddr::V6(v6) => d.networks.v6.push(V6 {
                gateway: Ipv6Addr::from(u128::from(v6) & !0xffff_ffff_ffff_ffff | 1).to_string(),
                ip_address: text,
                netmask: 64,
                kind: "public",
            }),
        }
    }

    /// The droplet with this id, or 404.
    pub(crate) fn droplet(&self, id: u64) -> Result<&Droplet, ApiError> {
        self.st.droplets.get(&id).ok_or_else(ApiError::not_found)
    }
}

/// What every droplet of one create request shares.
struct Spec {
    size: Arc<Size>,
    region: Arc<crate::resources::Region>,
    image: Image,
    features: Vec<&'static str>,
    tags: Vec<String>,
    volumes: Vec<String>,
    vpc_uuid: String,
    backup_policy: Option<BackupPolicy>,
}

/// A droplet's URN in projects.
pub(crate) fn droplet_urn(id: u64) -> String {
    format!("do:droplet:{id}")
}

fn resize(d: &mut Droplet, size: Arc<Size>, disk: bool) {
    d.memory = size.memory;
    d.vcpus = size.vcpus;
    if disk {
        d.disk = size.disk;
        d.disk_info = DiskInfo::local(size.disk);
    }
    d.size_slug = size.slug;
    d.size = size;
}
