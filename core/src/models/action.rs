use chrono::{DateTime, Utc};

use super::region::Region;
use super::timestamp::Rfc3339;

string_enum! {
    /// The `status` of an action.
    pub enum ActionStatus {
        /// Still running.
        InProgress = "in-progress",
        /// Finished successfully.
        Completed = "completed",
        /// Failed.
        Errored = "errored",
    }
}

string_enum! {
    /// The `type` of an action.
    pub enum ActionType {
        /// A droplet (or other resource) being created.
        Create = "create",
        /// A droplet being destroyed.
        Destroy = "destroy",
        /// `enable_backups`.
        EnableBackups = "enable_backups",
        /// `disable_backups`.
        DisableBackups = "disable_backups",
        /// `reboot`.
        Reboot = "reboot",
        /// `power_cycle`.
        PowerCycle = "power_cycle",
        /// `shutdown`.
        Shutdown = "shutdown",
        /// `power_off`.
        PowerOff = "power_off",
        /// `power_on`.
        PowerOn = "power_on",
        /// `restore`.
        Restore = "restore",
        /// `password_reset`.
        PasswordReset = "password_reset",
        /// `resize`.
        Resize = "resize",
        /// `rebuild`.
        Rebuild = "rebuild",
        /// `rename`.
        Rename = "rename",
        /// `change_kernel`.
        ChangeKernel = "change_kernel",
        /// `enable_ipv6`.
        EnableIpv6 = "enable_ipv6",
        /// `enable_private_networking`.
        EnablePrivateNetworking = "enable_private_networking",
        /// `snapshot`.
        Snapshot = "snapshot",
        /// An image `transfer` to another region.
        Transfer = "transfer",
        /// An image `convert` to a snapshot.
        Convert = "convert",
        /// A floating IP `assign`.
        AssignIp = "assign_ip",
        /// A floating IP `unassign`.
        UnassignIp = "unassign_ip",
        /// A backup being taken.
        Backup = "backup",
    }
}

string_enum! {
    /// The kind of resource an action acts on.
    pub enum ResourceType {
        /// A droplet.
        Droplet = "droplet",
        /// An image.
        Image = "image",
        /// A floating IP.
        FloatingIp = "floating_ip",
        /// A reserved IP.
        ReservedIp = "reserved_ip",
        /// A volume.
        Volume = "volume",
        /// Backend work with no single resource.
        Backend = "backend",
    }
}

model! {
    /// An action: an operation DigitalOcean performs on a resource over time.
    pub struct Action {
        required {
            /// Unique id.
            id: u64 = "id",
            /// `in-progress`, `completed` or `errored`.
            status: ActionStatus = "status",
            /// What the action does.
            kind: ActionType = "type",
        }
        optional {
            /// When it started.
            started_at: DateTime<Utc> = "started_at" via Rfc3339,
            /// When it ended; `None` while in progress.
            completed_at: DateTime<Utc> = "completed_at" via Rfc3339,
            /// Id of the resource acted on (for floating IPs, the address as an integer).
            resource_id: u64 = "resource_id",
            /// Kind of the resource acted on.
            resource_type: ResourceType = "resource_type",
            /// The region.
            region: Region = "region",
            /// Slug of the region.
            region_slug: String = "region_slug",
        }
    }
}

impl Action {
    /// Whether the action is still running.
    pub fn is_in_progress(&self) -> bool {
        self.status == ActionStatus::InProgress
    }
    /// Whether the action finished successfully.
    pub fn is_completed(&self) -> bool {
        self.status == ActionStatus::Completed
    }
    /// Whether the action failed.
    pub fn is_errored(&self) -> bool {
        self.status == ActionStatus::Errored
    }
    /// Whether the action has ended, successfully or not: its status is
    /// `completed` or `errored`. A status the client does not know
    /// ([`ActionStatus::Unknown`]) is not an end: a wait goes on polling it
    /// (and reports it as it last was if the wait runs out of time), rather
    /// than call it a success or a failure.
    pub fn is_done(&self) -> bool {
        self.is_completed() || self.is_errored()
    }
}
