use chrono::{DateTime, Utc};

use super::timestamp::Rfc3339;
use serde_json::Number;

use super::str_list::StrList;

string_enum! {
    /// The `type` of an image.
    pub enum ImageType {
        /// A snapshot of a droplet.
        Snapshot = "snapshot",
        /// An automatic backup of a droplet.
        Backup = "backup",
        /// A custom image uploaded by the user.
        Custom = "custom",
        /// A base distribution image.
        Base = "base",
        /// A distribution image (as some listings call it).
        Distribution = "distribution",
        /// A one-click application image.
        Application = "application",
        /// An admin image.
        Admin = "admin",
    }
}

string_enum! {
    /// The `status` of an image.
    pub enum ImageStatus {
        /// Ready to use.
        Available = "available",
        /// Being created or imported.
        New = "NEW",
        /// Waiting to be processed.
        Pending = "pending",
        /// Deleted.
        Deleted = "deleted",
    }
}

model! {
    /// An image: a distribution, application, snapshot, backup or custom image.
    pub struct Image {
        required {
            /// Unique id.
            id: u64 = "id",
        }
        optional {
            /// Display name.
            name: String = "name",
            /// The image type.
            kind: ImageType = "type",
            /// The distribution, such as `Ubuntu`.
            distribution: String = "distribution",
            /// Unique slug for public images; `None` for private ones.
            slug: String = "slug",
            /// Whether the image is public.
            public: bool = "public",
            /// Slugs of the regions where the image is available.
            regions: StrList = "regions",
            /// Creation time.
            created_at: DateTime<Utc> = "created_at" via Rfc3339,
            /// Minimum disk size in gigabytes for a droplet using it.
            min_disk_size: u64 = "min_disk_size",
            /// Size of the image in gigabytes.
            size_gigabytes: Number = "size_gigabytes",
            /// Description.
            description: String = "description",
            /// Tags applied to the image.
            tags: StrList = "tags",
            /// Image status.
            status: ImageStatus = "status",
            /// Why the import of a custom image failed, if it did.
            error_message: String = "error_message",
        }
    }
}
