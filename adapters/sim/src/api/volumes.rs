//! Block storage volumes, their actions (attach, detach, resize) and their
//! snapshots.

use std::sync::Arc;

use serde::Deserialize;

use super::{indexed_page, no_droplet, valid_tag};
use crate::cloud::Cloud;
use crate::resources::{Effect, Region, Snapshot, SnapshotKey, Target, Volume};
use crate::wire::{found, no_content, one, ApiError, ApiResult, Ctx};

/// DigitalOcean's largest volume, in GiB.
const MAX_GIB: u64 = 16_384;

#[derive(Deserialize)]
struct CreateBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    size_gigabytes: u64,
    region: Option<String>,
    #[serde(default)]
    description: String,
    snapshot_id: Option<String>,
    #[serde(default)]
    filesystem_type: String,
    #[serde(default)]
    filesystem_label: String,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct ActionBody {
    #[serde(rename = "type")]
    kind: String,
    droplet_id: Option<u64>,
    size_gigabytes: Option<u64>,
    region: Option<String>,
    volume_name: Option<String>,
}

#[derive(Deserialize)]
struct SnapshotBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    tags: Vec<String>,
}

/// A volume's URN in projects.
pub(crate) fn volume_urn(id: &str) -> String {
    format!("do:volume:{id}")
}

/// A volume name: lowercase letters, digits and `-`, starting with a
/// letter, at most 64.
fn valid_volume_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Cloud {
    pub(crate) fn list_volumes(&mut self, ctx: &Ctx) -> ApiResult {
        let ids = self.st.volume_index.ids(ctx.query("region"));
        indexed_page(
            ctx,
            "volumes",
            ids,
            |id| self.st.volumes.get(id),
            |v: &Volume, n| v.name == n,
        )
    }

    pub(crate) fn get_volume(&mut self, ctx: &Ctx) -> ApiResult {
        one(200, "volume", found(self.st.volumes.get(ctx.param(0)))?)
    }

    pub(crate) fn create_volume(&mut self, ctx: &Ctx) -> ApiResult {
        let b: CreateBody = ctx.json()?;
        let bad = |m: &str| Err(ApiError::unprocessable(m));
        if !valid_volume_name(&b.name) {
            return bad("name must be lowercase letters, numbers and '-', starting with a letter, at most 64");
        }
        if !(1..=MAX_GIB).contains(&b.size_gigabytes) {
            return bad("size_gigabytes must be from 1 to 16384");
        }
        let region = self.storage_region(b.region.as_deref())?;
        if let Some(id) = &b.snapshot_id {
            let s = self.st.volume_snapshots.get(id).ok_or_else(|| {
                ApiError::unprocessable(format!("snapshot {id} could not be found"))
            })?;
            if !s.regions.contains(&region.slug) {
                return bad("The snapshot is not in this region.");
            }
            if s.min_disk_size > b.size_gigabytes {
                return bad("size_gigabytes must be at least the snapshot's min_disk_size");
            }
        }
        let label_max = match b.filesystem_type.as_str() {
            "" | "ext4" => 16,
            "xfs" => 12,
            _ => return bad("filesystem_type must be ext4 or xfs"),
        };
        if b.filesystem_label.len() > label_max {
            return bad("filesystem_label is too long");
        }
        if let Some(t) = b.tags.iter().find(|t| !valid_tag(t)) {
            return Err(ApiError::unprocessable(format!("invalid tag name {t:?}")));
        }
        if self.volume_named(&b.name, region.slug).is_some() {
            return Err(ApiError::new(
                409,
                "A volume with this name already exists in this region.",
            ));
        }
        let id = self.uuid();
        let volume = Volume {
            id: id.clone(),
            name: b.name,
            description: b.description,
            size_gigabytes: b.size_gigabytes,
            region: region.clone(),
            droplet_ids: Vec::new(),
            filesystem_type: b.filesystem_type,
            filesystem_label: b.filesystem_label,
            created_at: self.stamp(ctx.now),
            tags: b.tags,
            busy: None,
        };
        self.st.tags.extend(volume.tags.iter().cloned());
        self.st.volume_index.insert(id.clone(), &[region.slug]);
        let answer = one(201, "volume", &volume);
        self.st.volumes.insert(id.clone(), volume);
        let default = self.project_for(None)?;
        self.assign_to(&default, volume_urn(&id), ctx.now);
        answer
    }

    pub(crate) fn delete_volume(&mut self, ctx: &Ctx) -> ApiResult {
        let id = found(self.st.volumes.get(ctx.param(0)))?.id.clone();
        self.remove_volume(&id)
    }

    pub(crate) fn delete_volume_by_name(&mut self, ctx: &Ctx) -> ApiResult {
        let (Some(name), Some(region)) = (ctx.query("name"), ctx.query("region")) else {
            return Err(ApiError::bad_request("name and region are required"));
        };
        let id = found(self.volume_named(name, region))?.id.clone();
        self.remove_volume(&id)
    }

    /// Deletes a detached volume (its snapshots stay).
    fn remove_volume(&mut self, id: &str) -> ApiResult {
        let v = found(self.st.volumes.get(id))?;
        if !v.droplet_ids.is_empty() {
            return Err(ApiError::new(
                409,
                "The volume is attached to a Droplet: detach it first.",
            ));
        }
        self.drop_volume(id);
        no_content()
    }

    /// A volume gone, with its relations: off its droplet, out of the
    /// index and its project.
    pub(crate) fn drop_volume(&mut self, id: &str) {
        let Some(v) = self.st.volumes.remove(id) else {
            return;
        };
        self.st.volume_index.remove(&v.id, &[v.region.slug]);
        for d in v.droplet_ids {
            if let Some(d) = self.st.droplets.get_mut(&d) {
                d.volume_ids.retain(|x| x != id);
            }
        }
        self.unassign_urn(&volume_urn(id));
    }

    pub(crate) fn list_volume_actions(&mut self, ctx: &Ctx) -> ApiResult {
        let id = found(self.st.volumes.get(ctx.param(0)))?.id.clone();
        self.resource_actions(ctx, &Target::Volume(id))
    }

    pub(crate) fn get_volume_action(&mut self, ctx: &Ctx) -> ApiResult {
        let id = found(self.st.volumes.get(ctx.param(0)))?.id.clone();
        self.resource_action(ctx.id(1)?, &Target::Volume(id))
    }

    pub(crate) fn act_on_volume(&mut self, ctx: &Ctx) -> ApiResult {
        let body: ActionBody = ctx.json()?;
        let id = found(self.st.volumes.get(ctx.param(0)))?.id.clone();
        self.volume_action(&id, &body, ctx)
    }

    /// An attach or detach of the volume named in the body (in its
    /// region, else the droplet's).
    pub(crate) fn act_on_volume_by_name(&mut self, ctx: &Ctx) -> ApiResult {
        let body: ActionBody = ctx.json()?;
        let name = body.volume_name.as_deref().or(ctx.query("volume_name"));
        let name = name.ok_or_else(|| ApiError::unprocessable("volume_name is required"))?;
        let region = match (&body.region, body.droplet_id) {
            (Some(r), _) => r.clone(),
            (None, Some(d)) => self
                .droplet(d)
                .map_err(|_| no_droplet(d))?
                .region
                .slug
                .to_owned(),
            (None, None) => return Err(ApiError::unprocessable("region is required")),
        };
        let id = found(self.volume_named(name, &region))?.id.clone();
        self.volume_action(&id, &body, ctx)
    }

    fn volume_action(&mut self, id: &str, body: &ActionBody, ctx: &Ctx) -> ApiResult {
        let v = found(self.st.volumes.get(id))?;
        let region = v.region.clone();
        let droplet = || {
            let d = body
                .droplet_id
                .ok_or_else(|| ApiError::unprocessable("droplet_id is required"))?;
            self.droplet(d).map_err(|_| no_droplet(d))?;
            Ok::<u64, ApiError>(d)
        };
        let (kind, effect) = match body.kind.as_str() {
            "attach" => {
                let d = droplet()?;
                self.attachable(id, &self.droplet(d)?.region)?;
                ("attach_volume", Effect::Attach(d))
            }
            "detach" => {
                let d = droplet()?;
                if !v.droplet_ids.contains(&d) {
                    return Err(ApiError::unprocessable(
                        "The volume is not attached to this Droplet.",
                    ));
                }
                ("detach_volume", Effect::Detach(d))
            }
            "resize" => {
                let size = body.size_gigabytes.unwrap_or_default();
                if size <= v.size_gigabytes || size > MAX_GIB {
                    return Err(ApiError::unprocessable(
                        "A volume can only grow, to at most 16384 GiB.",
                    ));
                }
                ("resize_volume", Effect::Grow(size))
            }
            other => {
                return Err(ApiError::unprocessable(format!(
                    "{other:?} is not a valid volume action"
                )))
            }
        };
        if v.busy.is_some() {
            return Err(ApiError::unprocessable(
                "The volume already has a pending event.",
            ));
        }
        let target = Target::Volume(id.to_owned());
        let action = self.begin(ctx.now, kind, "volume", target, region, effect);
        if let Some(v) = self.st.volumes.get_mut(id) {
            v.busy = Some(action);
        }
        self.started(202, action)
    }

    /// Ends a volume action: unlocks it and, unless it failed, attaches,
    /// detaches or grows it.
    pub(crate) fn finish_volume_action(&mut self, id: &str, action: u64, e: Effect, failed: bool) {
        let Some(v) = self.st.volumes.get_mut(id) else {
            return;
        };
        if v.busy == Some(action) {
            v.busy = None;
        }
        match e {
            _ if failed => {}
            Effect::Attach(d) if self.st.droplets.contains_key(&d) => self.attach(id, d),
            Effect::Detach(d) => {
                v.droplet_ids.retain(|x| *x != d);
                if let Some(d) = self.st.droplets.get_mut(&d) {
                    d.volume_ids.retain(|x| x != id);
                }
            }
            Effect::Grow(size) => v.size_gigabytes = size,
            _ => {}
        }
    }

    /// Checks that a volume may be attached to a droplet in `region`.
    pub(crate) fn attachable(&self, id: &str, region: &Region) -> Result<(), ApiError> {
        let v =
            self.st.volumes.get(id).ok_or_else(|| {
                ApiError::unprocessable(format!("volume {id} could not be found"))
            })?;
        if v.region.slug != region.slug {
            return Err(ApiError::unprocessable(
                "The volume and the Droplet must be in the same region.",
            ));
        }
        if !v.droplet_ids.is_empty() {
            return Err(ApiError::unprocessable(
                "The volume is already attached to a Droplet.",
            ));
        }
        Ok(())
    }

    /// Attaches a volume to a droplet, on both sides.
    pub(crate) fn attach(&mut self, id: &str, droplet: u64) {
        if let Some(v) = self.st.volumes.get_mut(id) {
            v.droplet_ids = vec![droplet];
        }
        if let Some(d) = self.st.droplets.get_mut(&droplet) {
            if !d.volume_ids.iter().any(|x| x == id) {
                d.volume_ids.push(id.to_owned());
            }
        }
    }

    pub(crate) fn list_volume_snapshots(&mut self, ctx: &Ctx) -> ApiResult {
        let id = found(self.st.volumes.get(ctx.param(0)))?.id.clone();
        self.snapshot_page(ctx, Some(&id))
    }

    pub(crate) fn create_volume_snapshot(&mut self, ctx: &Ctx) -> ApiResult {
        let body: SnapshotBody = ctx.json()?;
        let v = found(self.st.volumes.get(ctx.param(0)))?;
        if body.name.trim().is_empty() {
            return Err(ApiError::unprocessable("name is required"));
        }
        if let Some(t) = body.tags.iter().find(|t| !valid_tag(t)) {
            return Err(ApiError::unprocessable(format!("invalid tag name {t:?}")));
        }
        let (volume, region, gib) = (v.id.clone(), v.region.slug, v.size_gigabytes);
        let id = self.uuid();
        let snapshot = Snapshot {
            id: id.clone(),
            name: body.name,
            created_at: self.stamp(ctx.now),
            regions: vec![region],
            resource_id: volume.clone(),
            resource_type: "volume",
            min_disk_size: gib,
            size_gigabytes: gib as f64 / 10.0,
            tags: body.tags,
        };
        self.st.tags.extend(snapshot.tags.iter().cloned());
        let key = SnapshotKey::Volume(id.clone());
        self.st
            .snapshot_index
            .insert(key, &["volume", volume.as_str()]);
        let answer = one(201, "snapshot", &snapshot);
        self.st.volume_snapshots.insert(id, snapshot);
        answer
    }

    pub(crate) fn get_volume_snapshot(&mut self, ctx: &Ctx) -> ApiResult {
        one(
            200,
            "snapshot",
            found(self.st.volume_snapshots.get(ctx.param(0)))?,
        )
    }

    pub(crate) fn delete_volume_snapshot(&mut self, ctx: &Ctx) -> ApiResult {
        found(self.st.volume_snapshots.get(ctx.param(0)))?;
        self.drop_volume_snapshot(ctx.param(0));
        no_content()
    }

    /// A volume snapshot gone, out of the index.
    pub(crate) fn drop_volume_snapshot(&mut self, id: &str) {
        if let Some(s) = self.st.volume_snapshots.remove(id) {
            let key = SnapshotKey::Volume(s.id);
            self.st
                .snapshot_index
                .remove(&key, &["volume", s.resource_id.as_str()]);
        }
    }

    /// The volume of this name in a region.
    fn volume_named(&self, name: &str, region: &str) -> Option<&Volume> {
        let ids = self.st.volume_index.ids(Some(region));
        ids.iter()
            .filter_map(|id| self.st.volumes.get(id))
            .find(|v| v.name == name)
    }

    /// A region that offers volumes, or 422.
    fn storage_region(&self, slug: Option<&str>) -> Result<Arc<Region>, ApiError> {
        let r = self.catalog.region(slug.unwrap_or_default());
        r.filter(|r| r.available && r.features.contains(&"storage"))
            .cloned()
            .ok_or_else(|| ApiError::unprocessable("You specified an invalid region for a volume."))
    }
}
