use chrono::{DateTime, Utc};

use super::region::Region;
use super::str_list::StrList;
use super::timestamp::Rfc3339;

model! {
    /// A block storage volume (taggable; listed here for tag and untag).
    pub struct Volume {
        required {
            /// Unique id (a UUID).
            id: String = "id",
            /// Name.
            name: String = "name",
        }
        optional {
            /// The region it is in.
            region: Region = "region",
            /// Ids of the droplets it is attached to.
            droplet_ids: Vec<u64> = "droplet_ids",
            /// Description.
            description: String = "description",
            /// Size in gigabytes.
            size_gigabytes: u64 = "size_gigabytes",
            /// Creation time.
            created_at: DateTime<Utc> = "created_at" via Rfc3339,
            /// Filesystem type.
            filesystem_type: String = "filesystem_type",
            /// Filesystem label.
            filesystem_label: String = "filesystem_label",
            /// Tags.
            tags: StrList = "tags",
        }
    }
}
