//! The handlers, one file per kind of resource, and what they share.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::cloud::Cloud;
use crate::resources::Action;
use crate::wire::{one, ApiError, ApiResult};

mod account;
mod domains;
mod droplets;
mod floating_ips;
mod images;
mod tags;

/// An id or a name, slug or fingerprint, as bodies may give them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub(crate) enum IdOrName {
    Id(u64),
    Name(String),
}

impl fmt::Display for IdOrName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdOrName::Id(id) => id.fmt(f),
            IdOrName::Name(n) => n.fmt(f),
        }
    }
}

impl IdOrName {
    /// A path segment: digits are an id, anything else a name.
    pub fn parse(segment: &str) -> IdOrName {
        segment
            .parse()
            .map(IdOrName::Id)
            .unwrap_or_else(|_| IdOrName::Name(segment.to_owned()))
    }
}

/// Checks a tag name the way DigitalOcean does.
pub(crate) fn valid_tag(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_'))
}

/// The actions of one resource, newest first.
pub(crate) fn newest_first<'a>(
    actions: &'a BTreeMap<u64, Action>,
    resource_type: &str,
    resource_id: u64,
) -> Vec<&'a Action> {
    actions
        .values()
        .rev()
        .filter(|a| a.resource_type == resource_type && a.resource_id == resource_id)
        .collect()
}

impl Cloud {
    /// `{"action": ...}` for an action of one resource, else 404.
    pub(crate) fn resource_action(
        &self,
        action: u64,
        resource_type: &str,
        resource_id: u64,
    ) -> ApiResult {
        let a = self
            .st
            .actions
            .get(&action)
            .filter(|a| a.resource_type == resource_type && a.resource_id == resource_id)
            .ok_or_else(ApiError::not_found)?;
        one(200, "action", a)
    }
}
