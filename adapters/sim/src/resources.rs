//! The simulator's resources, serialized exactly as DigitalOcean writes
//! them. Fields marked `skip` are the simulator's own bookkeeping.

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

/// A region.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Region {
    pub name: &'static str,
    pub slug: &'static str,
    pub features: Vec<&'static str>,
    pub available: bool,
    pub sizes: Vec<&'static str>,
}

/// A droplet size.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Size {
    pub slug: &'static str,
    pub memory: u64,
    pub vcpus: u64,
    pub disk: u64,
    pub transfer: f64,
    pub price_monthly: f64,
    pub price_hourly: f64,
    pub regions: Vec<&'static str>,
    pub available: bool,
    pub description: &'static str,
    pub disk_info: Vec<DiskInfo>,
}

/// One disk of a size or droplet.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DiskInfo {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub size: DiskSize,
}

/// A disk's size.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DiskSize {
    pub amount: u64,
    pub unit: &'static str,
}

impl DiskInfo {
    pub fn local(gib: u64) -> Vec<DiskInfo> {
        vec![DiskInfo {
            kind: "local",
            size: DiskSize {
                amount: gib,
                unit: "gib",
            },
        }]
    }
}

/// Where an image comes from, which decides the listings it appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageClass {
    Distribution,
    Application,
    /// The user's own: snapshots and backups.
    Private,
}

/// An image: public (distribution, application) or the user's own.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Image {
    pub id: u64,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub distribution: &'static str,
    pub slug: Option<String>,
    pub public: bool,
    pub regions: Vec<&'static str>,
    pub created_at: String,
    pub min_disk_size: u64,
    pub size_gigabytes: f64,
    pub description: String,
    pub tags: Vec<String>,
    pub status: &'static str,
    pub error_message: &'static str,
    #[serde(skip)]
    pub class: ImageClass,
    /// The image action in progress, if any.
    #[serde(skip)]
    pub busy: Option<u64>,
}

/// A kernel.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Kernel {
    pub id: u64,
    pub name: String,
    pub version: String,
}

/// A droplet's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    New,
    Active,
    Off,
}

/// A droplet.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Droplet {
    pub id: u64,
    pub name: String,
    pub memory: u64,
    pub vcpus: u64,
    pub disk: u64,
    pub disk_info: Vec<DiskInfo>,
    pub locked: bool,
    pub status: Status,
    pub kernel: Option<Kernel>,
    pub created_at: String,
    pub features: Vec<&'static str>,
    pub backup_ids: Vec<u64>,
    pub next_backup_window: Option<BackupWindow>,
    pub snapshot_ids: Vec<u64>,
    pub image: Image,
    pub volume_ids: Vec<String>,
    pub size: Arc<Size>,
    pub size_slug: &'static str,
    pub networks: Networks,
    pub region: Arc<Region>,
    pub tags: Vec<String>,
    pub vpc_uuid: String,
    /// The action in progress (the create action while booting), if any.
    #[serde(skip)]
    pub busy: Option<u64>,
    /// The physical host, for neighbors.
    #[serde(skip)]
    pub host: u64,
    /// When the next backup is taken, while backups are enabled.
    #[serde(skip)]
    pub next_backup: Option<Instant>,
}

impl Droplet {
    pub fn has_feature(&self, f: &str) -> bool {
        self.features.contains(&f)
    }
    pub fn add_feature(&mut self, f: &'static str) {
        if !self.has_feature(f) {
            self.features.push(f);
        }
    }
    pub fn remove_feature(&mut self, f: &str) {
        self.features.retain(|x| *x != f);
    }
}

/// A droplet's backup window.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BackupWindow {
    pub start: String,
    pub end: String,
}

/// A droplet's addresses.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Networks {
    pub v4: Vec<V4>,
    pub v6: Vec<V6>,
}

/// An IPv4 address: the netmask is dotted text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct V4 {
    pub ip_address: String,
    pub netmask: &'static str,
    pub gateway: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// An IPv6 address: the netmask is a prefix length.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct V6 {
    pub ip_address: String,
    pub netmask: u8,
    pub gateway: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// An action's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum ActionStatus {
    #[serde(rename = "in-progress")]
    InProgress,
    #[serde(rename = "completed")]
    Completed,
    #[serde(rename = "errored")]
    Errored,
}

/// An action on a droplet, image or floating IP.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Action {
    pub id: u64,
    pub status: ActionStatus,
    #[serde(rename = "type")]
    pub kind: String,
    pub started_at: String,
    pub completed_at: Option<String>,
    pub resource_id: u64,
    pub resource_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Arc<Region>>,
    pub region_slug: Option<&'static str>,
    /// What completing it does.
    #[serde(skip)]
    pub effect: Effect,
    /// Whether it ends `errored` (and then has no effect).
    #[serde(skip)]
    pub fails: bool,
}

/// What an action does to its resource when it completes.
#[derive(Debug, Clone)]
pub(crate) enum Effect {
    /// Nothing visible (reboot of a running droplet, password reset).
    None,
    /// The droplet finishes booting: `active`, with its addresses.
    Boot,
    /// The droplet's power state becomes this.
    Power(Status),
    Rename(String),
    Resize {
        size: Arc<Size>,
        disk: bool,
    },
    Rebuild(Box<Image>),
    Snapshot(String),
    EnableBackups,
    DisableBackups,
    EnableIpv6,
    EnablePrivateNetworking,
    ChangeKernel(Kernel),
    /// An image is copied to a region.
    Transfer(&'static str),
    /// A backup image becomes a snapshot.
    Convert,
    /// A floating IP is assigned to this droplet, or unassigned.
    Assign(Option<u64>),
}

/// An SSH key.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SshKey {
    pub id: u64,
    pub fingerprint: String,
    pub public_key: String,
    pub name: String,
}

/// A domain and its records.
#[derive(Debug, Clone)]
pub(crate) struct Domain {
    pub name: String,
    pub ttl: u64,
    pub records: std::collections::BTreeMap<u64, Record>,
}

/// A DNS record.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Record {
    pub id: u64,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub data: String,
    pub priority: Option<u64>,
    pub port: Option<u64>,
    pub ttl: u64,
    pub weight: Option<u64>,
    pub flags: Option<u64>,
    pub tag: Option<String>,
}

/// A floating IP.
#[derive(Debug, Clone)]
pub(crate) struct FloatingIp {
    pub ip: std::net::Ipv4Addr,
    pub region: Arc<Region>,
    pub droplet: Option<u64>,
    /// The action in progress, if any.
    pub busy: Option<u64>,
}
