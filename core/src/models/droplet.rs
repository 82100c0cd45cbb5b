use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

use chrono::{DateTime, Utc};

use super::timestamp::Rfc3339;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::image::Image;
use super::region::{DiskInfo, GpuInfo, Region, Size};
use super::str_list::StrList;

string_enum! {
    /// The `status` of a droplet.
    pub enum DropletStatus {
        /// Recently created, not yet usable.
        New = "new",
        /// Powered on and operating.
        Active = "active",
        /// Powered off.
        Off = "off",
        /// Archived.
        Archive = "archive",
    }
}

string_enum! {
    /// The `type` of a network interface.
    pub enum InterfaceType {
        /// Reachable from the internet.
        Public = "public",
        /// Reachable inside the datacenter or VPC.
        Private = "private",
    }
}

model! {
    /// A droplet: a virtual machine.
    pub struct Droplet {
        required {
            /// Unique id.
            id: u64 = "id",
            /// Name (also its hostname).
            name: String = "name",
            /// RAM in megabytes.
            memory: u64 = "memory",
            /// Number of virtual CPUs.
            vcpus: u64 = "vcpus",
            /// Disk size in gigabytes.
            disk: u64 = "disk",
            /// Whether the droplet is locked, preventing actions on it.
            locked: bool = "locked",
            /// Current state: `new`, `active`, `off` or `archive`.
            status: DropletStatus = "status",
            /// Creation time.
            created_at: DateTime<Utc> = "created_at" via Rfc3339,
            /// Features enabled on the droplet (`backups`, `ipv6`, ...).
            features: StrList = "features",
            /// Ids of the backup images taken of the droplet.
            backup_ids: Vec<u64> = "backup_ids",
            /// Ids of the snapshot images taken of the droplet.
            snapshot_ids: Vec<u64> = "snapshot_ids",
            /// The image the droplet was created from.
            image: Image = "image",
            /// Ids of the block storage volumes attached.
            volume_ids: StrList = "volume_ids",
            /// The current size.
            size: Size = "size",
            /// Slug of the current size.
            size_slug: String = "size_slug",
            /// Network interfaces.
            networks: Networks = "networks",
            /// The region the droplet is in.
            region: Region = "region",
            /// Tags applied to the droplet.
            tags: StrList = "tags",
        }
        optional {
            /// The current kernel, when DigitalOcean manages it.
            kernel: Kernel = "kernel",
            /// The next backup window; only when backups are enabled.
            next_backup_window: BackupWindow = "next_backup_window",
            /// The VPC the droplet is in.
            vpc_uuid: String = "vpc_uuid",
            /// The droplet's disks.
            disk_info: Vec<DiskInfo> = "disk_info",
            /// The droplet's GPUs; only on a GPU size.
            gpu_info: GpuInfo = "gpu_info",
        }
    }
}

impl Droplet {
    /// The status of droplets that are powered on and operating.
    pub const STATUS_ACTIVE: &'static str = "active";
    /// The status of archived droplets.
    pub const STATUS_ARCHIVE: &'static str = "archive";
    /// The status of recently created droplets that are not yet usable.
    pub const STATUS_NEW: &'static str = "new";
    /// The status of droplets that are powered off.
    pub const STATUS_OFF: &'static str = "off";

    /// Whether the droplet is `active`.
    pub fn is_active(&self) -> bool {
        self.status == DropletStatus::Active
    }
    /// Whether the droplet is `new`.
    pub fn is_new(&self) -> bool {
        self.status == DropletStatus::New
    }
    /// Whether the droplet is `off`.
    pub fn is_off(&self) -> bool {
        self.status == DropletStatus::Off
    }
    /// Whether the droplet is `archive`d.
    pub fn is_archived(&self) -> bool {
        self.status == DropletStatus::Archive
    }

    /// Slug of the droplet's region.
    pub fn region_slug(&self) -> &str {
        &self.region.slug
    }

    /// Slug of the droplet's image, or `None` if the image has none.
    pub fn image_slug(&self) -> Option<&str> {
        self.image.slug.as_deref()
    }

    /// The address of the first interface, IPv4 before IPv6, or `None`.
    pub fn ip_address(&self) -> Option<IpAddr> {
        self.ipv4_address().or_else(|| self.ipv6_address())
    }

    /// The address of the first IPv4 interface, or `None`.
    pub fn ipv4_address(&self) -> Option<IpAddr> {
        self.networks.v4.first().map(|n| n.ip_address)
    }

    /// The address of the first IPv6 interface, or `None`.
    pub fn ipv6_address(&self) -> Option<IpAddr> {
        self.networks.v6.first().map(|n| n.ip_address)
    }

    /// The address of the first public IPv4 interface, or `None`.
    pub fn public_ipv4_address(&self) -> Option<IpAddr> {
        self.networks
            .v4
            .iter()
            .find(|n| n.kind == InterfaceType::Public)
            .map(|n| n.ip_address)
    }
}

model! {
    /// The network interfaces of a droplet.
    pub struct Networks {
        required {
            /// IPv4 interfaces.
            v4: Vec<NetworkInterface> = "v4",
            /// IPv6 interfaces.
            v6: Vec<NetworkInterface> = "v6",
        }
        optional {}
    }
}

model! {
    /// One address allocated to a droplet.
    pub struct NetworkInterface {
        required {
            /// The address.
            ip_address: IpAddr = "ip_address",
            /// The netmask: dotted for IPv4, a prefix length for IPv6.
            netmask: Netmask = "netmask",
            /// `public` or `private`.
            kind: InterfaceType = "type",
        }
        optional {
            /// The gateway, as sent (DigitalOcean may send `nil` for none).
            gateway: String = "gateway",
        }
    }
}

impl NetworkInterface {
    /// The IP version of the interface: 4 or 6.
    pub fn ip_version(&self) -> u8 {
        match self.ip_address {
            IpAddr::V4(_) => 4,
            IpAddr::V6(_) => 6,
        }
    }
}

/// A netmask as DigitalOcean writes it: a dotted string for IPv4
/// (`"255.255.255.0"`), an integer prefix length for IPv6 (`64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Netmask {
    /// A dotted IPv4 netmask.
    Dotted(Ipv4Addr),
    /// A prefix length.
    Prefix(u8),
}

impl fmt::Display for Netmask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Netmask::Dotted(ip) => ip.fmt(f),
            Netmask::Prefix(p) => p.fmt(f),
        }
    }
}

impl Serialize for Netmask {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Netmask::Dotted(ip) => s.collect_str(ip),
            Netmask::Prefix(p) => s.serialize_u8(*p),
        }
    }
}

impl<'de> Deserialize<'de> for Netmask {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Netmask;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a dotted IPv4 netmask or a prefix length")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Netmask, E> {
                u8::try_from(v)
                    .ok()
                    .filter(|p| *p <= 128)
                    .map(Netmask::Prefix)
                    .ok_or_else(|| E::custom(format!("prefix length {v} out of range")))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Netmask, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom(format!("prefix length {v} out of range")))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Netmask, E> {
                v.parse()
                    .map(Netmask::Dotted)
                    .map_err(|_| E::custom(format!("invalid netmask {v:?}")))
            }
        }
        d.deserialize_any(Visitor)
    }
}

model! {
    /// A kernel that can run on a droplet.
    pub struct Kernel {
        required {
            /// Unique id.
            id: u64 = "id",
            /// Display name.
            name: String = "name",
            /// Version string.
            version: String = "version",
        }
        optional {}
    }
}

model! {
    /// The start and end of a droplet's next backup window.
    pub struct BackupWindow {
        required {
            /// Beginning of the window.
            start: DateTime<Utc> = "start" via Rfc3339,
            /// End of the window.
            end: DateTime<Utc> = "end" via Rfc3339,
        }
        optional {}
    }
}
