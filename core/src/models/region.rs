use serde_json::Number;

use super::str_list::StrList;

model! {
    /// A region (datacenter) where resources can be created.
    pub struct Region {
        required {
            /// Display name, such as `New York 3`.
            name: String = "name",
            /// Unique slug, such as `nyc3`.
            slug: String = "slug",
            /// Features available in the region.
            features: StrList = "features",
            /// Whether new resources can be created there.
            available: bool = "available",
            /// Slugs of the sizes available there.
            sizes: StrList = "sizes",
        }
        optional {}
    }
}

model! {
    /// A droplet size (plan).
    pub struct Size {
        required {
            /// Unique slug, such as `s-1vcpu-1gb`.
            slug: String = "slug",
            /// RAM in megabytes.
            memory: u64 = "memory",
            /// Number of virtual CPUs.
            vcpus: u64 = "vcpus",
            /// Disk size in gigabytes.
            disk: u64 = "disk",
            /// Outbound transfer allowance in terabytes.
            transfer: Number = "transfer",
            /// Monthly price in US dollars.
            price_monthly: Number = "price_monthly",
            /// Hourly price in US dollars.
            price_hourly: Number = "price_hourly",
            /// Slugs of the regions where the size is available.
            regions: StrList = "regions",
            /// Whether droplets of this size can be created.
            available: bool = "available",
            /// A description, such as `Basic`.
            description: String = "description",
        }
        optional {
            /// The disks of droplets of this size.
            disk_info: Vec<DiskInfo> = "disk_info",
            /// The GPUs of droplets of this size; only on GPU sizes.
            gpu_info: GpuInfo = "gpu_info",
        }
    }
}

model! {
    /// The GPUs of a droplet or size.
    pub struct GpuInfo {
        required {}
        optional {
            /// How many GPUs.
            count: u64 = "count",
            /// Their model, such as `nvidia_h100`.
            model: String = "model",
            /// The video memory of each, as an amount and a unit (`gib`).
            vram: DiskSize = "vram",
        }
    }
}

model! {
    /// One disk of a droplet or size.
    pub struct DiskInfo {
        required {}
        optional {
            /// `local` or `scratch`.
            kind: String = "type",
            /// Its size.
            size: DiskSize = "size",
        }
    }
}

model! {
    /// The size of a disk, or of a GPU's video memory.
    pub struct DiskSize {
        required {}
        optional {
            /// The amount, in `unit`s.
            amount: u64 = "amount",
            /// The unit, such as `gib`.
            unit: String = "unit",
        }
    }
}
