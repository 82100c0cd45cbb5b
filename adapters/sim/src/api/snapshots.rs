//! `/v2/snapshots`: droplet snapshots (the user's snapshot images) and
//! volume snapshots in one listing, with string ids as the spec types them.

use crate::cloud::Cloud;
use crate::resources::{Image, ImageClass, Snapshot, SnapshotKey};
use crate::wire::{found, no_content, one, page_with, ApiError, ApiResult, Ctx};

/// A droplet snapshot as `/v2/snapshots` shows it.
fn of_image(i: &Image) -> Snapshot {
    Snapshot {
        id: i.id.to_string(),
        name: i.name.clone(),
        created_at: i.created_at.clone(),
        regions: i.regions.clone(),
        resource_id: i.origin.to_string(),
        resource_type: "droplet",
        min_disk_size: i.min_disk_size,
        size_gigabytes: i.size_gigabytes,
        tags: i.tags.clone(),
    }
}

impl Cloud {
    pub(crate) fn list_snapshots(&mut self, ctx: &Ctx) -> ApiResult {
        match ctx.query("resource_type") {
            None | Some("droplet" | "volume") => {
                self.snapshot_page(ctx, ctx.query("resource_type"))
            }
            Some(other) => Err(ApiError::bad_request(format!(
                "resource_type must be droplet or volume, not {other:?}"
            ))),
        }
    }

    /// A page of the snapshots, all or of a group of the index (`droplet`,
    /// `volume`, or a volume's id): the cost of the page.
    pub(crate) fn snapshot_page(&self, ctx: &Ctx, group: Option<&str>) -> ApiResult {
        let keys = self.st.snapshot_index.ids(group);
        page_with(ctx, "snapshots", keys.len(), |range| {
            keys[range]
                .iter()
                .filter_map(|k| self.snapshot_of(k))
                .collect::<Vec<_>>()
        })
    }

    fn snapshot_of(&self, key: &SnapshotKey) -> Option<Snapshot> {
        match key {
            SnapshotKey::Image(id) => self.st.images.get(id).map(of_image),
            SnapshotKey::Volume(id) => self.st.volume_snapshots.get(id).cloned(),
        }
    }

    /// The snapshot a path names: a number is a droplet snapshot, anything
    /// else a volume snapshot's id.
    fn snapshot_key(&self, ctx: &Ctx) -> Result<SnapshotKey, ApiError> {
        let key = match ctx.param(0).parse() {
            Ok(id) => SnapshotKey::Image(id),
            Err(_) => SnapshotKey::Volume(ctx.param(0).to_owned()),
        };
        let is_snapshot = match &key {
            SnapshotKey::Image(id) => self
                .st
                .images
                .get(id)
                .is_some_and(|i| i.class == ImageClass::Private && i.kind == "snapshot"),
            SnapshotKey::Volume(id) => self.st.volume_snapshots.contains_key(id),
        };
        is_snapshot.then_some(key).ok_or_else(ApiError::not_found)
    }

    pub(crate) fn get_snapshot(&mut self, ctx: &Ctx) -> ApiResult {
        let key = self.snapshot_key(ctx)?;
        one(200, "snapshot", &found(self.snapshot_of(&key))?)
    }

    pub(crate) fn delete_snapshot(&mut self, ctx: &Ctx) -> ApiResult {
        match self.snapshot_key(ctx)? {
            SnapshotKey::Image(id) => self.drop_image(id),
            SnapshotKey::Volume(id) => self.drop_volume_snapshot(&id),
        }
        no_content()
    }
}
