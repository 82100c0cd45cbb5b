//! Typed, lossless models of DigitalOcean's JSON.
//!
//! Every model keeps the fields it does not know in `extra` and every string
//! enum keeps values it does not know in `Unknown(String)`, so decoding then
//! encoding a value gives back the same JSON value: nothing DigitalOcean adds
//! later is lost, and nothing breaks when it appears.

#[macro_use]
mod macros;

mod account;
mod action;
mod common;
mod domain;
mod droplet;
mod extra;
mod floating_ip;
mod image;
pub mod json;
mod region;
mod ssh_key;
mod str_list;
mod tag;
mod timestamp;
mod volume;

pub use account::{Account, AccountStatus, Team};
pub use action::{Action, ActionStatus, ActionType, ResourceType};
pub use common::{ErrorBody, Links, Meta, PageLinks};
pub use domain::{Domain, DomainRecord, RecordType};
pub use droplet::{
    BackupWindow, Droplet, DropletStatus, InterfaceType, Kernel, Netmask, NetworkInterface,
    Networks,
};
pub use extra::Extra;
pub use floating_ip::FloatingIp;
pub use image::{Image, ImageStatus, ImageType};
pub use region::{DiskInfo, DiskSize, GpuInfo, Region, Size};
pub use ssh_key::SshKey;
pub use str_list::StrList;
pub use tag::{Tag, TagResources, TaggedCount};
pub use volume::Volume;

pub(crate) use macros::{model, one_of, string_enum};

/// A resource that has a unique numeric id (doapi's `int(resource)`).
pub trait HasId {
    /// The resource's id.
    fn id(&self) -> u64;
}

macro_rules! has_id {
    ($($t:ty),*) => { $( impl HasId for $t { fn id(&self) -> u64 { self.id } } impl From<&$t> for u64 { fn from(r: &$t) -> u64 { r.id } } )* };
}
has_id!(Droplet, Action, Image, Kernel, SshKey, DomainRecord);

impl HasId for u64 {
    fn id(&self) -> u64 {
        *self
    }
}
