//! Droplets, their sub-listings and their actions.

use http::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use super::common::{json, non_empty, tag_query};
use super::refs::{ImageRef, SshKeyRef};
use crate::endpoint::decode::{self, Page};
use crate::endpoint::{Endpoint, List};
use crate::error::{DecodeError, RequestError};
use crate::models::{Action, Droplet, Image, Kernel};

/// DigitalOcean creates at most this many droplets in one request.
pub const MAX_NAMES_PER_CREATE: usize = 10;

endpoint! {
    /// Fetch one droplet (doapi `fetch_droplet`).
    GetDroplet { /** Droplet id. */ id: u64 } GET "/v2/droplets/{id}" => one Droplet, "droplet";
    /// Delete a droplet (doapi `Droplet.delete`).
    DeleteDroplet { /** Droplet id. */ id: u64 } DELETE "/v2/droplets/{id}" => empty;
    /// The kernels a droplet can run (doapi `fetch_all_kernels`).
    ListDropletKernels { /** Droplet id. */ id: u64 } GET "/v2/droplets/{id}/kernels" => page Kernel, "kernels";
    /// The snapshots taken of a droplet (doapi `fetch_all_snapshots`).
    ListDropletSnapshots { /** Droplet id. */ id: u64 } GET "/v2/droplets/{id}/snapshots" => page Image, "snapshots";
    /// The backups taken of a droplet (doapi `fetch_all_backups`).
    ListDropletBackups { /** Droplet id. */ id: u64 } GET "/v2/droplets/{id}/backups" => page Image, "backups";
    /// The actions of a droplet, newest first (doapi `fetch_all_actions`).
    ListDropletActions { /** Droplet id. */ id: u64 } GET "/v2/droplets/{id}/actions" => page Action, "actions";
    /// The droplets on the same physical server (doapi `fetch_all_neighbors`).
    ListDropletNeighbors { /** Droplet id. */ id: u64 } GET "/v2/droplets/{id}/neighbors" => page Droplet, "droplets";
    /// One action of a droplet.
    GetDropletAction { /** Droplet id. */ id: u64, /** Action id. */ action_id: u64 }
        GET "/v2/droplets/{id}/actions/{action_id}" => one Action, "action";
    /// The ids of droplets sharing a physical server, in groups
    /// (doapi `fetch_all_droplet_neighbors`).
    DropletNeighborsReport {} GET "/v2/reports/droplet_neighbors_ids" => one Vec<Vec<u64>>, "neighbor_ids";
}

/// List droplets, all of them or those with a tag (doapi
/// `fetch_all_droplets`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListDroplets {
    /// Only droplets with this tag.
    pub tag_name: Option<String>,
}

impl Endpoint for ListDroplets {
    type Output = Page<Droplet>;
    fn path(&self) -> String {
        "/v2/droplets".into()
    }
    fn query(&self) -> Vec<(String, String)> {
        tag_query(self.tag_name.as_deref())
    }
    fn decode(&self, body: &[u8]) -> Result<Page<Droplet>, DecodeError> {
        decode::page(body, "droplets")
    }
}

impl List for ListDroplets {
    type Item = Droplet;
}

/// The settings of a new droplet, shared by [`CreateDroplet`] and
/// [`CreateDroplets`]. Absent options are left to DigitalOcean's defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DropletSpec {
    /// Slug of the region, such as `nyc3`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Slug of the size, such as `s-1vcpu-1gb`.
    pub size: String,
    /// The image, by id or slug.
    pub image: ImageRef,
    /// SSH keys to install, by id or fingerprint.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ssh_keys: Vec<SshKeyRef>,
    /// Enable automatic backups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backups: Option<bool>,
    /// Enable IPv6.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<bool>,
    /// When backups run; it needs `backups` on ([`DropletSpec::backup_policy`]
    /// sets both). Absent, DigitalOcean backs up daily.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_policy: Option<BackupPolicy>,
    /// Enable private networking.
    ///
    /// Deprecated by DigitalOcean: every droplet is in a VPC (the region's
    /// default one unless `vpc_uuid` names another), which is its private
    /// network; set `vpc_uuid` instead.
    #[deprecated(note = "every droplet is in a VPC: set `vpc_uuid` instead")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_networking: Option<bool>,
    /// Enable the monitoring agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<bool>,
    /// Cloud-init user data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_data: Option<String>,
    /// Tags to apply.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Ids of volumes to attach.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<String>,
    /// The VPC to place the droplet in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_uuid: Option<String>,
    /// Any other field to send (doapi's `**kwargs`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl DropletSpec {
    /// A spec with the required size and image; the rest at defaults.
    #[allow(deprecated)] // `private_networking` is left unset.
    pub fn new(size: impl Into<String>, image: impl Into<ImageRef>) -> Self {
        DropletSpec {
            region: None,
            size: size.into(),
            image: image.into(),
            ssh_keys: Vec::new(),
            backups: None,
            backup_policy: None,
            ipv6: None,
            private_networking: None,
            monitoring: None,
            user_data: None,
            tags: Vec::new(),
            volumes: Vec::new(),
            vpc_uuid: None,
            extra: Map::new(),
        }
    }

    /// Sets the region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Turns backups on, on this schedule.
    pub fn backup_policy(mut self, policy: BackupPolicy) -> Self {
        self.backups = Some(true);
        self.backup_policy = Some(policy);
        self
    }

    fn validate(&self) -> Result<(), RequestError> {
        non_empty("size", &self.size)?;
        if let ImageRef::Slug(s) = &self.image {
            non_empty("image", s)?;
        }
        if let Some(r) = &self.region {
            non_empty("region", r)?;
        }
        if let Some(p) = &self.backup_policy {
            if self.backups != Some(true) {
                return Err(RequestError::InvalidArgument {
                    what: "backup_policy",
                    reason: "a backup policy needs `backups` on".into(),
                });
            }
            p.validate()?;
        }
        Ok(())
    }
}

/// The hours of the day (UTC) a backup window may start at.
pub const BACKUP_HOURS: [u8; 6] = [0, 4, 8, 12, 16, 20];

/// A day of the week, as a weekly backup policy names it (`"MON"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Weekday {
    /// Sunday.
    Sun,
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
}

/// When a droplet's backups run: the spec's `droplet_backup_policy` as a
/// droplet's create and its `change_backup_policy` action send it. A
/// window is 4 hours from `hour` (one of [`BACKUP_HOURS`], UTC); absent,
/// DigitalOcean picks it. What DigitalOcean reads back (with the window's
/// length and the retention) is
/// [`api::droplets::DropletBackupPolicy`](crate::api::droplets::DropletBackupPolicy).
///
/// ```
/// use doapi_core::endpoints::{BackupPolicy, Weekday};
///
/// let weekly = BackupPolicy::weekly(Weekday::Mon).at(8);
/// let json = serde_json::to_value(&weekly).unwrap();
/// assert_eq!(json, serde_json::json!({"plan": "weekly", "weekday": "MON", "hour": 8}));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "plan", rename_all = "snake_case")]
pub enum BackupPolicy {
    /// A backup every day, kept 7 days.
    Daily {
        /// The hour the window starts.
        #[serde(skip_serializing_if = "Option::is_none")]
        hour: Option<u8>,
    },
    /// A backup every week, kept 4 weeks.
    Weekly {
        /// The day; absent, DigitalOcean picks it.
        #[serde(skip_serializing_if = "Option::is_none")]
        weekday: Option<Weekday>,
        /// The hour the window starts.
        #[serde(skip_serializing_if = "Option::is_none")]
        hour: Option<u8>,
    },
}

impl BackupPolicy {
    /// Every day, at the hour DigitalOcean picks.
    pub fn daily() -> Self {
        BackupPolicy::Daily { hour: None }
    }

    /// Every week on `weekday`, at the hour DigitalOcean picks.
    pub fn weekly(weekday: Weekday) -> Self {
        BackupPolicy::Weekly {
            weekday: Some(weekday),
            hour: None,
        }
    }

    /// The window starting at `hour` (UTC), one of [`BACKUP_HOURS`]
    /// (another is refused when the request is made).
    pub fn at(mut self, at: u8) -> Self {
        match &mut self {
            BackupPolicy::Daily { hour } | BackupPolicy::Weekly { hour, .. } => *hour = Some(at),
        }
        self
    }

    /// Refuses an hour a window cannot start at.
    pub fn validate(&self) -> Result<(), RequestError> {
        match self {
            BackupPolicy::Daily { hour: Some(h) } | BackupPolicy::Weekly { hour: Some(h), .. }
                if !BACKUP_HOURS.contains(h) =>
            {
                Err(RequestError::InvalidArgument {
                    what: "backup_policy.hour",
                    reason: format!("{h} is not one of 0, 4, 8, 12, 16 and 20"),
                })
            }
            _ => Ok(()),
        }
    }
}

/// Checks a droplet name the way DigitalOcean does: a host name of letters,
/// digits, `.` and `-`, labels of at most 63 characters, at most 253 in all.
pub fn validate_droplet_name(name: &str) -> Result<(), RequestError> {
    let bad = |reason| {
        Err(RequestError::InvalidDropletName {
            name: name.to_owned(),
            reason,
        })
    };
    if name.is_empty() {
        return Err(RequestError::Empty {
            what: "droplet name",
        });
    }
    if name.len() > 253 {
        return bad("longer than 253 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return bad("only letters, digits, '.' and '-' are allowed");
    }
    for label in name.split('.') {
        if label.is_empty() {
            return bad("empty label (leading, trailing or double '.')");
        }
        if label.len() > 63 {
            return bad("a label is longer than 63 characters");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return bad("a label starts or ends with '-'");
        }
    }
    Ok(())
}

/// Create one droplet (doapi `create_droplet`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateDroplet {
    /// Its name, a valid host name.
    pub name: String,
    /// Everything else.
    #[serde(flatten)]
    pub spec: DropletSpec,
}

impl Endpoint for CreateDroplet {
    type Output = Droplet;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        "/v2/droplets".into()
    }
    fn body(&self) -> Option<Value> {
        json(self)
    }
    fn validate(&self) -> Result<(), RequestError> {
        validate_droplet_name(&self.name)?;
        self.spec.validate()
    }
    fn decode(&self, body: &[u8]) -> Result<Droplet, DecodeError> {
        decode::one(body, "droplet")
    }
}

/// Create up to ten droplets with one spec (doapi
/// `create_multiple_droplets`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateDroplets {
    /// Their names, 1 to [`MAX_NAMES_PER_CREATE`].
    pub names: Vec<String>,
    /// Everything else.
    #[serde(flatten)]
    pub spec: DropletSpec,
}

impl Endpoint for CreateDroplets {
    type Output = Vec<Droplet>;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        "/v2/droplets".into()
    }
    fn body(&self) -> Option<Value> {
        json(self)
    }
    fn validate(&self) -> Result<(), RequestError> {
        if self.names.is_empty() {
            return Err(RequestError::Empty { what: "names" });
        }
        if self.names.len() > MAX_NAMES_PER_CREATE {
            return Err(RequestError::TooManyNames {
                count: self.names.len(),
                max: MAX_NAMES_PER_CREATE,
            });
        }
        self.names
            .iter()
            .try_for_each(|n| validate_droplet_name(n))?;
        self.spec.validate()
    }
    fn decode(&self, body: &[u8]) -> Result<Vec<Droplet>, DecodeError> {
        decode::one(body, "droplets")
    }
}

/// Delete every droplet with a tag (doapi `Tag.delete_all_droplets`).
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteDropletsByTag {
    /// The tag.
    pub tag_name: String,
}

impl Endpoint for DeleteDropletsByTag {
    type Output = ();
    fn method(&self) -> Method {
        Method::DELETE
    }
    fn path(&self) -> String {
        "/v2/droplets".into()
    }
    fn query(&self) -> Vec<(String, String)> {
        tag_query(Some(&self.tag_name))
    }
    fn validate(&self) -> Result<(), RequestError> {
        non_empty("tag name", &self.tag_name)
    }
    fn decode(&self, body: &[u8]) -> Result<(), DecodeError> {
        decode::empty(body)
    }
}

/// An action on a droplet: the body of `POST /v2/droplets/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DropletAction {
    /// Enable automatic backups.
    EnableBackups,
    /// Disable automatic backups.
    DisableBackups,
    /// Reboot gracefully.
    Reboot,
    /// Power off then on: like a reset button.
    PowerCycle,
    /// Shut down gracefully (may fail; follow with `PowerOff`).
    Shutdown,
    /// Cut the power.
    PowerOff,
    /// Power on.
    PowerOn,
    /// Restore from a backup image of this droplet.
    Restore {
        /// The backup image.
        image: ImageRef,
    },
    /// Reset the root password.
    PasswordReset,
    /// Resize to another size.
    Resize {
        /// Slug of the new size.
        size: String,
        /// Also grow the disk (permanent: the droplet cannot shrink back).
        #[serde(skip_serializing_if = "Option::is_none")]
        disk: Option<bool>,
    },
    /// Rebuild from an image, as a new create would.
    Rebuild {
        /// The image.
        image: ImageRef,
    },
    /// Rename.
    Rename {
        /// The new name.
        name: String,
    },
    /// Change the kernel.
    ChangeKernel {
        /// Id of the kernel.
        kernel: u64,
    },
    /// Enable IPv6.
    EnableIpv6,
    /// Enable private networking.
    ///
    /// Deprecated by DigitalOcean (and not among the spec's action types):
    /// every droplet is in a VPC, its private network, from its creation.
    #[deprecated(note = "every droplet is in a VPC, its private network, from its creation")]
    EnablePrivateNetworking,
    /// Change when backups run (backups must be on).
    ChangeBackupPolicy {
        /// The new schedule.
        backup_policy: BackupPolicy,
    },
    /// Take a snapshot image.
    Snapshot {
        /// Name of the snapshot; DigitalOcean picks one when absent.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// Any other action: a JSON object with at least a `type` (doapi `act`).
    #[serde(untagged)]
    Custom(Map<String, Value>),
}

impl DropletAction {
    /// The action's `type` string; `None` for a custom action without one.
    pub fn kind(&self) -> Option<&str> {
        Some(match self {
            DropletAction::EnableBackups => "enable_backups",
            DropletAction::DisableBackups => "disable_backups",
            DropletAction::Reboot => "reboot",
            DropletAction::PowerCycle => "power_cycle",
            DropletAction::Shutdown => "shutdown",
            DropletAction::PowerOff => "power_off",
            DropletAction::PowerOn => "power_on",
            DropletAction::Restore { .. } => "restore",
            DropletAction::PasswordReset => "password_reset",
            DropletAction::Resize { .. } => "resize",
            DropletAction::Rebuild { .. } => "rebuild",
            DropletAction::Rename { .. } => "rename",
            DropletAction::ChangeKernel { .. } => "change_kernel",
            DropletAction::EnableIpv6 => "enable_ipv6",
            #[allow(deprecated)] // still sent when asked for
            DropletAction::EnablePrivateNetworking => "enable_private_networking",
            DropletAction::ChangeBackupPolicy { .. } => "change_backup_policy",
            DropletAction::Snapshot { .. } => "snapshot",
            DropletAction::Custom(m) => return m.get("type").and_then(Value::as_str),
        })
    }

    fn validate(&self) -> Result<(), RequestError> {
        match self {
            DropletAction::Custom(_) if self.kind().is_none_or(str::is_empty) => {
                Err(RequestError::InvalidAction(
                    "a custom action needs a non-empty string \"type\"".into(),
                ))
            }
            DropletAction::Rename { name } => validate_droplet_name(name),
            DropletAction::Resize { size, .. } => non_empty("size", size),
            DropletAction::Restore { image } | DropletAction::Rebuild { image } => match image {
                ImageRef::Slug(s) => non_empty("image", s),
                ImageRef::Id(_) => Ok(()),
            },
            DropletAction::Snapshot { name: Some(n) } => non_empty("snapshot name", n),
            DropletAction::ChangeBackupPolicy { backup_policy } => backup_policy.validate(),
            _ => Ok(()),
        }
    }
}

/// Perform an action on a droplet (doapi's droplet action methods and
/// `act`).
#[derive(Debug, Clone, PartialEq)]
pub struct ActOnDroplet {
    /// Droplet id.
    pub id: u64,
    /// The action.
    pub action: DropletAction,
}

impl Endpoint for ActOnDroplet {
    type Output = Action;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        format!("/v2/droplets/{}/actions", self.id)
    }
    fn body(&self) -> Option<Value> {
        json(&self.action)
    }
    fn validate(&self) -> Result<(), RequestError> {
        self.action.validate()
    }
    fn decode(&self, body: &[u8]) -> Result<Action, DecodeError> {
        decode::one(body, "action")
    }
}

/// The action types DigitalOcean accepts on all droplets with a tag.
pub const TAG_ACTION_TYPES: &[&str] = &[
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

/// Perform an action on every droplet with a tag (doapi
/// `Tag.act_on_droplets` and the tag's power, backup, network and snapshot
/// methods). Answers with one action per droplet.
#[derive(Debug, Clone, PartialEq)]
pub struct ActOnTaggedDroplets {
    /// The tag.
    pub tag_name: String,
    /// The action; only the types in [`TAG_ACTION_TYPES`] are accepted.
    pub action: DropletAction,
}

impl Endpoint for ActOnTaggedDroplets {
    type Output = Vec<Action>;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        "/v2/droplets/actions".into()
    }
    fn query(&self) -> Vec<(String, String)> {
        tag_query(Some(&self.tag_name))
    }
    fn body(&self) -> Option<Value> {
        json(&self.action)
    }
    fn validate(&self) -> Result<(), RequestError> {
        non_empty("tag name", &self.tag_name)?;
        self.action.validate()?;
        let kind = self.action.kind().unwrap_or_default();
        if TAG_ACTION_TYPES.contains(&kind) {
            Ok(())
        } else {
            Err(RequestError::InvalidAction(format!(
                "{kind:?} cannot be applied by tag"
            )))
        }
    }
    fn decode(&self, body: &[u8]) -> Result<Vec<Action>, DecodeError> {
        decode::one(body, "actions")
    }
}
