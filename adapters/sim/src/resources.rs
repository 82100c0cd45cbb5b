//! The simulator's resources, serialized exactly as DigitalOcean writes
//! them. Fields marked `skip` are the simulator's own bookkeeping.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_info: Option<GpuInfo>,
}

/// The GPUs of a size or droplet.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GpuInfo {
    pub count: u64,
    pub model: &'static str,
    pub vram: DiskSize,
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
    /// The droplet a snapshot or backup was taken of (0 for public images).
    #[serde(skip)]
    pub origin: u64,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_info: Option<GpuInfo>,
    /// The backup policy, while backups are enabled.
    #[serde(skip)]
    pub backup_policy: Option<BackupPolicy>,
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

/// What an action acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Droplet(u64),
    Image(u64),
    /// A reserved (or floating) IPv4.
    Ip(Ipv4Addr),
    ReservedIpv6(Ipv6Addr),
    Volume(String),
}

impl Target {
    /// The action's `resource_id`: the id, an IPv4 address as a number, the
    /// low 32 bits of an IPv6 address; none for a volume (its id is a UUID).
    pub fn resource_id(&self) -> Option<u64> {
        match self {
            Target::Droplet(id) | Target::Image(id) => Some(*id),
            Target::Ip(ip) => Some(u64::from(u32::from(*ip))),
            Target::ReservedIpv6(ip) => Some(u64::from(u128::from(*ip) as u32)),
            Target::Volume(_) => None,
        }
    }
}

/// An action on a droplet, image, reserved IP or volume.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Action {
    pub id: u64,
    pub status: ActionStatus,
    #[serde(rename = "type")]
    pub kind: String,
    pub started_at: String,
    pub completed_at: Option<String>,
    pub resource_id: Option<u64>,
    pub resource_type: &'static str,
    #[serde(skip)]
    pub target: Target,
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
    EnableBackups(BackupPolicy),
    DisableBackups,
    EnableIpv6,
    EnablePrivateNetworking,
    ChangeKernel(Kernel),
    /// An image is copied to a region.
    Transfer(&'static str),
    /// A backup image becomes a snapshot.
    Convert,
    /// A reserved IP is assigned to this droplet, or unassigned.
    Assign(Option<u64>),
    /// A droplet's backup policy changes.
    BackupPolicy(BackupPolicy),
    /// A volume is attached to this droplet.
    Attach(u64),
    /// A volume is detached from this droplet.
    Detach(u64),
    /// A volume grows to this many GiB.
    Grow(u64),
}

/// A droplet's backup policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct BackupPolicy {
    pub plan: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekday: Option<&'static str>,
    pub hour: u8,
    pub window_length_hours: u8,
    pub retention_period_days: u8,
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

/// A reserved IP, v4 (also served as a floating IP) or v6.
#[derive(Debug, Clone)]
pub(crate) struct ReservedIp<A> {
    pub ip: A,
    pub region: Arc<Region>,
    pub droplet: Option<u64>,
    /// The action in progress, if any.
    pub busy: Option<u64>,
    pub reserved_at: String,
}

/// A block storage volume.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Volume {
    pub id: String,
    pub name: String,
    pub description: String,
    pub size_gigabytes: u64,
    pub region: Arc<Region>,
    pub droplet_ids: Vec<u64>,
    pub filesystem_type: String,
    pub filesystem_label: String,
    pub created_at: String,
    pub tags: Vec<String>,
    /// The volume action in progress, if any.
    #[serde(skip)]
    pub busy: Option<u64>,
}

/// A snapshot as `/v2/snapshots` shows it: of a droplet (an image) or of
/// a volume. Ids are strings, as the spec types them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Snapshot {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub regions: Vec<&'static str>,
    pub resource_id: String,
    pub resource_type: &'static str,
    pub min_disk_size: u64,
    pub size_gigabytes: f64,
    pub tags: Vec<String>,
}

/// Where a snapshot is kept: an image, or a volume snapshot by id. Droplet
/// snapshots sort first, each kind by id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum SnapshotKey {
    Image(u64),
    Volume(String),
}

/// Where a firewall rule lets traffic come from or go to. Empty lists are
/// left out, as DigitalOcean writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct RuleTarget {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub droplet_ids: Vec<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub load_balancer_uids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kubernetes_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// An inbound rule (`sources`) or an outbound rule (`destinations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Rule {
    pub protocol: String,
    /// `"0"` for every port (and always for ICMP).
    #[serde(default)]
    pub ports: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<RuleTarget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destinations: Option<RuleTarget>,
}

/// A cloud firewall.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Firewall {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub inbound_rules: Vec<Rule>,
    pub outbound_rules: Vec<Rule>,
    pub created_at: String,
    pub droplet_ids: Vec<u64>,
    pub tags: Vec<String>,
    pub pending_changes: Vec<serde_json::Value>,
}

/// A VPC.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Vpc {
    pub id: String,
    pub urn: String,
    pub name: String,
    pub description: String,
    pub region: &'static str,
    pub ip_range: String,
    pub default: bool,
    pub created_at: String,
}

/// A project.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Project {
    pub id: String,
    pub owner_uuid: String,
    pub owner_id: u64,
    pub name: String,
    pub description: String,
    pub purpose: String,
    pub environment: String,
    pub is_default: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A load balancer's forwarding rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ForwardingRule {
    pub entry_protocol: String,
    pub entry_port: u16,
    pub target_protocol: String,
    pub target_port: u16,
    #[serde(default)]
    pub certificate_id: String,
    #[serde(default)]
    pub tls_passthrough: bool,
}

/// A load balancer's health check.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct HealthCheck {
    pub protocol: String,
    pub port: u16,
    pub path: String,
    pub check_interval_seconds: u64,
    pub response_timeout_seconds: u64,
    pub healthy_threshold: u64,
    pub unhealthy_threshold: u64,
}

impl Default for HealthCheck {
    /// DigitalOcean's defaults.
    fn default() -> Self {
        HealthCheck {
            protocol: "http".into(),
            port: 80,
            path: "/".into(),
            check_interval_seconds: 10,
            response_timeout_seconds: 5,
            healthy_threshold: 5,
            unhealthy_threshold: 3,
        }
    }
}

/// A load balancer's sticky sessions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StickySessions {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie_ttl_seconds: Option<u64>,
}

/// A load balancer. Its status is `new` until `active_at`, then `active`
/// (with its address).
#[derive(Debug, Clone)]
pub(crate) struct LoadBalancer {
    pub id: String,
    pub name: String,
    pub ip: Ipv4Addr,
    pub size: String,
    pub size_unit: u64,
    pub algorithm: String,
    pub created_at: String,
    pub forwarding_rules: Vec<ForwardingRule>,
    pub health_check: HealthCheck,
    pub sticky_sessions: StickySessions,
    pub region: Arc<Region>,
    pub tag: String,
    pub droplet_ids: Vec<u64>,
    pub redirect_http_to_https: bool,
    pub enable_proxy_protocol: bool,
    pub enable_backend_keepalive: bool,
    pub http_idle_timeout_seconds: u64,
    pub vpc_uuid: String,
    pub active_at: Instant,
}

/// A TLS certificate. A Let's Encrypt one is `pending` until `ready_at`.
#[derive(Debug, Clone)]
pub(crate) struct Certificate {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub dns_names: Vec<String>,
    pub sha1_fingerprint: String,
    pub created_at: String,
    pub not_after: String,
    pub ready_at: Instant,
}

/// What a destroy with associated resources did: the droplet and each
/// resource, by kind, with when it went.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DestroyStatus {
    pub droplet: Destroyed,
    pub resources: BTreeMap<&'static str, Vec<Destroyed>>,
    /// Set once `done_at` has passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    pub failures: u64,
    #[serde(skip)]
    pub done_at: Instant,
}

/// One resource of a [`DestroyStatus`].
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Destroyed {
    pub id: String,
    pub name: String,
    pub destroyed_at: String,
}
