//! [`VolumeSpec`]: the body of a volume's create; the bodies of its
//! actions.

use crate::api::block_storage::{VolumesCreate, VolumesCreateBody, VolumesExt4};
#[cfg(feature = "block_storage_actions")]
use crate::api::block_storage_actions::{
    VolumeActionPostAttach, VolumeActionPostAttachType, VolumeActionPostDetach,
    VolumeActionPostResize, VolumeActionsPostById, VolumeActionsPostByIdBody,
};
use crate::error::RequestError;
#[cfg(feature = "block_storage_actions")]
use crate::specs::check::signed;
use crate::specs::check::{non_empty, Checked};

/// The largest volume DigitalOcean makes, in GiB.
pub const MAX_VOLUME_GIB: u64 = 16 * 1024;

/// A volume to create: its name, region and size, and what else is
/// optional (a snapshot to restore, a filesystem, tags). `POST /v2/volumes`.
///
/// ```
/// use doapi_core::specs::VolumeSpec;
///
/// let spec = VolumeSpec::new("data", "nyc3", 100).filesystem("ext4", "data").tags(["web"]);
/// let op = spec.operation();
/// assert!(op.refused.is_none());
/// assert!(VolumeSpec::new("data", "nyc3", 0).operation().refused.is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VolumeSpec {
    /// Its name: lowercase letters, digits and hyphens, starting with a letter.
    pub name: String,
    /// Its region's slug.
    pub region: String,
    /// Its size, 1 to 16,384 GiB.
    pub size_gigabytes: u64,
    /// A description.
    pub description: Option<String>,
    /// The volume snapshot to create it from (it may not be smaller).
    pub snapshot_id: Option<String>,
    /// The filesystem to format it with (`ext4` or `xfs`).
    pub filesystem_type: Option<String>,
    /// The filesystem's label.
    pub filesystem_label: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

impl VolumeSpec {
    /// A volume of `size_gigabytes` GiB named `name` in `region`.
    pub fn new(name: impl Into<String>, region: impl Into<String>, size_gigabytes: u64) -> Self {
        VolumeSpec {
            name: name.into(),
            region: region.into(),
            size_gigabytes,
            ..VolumeSpec::default()
        }
    }

    /// Created from a volume snapshot.
    pub fn from_snapshot(mut self, snapshot_id: impl Into<String>) -> Self {
        self.snapshot_id = Some(snapshot_id.into());
        self
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Formatted with a filesystem (`ext4` or `xfs`) and its label.
    pub fn filesystem(mut self, kind: impl Into<String>, label: impl Into<String>) -> Self {
        self.filesystem_type = Some(kind.into());
        self.filesystem_label = Some(label.into());
        self
    }

    /// Tags.
    pub fn tags<S: Into<String>>(mut self, tags: impl IntoIterator<Item = S>) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// The create operation, refused before sending if the name or region
    /// is empty, the size is not 1 to 16,384 GiB, or a snapshot id is
    /// empty.
    pub fn operation(self) -> Checked<VolumesCreate> {
        let checks = [
            non_empty("volume name", &self.name),
            non_empty("region", &self.region),
            size(self.size_gigabytes),
            self.snapshot_id
                .as_deref()
                .map_or(Ok(()), |s| non_empty("snapshot id", s)),
        ];
        let body = VolumesExt4 {
            name: Some(self.name),
            region: Some(self.region.as_str().into()),
            size_gigabytes: i64::try_from(self.size_gigabytes).ok(),
            description: self.description,
            snapshot_id: self.snapshot_id,
            filesystem_type: self.filesystem_type,
            filesystem_label: self.filesystem_label,
            tags: (!self.tags.is_empty()).then_some(self.tags),
            ..VolumesExt4::default()
        };
        let op = VolumesCreate {
            body: VolumesCreateBody::VolumesExt4(body),
        };
        Checked::new(op, checks)
    }
}

/// Refuses a size DigitalOcean does not make: 1 to 16,384 GiB.
pub fn size(gigabytes: u64) -> Result<(), RequestError> {
    if (1..=MAX_VOLUME_GIB).contains(&gigabytes) {
        Ok(())
    } else {
        Err(RequestError::InvalidArgument {
            what: "size_gigabytes",
            reason: format!("{gigabytes} GiB: a volume is 1 to {MAX_VOLUME_GIB} GiB"),
        })
    }
}

/// A volume's action: `POST /v2/volumes/{id}/actions`.
#[cfg(feature = "block_storage_actions")]
fn act(
    id: String,
    body: VolumeActionsPostByIdBody,
    checks: [Result<(), RequestError>; 2],
) -> Checked<VolumeActionsPostById> {
    let id_check = non_empty("volume id", &id);
    let op = VolumeActionsPostById {
        volume_id: id,
        per_page: None,
        page: None,
        body,
    };
    Checked::new(op, [id_check].into_iter().chain(checks))
}

/// Attaches a volume to a droplet in its region: type `attach`.
#[cfg(feature = "block_storage_actions")]
pub fn attach(id: String, droplet_id: u64) -> Checked<VolumeActionsPostById> {
    let droplet = signed("droplet id", droplet_id);
    let body = VolumeActionPostAttach {
        droplet_id: droplet.clone().ok(),
        kind: Some(VolumeActionPostAttachType::Attach),
        ..VolumeActionPostAttach::default()
    };
    let body = VolumeActionsPostByIdBody::VolumeActionPostAttach(body);
    act(id, body, [droplet.map(drop), Ok(())])
}

/// Detaches a volume from a droplet: type `detach`.
#[cfg(feature = "block_storage_actions")]
pub fn detach(id: String, droplet_id: u64) -> Checked<VolumeActionsPostById> {
    let droplet = signed("droplet id", droplet_id);
    let body = VolumeActionPostDetach {
        droplet_id: droplet.clone().ok(),
        kind: Some(VolumeActionPostAttachType::Detach),
        ..VolumeActionPostDetach::default()
    };
    let body = VolumeActionsPostByIdBody::VolumeActionPostDetach(body);
    act(id, body, [droplet.map(drop), Ok(())])
}

/// Grows a volume to `size_gigabytes` (a volume never shrinks): type
/// `resize`.
#[cfg(feature = "block_storage_actions")]
pub fn resize(id: String, size_gigabytes: u64) -> Checked<VolumeActionsPostById> {
    let body = VolumeActionPostResize {
        size_gigabytes: i64::try_from(size_gigabytes).ok(),
        kind: Some(VolumeActionPostAttachType::Resize),
        ..VolumeActionPostResize::default()
    };
    let body = VolumeActionsPostByIdBody::VolumeActionPostResize(body);
    act(id, body, [size(size_gigabytes), Ok(())])
}
