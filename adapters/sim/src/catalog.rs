//! What every account sees: regions, sizes, public images and kernels, with
//! DigitalOcean's slugs, names and prices.

use std::sync::Arc;

use crate::resources::{DiskInfo, DiskSize, GpuInfo, Image, ImageClass, Kernel, Region, Size};

/// (slug, name, available)
const REGIONS: &[(&str, &str, bool)] = &[
    ("nyc1", "New York 1", true),
    ("nyc2", "New York 2", false),
    ("nyc3", "New York 3", true),
    ("ams2", "Amsterdam 2", false),
    ("ams3", "Amsterdam 3", true),
    ("sfo1", "San Francisco 1", false),
    ("sfo2", "San Francisco 2", true),
    ("sfo3", "San Francisco 3", true),
    ("sgp1", "Singapore 1", true),
    ("lon1", "London 1", true),
    ("fra1", "Frankfurt 1", true),
    ("tor1", "Toronto 1", true),
    ("blr1", "Bangalore 1", true),
    ("syd1", "Sydney 1", true),
];

const REGION_FEATURES: &[&str] = &[
    "private_networking",
    "backups",
    "ipv6",
    "metadata",
    "install_agent",
    "storage",
    "image_transfer",
];

/// Regions that offer the storage-optimized sizes.
const SO_REGIONS: &[&str] = &["nyc1", "nyc3", "ams3", "sfo3", "sgp1", "lon1", "fra1"];
/// Regions that offer the GPU sizes.
const GPU_REGIONS: &[&str] = &["tor1"];
/// The GPU sizes: (slug, count, model, VRAM GiB each).
const GPUS: &[(&str, u64, &str, u64)] = &[("gpu-h100x1-80gb", 1, "nvidia_h100", 80)];

/// (slug, memory MB, vcpus, disk GB, transfer TB, $/month, $/hour, description)
#[allow(clippy::type_complexity)]
const SIZES: &[(&str, u64, u64, u64, f64, f64, f64, &str)] = &[
    ("s-1vcpu-512mb-10gb", 512, 1, 10, 0.5, 4.0, 0.00595, "Basic"),
    ("s-1vcpu-1gb", 1024, 1, 25, 1.0, 6.0, 0.00893, "Basic"),
    (
        "s-1vcpu-1gb-amd",
        1024,
        1,
        25,
        1.0,
        7.0,
        0.01042,
        "Basic AMD",
    ),
    (
        "s-1vcpu-1gb-intel",
        1024,
        1,
        25,
        1.0,
        7.0,
        0.01042,
        "Basic Intel",
    ),
    ("s-1vcpu-2gb", 2048, 1, 50, 2.0, 12.0, 0.01786, "Basic"),
    (
        "s-1vcpu-2gb-amd",
        2048,
        1,
        50,
        2.0,
        14.0,
        0.02083,
        "Basic AMD",
    ),
    ("s-2vcpu-2gb", 2048, 2, 60, 3.0, 18.0, 0.02679, "Basic"),
    ("s-2vcpu-4gb", 4096, 2, 80, 4.0, 24.0, 0.03571, "Basic"),
    (
        "s-2vcpu-4gb-amd",
        4096,
        2,
        80,
        4.0,
        28.0,
        0.04167,
        "Basic AMD",
    ),
    ("s-4vcpu-8gb", 8192, 4, 160, 5.0, 48.0, 0.07143, "Basic"),
    (
        "s-4vcpu-8gb-amd",
        8192,
        4,
        160,
        5.0,
        56.0,
        0.08333,
        "Basic AMD",
    ),
    ("s-8vcpu-16gb", 16384, 8, 320, 6.0, 96.0, 0.14286, "Basic"),
    ("c-2", 4096, 2, 25, 4.0, 42.0, 0.0625, "CPU-Optimized"),
    ("c-4", 8192, 4, 50, 5.0, 84.0, 0.125, "CPU-Optimized"),
    ("c-8", 16384, 8, 100, 6.0, 168.0, 0.25, "CPU-Optimized"),
    (
        "g-2vcpu-8gb",
        8192,
        2,
        25,
        4.0,
        63.0,
        0.09375,
        "General Purpose",
    ),
    (
        "g-4vcpu-16gb",
        16384,
        4,
        50,
        5.0,
        126.0,
        0.1875,
        "General Purpose",
    ),
    (
        "m-2vcpu-16gb",
        16384,
        2,
        50,
        4.0,
        84.0,
        0.125,
        "Memory-Optimized",
    ),
    (
        "m-4vcpu-32gb",
        32768,
        4,
        100,
        6.0,
        168.0,
        0.25,
        "Memory-Optimized",
    ),
    (
        "so-2vcpu-16gb",
        16384,
        2,
        300,
        4.0,
        131.0,
        0.19494,
        "Storage-Optimized",
    ),
    (
        "so-4vcpu-32gb",
        32768,
        4,
        600,
        6.0,
        262.0,
        0.38988,
        "Storage-Optimized",
    ),
    (
        "gpu-h100x1-80gb",
        245_760,
        20,
        720,
        15.0,
        2_522.88,
        3.39,
        "H100 GPU - 1X",
    ),
];

/// (id, name, distribution, slug, min disk GB, size GB, created)
#[allow(clippy::type_complexity)]
const DISTRIBUTIONS: &[(u64, &str, &str, &str, u64, f64, &str)] = &[
    (
        106433672,
        "11 x64",
        "Debian",
        "debian-11-x64",
        7,
        0.9,
        "2022-04-19T18:13:43Z",
    ),
    (
        106569146,
        "20.04 (LTS) x64",
        "Ubuntu",
        "ubuntu-20-04-x64",
        7,
        0.81,
        "2022-04-21T14:49:26Z",
    ),
    (
        112929454,
        "22.04 (LTS) x64",
        "Ubuntu",
        "ubuntu-22-04-x64",
        7,
        2.2,
        "2022-06-06T17:24:36Z",
    ),
    (
        134195372,
        "8 x64",
        "Rocky Linux",
        "rockylinux-8-x64",
        10,
        0.77,
        "2023-06-20T16:03:54Z",
    ),
    (
        136305433,
        "9 Stream x64",
        "CentOS",
        "centos-stream-9-x64",
        10,
        1.38,
        "2023-07-28T20:09:16Z",
    ),
    (
        141183473,
        "9 x64",
        "Rocky Linux",
        "rockylinux-9-x64",
        10,
        0.6,
        "2023-10-10T15:17:41Z",
    ),
    (
        149558553,
        "12 x64",
        "Debian",
        "debian-12-x64",
        7,
        0.81,
        "2024-02-26T15:37:08Z",
    ),
    (
        152398723,
        "14.0 x64 ufs",
        "FreeBSD",
        "freebsd-14-x64-ufs",
        20,
        1.5,
        "2024-03-27T19:02:11Z",
    ),
    (
        155133621,
        "24.04 (LTS) x64",
        "Ubuntu",
        "ubuntu-24-04-x64",
        7,
        2.46,
        "2024-04-25T16:11:28Z",
    ),
    (
        160220108,
        "40 x64",
        "Fedora",
        "fedora-40-x64",
        7,
        0.96,
        "2024-06-04T17:55:02Z",
    ),
];

/// (id, name, slug, min disk GB, size GB, created); all on Ubuntu.
#[allow(clippy::type_complexity)]
const APPLICATIONS: &[(u64, &str, &str, u64, f64, &str)] = &[
    (
        113184453,
        "Docker on Ubuntu 22.04",
        "docker-20-04",
        25,
        3.9,
        "2022-06-14T19:21:26Z",
    ),
    (
        113184561,
        "LAMP on Ubuntu 22.04",
        "lamp-20-04",
        25,
        2.72,
        "2022-06-14T19:27:00Z",
    ),
    (
        113184622,
        "LEMP on Ubuntu 22.04",
        "lemp-20-04",
        25,
        2.71,
        "2022-06-14T19:29:10Z",
    ),
    (
        113192377,
        "NodeJS on Ubuntu 22.04",
        "nodejs-20-04",
        25,
        3.1,
        "2022-06-14T21:02:37Z",
    ),
    (
        113196711,
        "WordPress on Ubuntu 22.04",
        "wordpress-20-04",
        25,
        4.21,
        "2022-06-14T22:31:49Z",
    ),
];

/// Regions, sizes and kernels, built once per simulator.
#[derive(Debug)]
pub(crate) struct Catalog {
    pub regions: Vec<Arc<Region>>,
    pub sizes: Vec<Arc<Size>>,
    pub kernels: Vec<Kernel>,
}

impl Catalog {
    pub fn new() -> Catalog {
        let available: Vec<&'static str> = REGIONS.iter().filter(|r| r.2).map(|r| r.0).collect();
        let sizes: Vec<Arc<Size>> = SIZES
            .iter()
            .map(
                |&(slug, memory, vcpus, disk, transfer, monthly, hourly, desc)| {
                    let regions = available
                        .iter()
                        .copied()
                        .filter(|r| !slug.starts_with("so-") || SO_REGIONS.contains(r))
                        .filter(|r| !slug.starts_with("gpu-") || GPU_REGIONS.contains(r))
                        .collect();
                    let gpu_info = GPUS.iter().find(|g| g.0 == slug).map(|g| GpuInfo {
                        count: g.1,
                        model: g.2,
                        vram: DiskSize {
                            amount: g.3,
                            unit: "gib",
                        },
                    });
                    Arc::new(Size {
                        slug,
                        memory,
                        vcpus,
                        disk,
                        transfer,
                        price_monthly: monthly,
                        price_hourly: hourly,
                        regions,
                        available: true,
                        description: desc,
                        disk_info: DiskInfo::local(disk),
                        gpu_info,
                    })
                },
            )
            .collect();
        let regions = REGIONS
            .iter()
            .map(|&(slug, name, ok)| {
                Arc::new(Region {
                    name,
                    slug,
                    features: if ok {
                        REGION_FEATURES.to_vec()
                    } else {
                        REGION_FEATURES[..4].to_vec()
                    },
                    available: ok,
                    sizes: sizes
                        .iter()
                        .filter(|s| s.regions.contains(&slug))
                        .map(|s| s.slug)
                        .collect(),
                })
            })
            .collect();
        Catalog {
            regions,
            sizes,
            kernels: kernels(),
        }
    }

    /// The public images, in every available region, by id.
    pub fn public_images(&self) -> Vec<Image> {
        let available: Vec<&'static str> = self
            .regions
            .iter()
            .filter(|r| r.available)
            .map(|r| r.slug)
            .collect();
        let public =
            |id, name: &str, distribution, slug: &str, min, gb, created: &str, class| Image {
                id,
                name: name.to_owned(),
                kind: "base",
                distribution,
                slug: Some(slug.to_owned()),
                public: true,
                regions: available.clone(),
                created_at: created.to_owned(),
                min_disk_size: min,
                size_gigabytes: gb,
                description: String::new(),
                tags: Vec::new(),
                status: "available",
                error_message: "",
                class,
                busy: None,
                origin: 0,
            };
        let mut images: Vec<Image> = DISTRIBUTIONS
            .iter()
            .map(|&(id, name, dist, slug, min, gb, created)| {
                public(
                    id,
                    name,
                    dist,
                    slug,
                    min,
                    gb,
                    created,
                    ImageClass::Distribution,
                )
            })
            .chain(
                APPLICATIONS
                    .iter()
                    .map(|&(id, name, slug, min, gb, created)| {
                        public(
                            id,
                            name,
                            "Ubuntu",
                            slug,
                            min,
                            gb,
                            created,
                            ImageClass::Application,
                        )
                    }),
            )
            .collect();
        images.sort_by_key(|i| i.id);
        images
    }

    pub fn region(&self, slug: &str) -> Option<&Arc<Region>> {
        self.regions.iter().find(|r| r.slug == slug)
    }

    pub fn size(&self, slug: &str) -> Option<&Arc<Size>> {
        self.sizes.iter().find(|s| s.slug == slug)
    }
}

/// DigitalOcean's GrubLoader and a run of Ubuntu kernels: more than one
/// page at the default page size.
fn kernels() -> Vec<Kernel> {
    let mut out = vec![Kernel {
        id: 7515,
        name: "DigitalOcean GrubLoader v0.2 (20160714)".into(),
        version: "2016.07.13-DigitalOcean_loader_Ubuntu".into(),
    }];
    for (i, patch) in (60u64..=100).step_by(2).enumerate() {
        let version = format!("5.15.0-{patch}-generic");
        out.push(Kernel {
            id: 8200 + i as u64,
            name: format!("Ubuntu 22.04 x64 vmlinuz-{version}"),
            version,
        });
    }
    out
}
