use std::net::IpAddr;

use super::droplet::Droplet;
use super::region::Region;

model! {
    /// A floating (reserved) IP address.
    pub struct FloatingIp {
        required {
            /// The address, which is also its identifier.
            ip: IpAddr = "ip",
        }
        optional {
            /// The droplet it is assigned to, if any.
            droplet: Droplet = "droplet",
            /// The region it belongs to.
            region: Region = "region",
            /// Whether it is locked by an action in progress.
            locked: bool = "locked",
            /// The project it belongs to.
            project_id: String = "project_id",
        }
    }
}
