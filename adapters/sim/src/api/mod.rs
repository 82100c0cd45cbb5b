//! The handlers, one file per kind of resource, and what they share.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::cloud::Cloud;
use crate::resources::{Action, Effect, Region, Target};
use crate::wire::{found, one, page, page_with, ApiError, ApiResult, Ctx};

mod account;
mod associated;
mod backups;
mod certificates;
mod domains;
mod droplets;
mod firewalls;
mod images;
mod load_balancers;
mod projects;
mod reserved_ips;
mod snapshots;
mod tags;
mod volumes;
mod vpcs;

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
    target: &Target,
) -> Vec<&'a Action> {
    actions
        .values()
        .rev()
        .filter(|a| a.target == *target)
        .collect()
}

impl Cloud {
    /// Sets up a new account: the default project and each region's
    /// default VPC.
    pub(crate) fn open_account(&mut self, now: Instant) {
        self.default_project(now);
        self.default_vpcs(now);
    }

    /// `{"action": ...}` for an action of one resource, else 404.
    pub(crate) fn resource_action(&self, action: u64, target: &Target) -> ApiResult {
        let a = self.st.actions.get(&action).filter(|a| a.target == *target);
        one(200, "action", found(a)?)
    }

    /// A page of a resource's actions, newest first.
    pub(crate) fn resource_actions(&self, ctx: &Ctx, target: &Target) -> ApiResult {
        page(ctx, "actions", &newest_first(&self.st.actions, target))
    }

    /// Starts an action on a resource with the usual delay; returns its id.
    pub(crate) fn begin(
        &mut self,
        now: Instant,
        kind: &str,
        resource_type: &'static str,
        target: Target,
        region: Arc<Region>,
        effect: Effect,
    ) -> u64 {
        let delay = self.cfg.action_delay;
        self.start_action(
            now,
            delay,
            kind,
            resource_type,
            target,
            Some(region),
            effect,
        )
    }

    /// `{"action": ...}` for an action just started.
    pub(crate) fn started(&self, status: u16, action: u64) -> ApiResult {
        one(status, "action", found(self.st.actions.get(&action))?)
    }
}

/// A page of a listing kept in an [`Index`](crate::index::Index) (all, or
/// one group): the cost of the page. Filtered by the query's `name`, a scan
/// of the ids.
pub(crate) fn indexed_page<'a, K, T: Serialize + 'a>(
    ctx: &Ctx,
    key: &str,
    ids: &[K],
    get: impl Fn(&K) -> Option<&'a T>,
    named: impl Fn(&T, &str) -> bool,
) -> ApiResult {
    match ctx.query("name") {
        None => page_with(ctx, key, ids.len(), |range| {
            ids[range].iter().filter_map(&get).collect::<Vec<_>>()
        }),
        Some(n) => {
            let named: Vec<&T> = ids
                .iter()
                .filter_map(&get)
                .filter(|x| named(x, n))
                .collect();
            page(ctx, key, &named)
        }
    }
}

/// Checks a resource name the way DigitalOcean does for volumes, VPCs,
/// firewalls and load balancers: letters, digits, `-` and `.`.
pub(crate) fn valid_resource_name(name: &str, max: usize) -> bool {
    !name.is_empty()
        && name.len() <= max
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'))
}

/// The one message for a body that refers to a droplet that does not
/// exist.
pub(crate) fn no_droplet(id: u64) -> ApiError {
    ApiError::unprocessable(format!("Droplet {id} could not be found."))
}

/// Money as DigitalOcean writes it in associated resources: `"4.00"`.
pub(crate) fn cost(dollars: f64) -> String {
    format!("{dollars:.2}")
}
