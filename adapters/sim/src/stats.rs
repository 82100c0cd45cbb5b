//! Request statistics by route.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// Requests seen, by route (`"GET /v2/droplets/{id}"`, numeric ids written
/// `{id}` as the Python peer writes them), with their statuses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Every request.
    pub requests: u64,
    /// By route. Requests to no known route count under `"<METHOD> *"`.
    pub routes: BTreeMap<String, RouteStats>,
}

/// The requests of one route.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RouteStats {
    /// Requests.
    pub requests: u64,
    /// Answers by status.
    pub statuses: BTreeMap<u16, u64>,
    /// Connections closed without an answer, or in the middle of one.
    pub dropped: u64,
}

impl Stats {
    /// Counts a request; `status` is `None` when its connection was
    /// dropped or cut short.
    pub(crate) fn record(&mut self, route: &str, status: Option<u16>) {
        self.requests += 1;
        let r = match self.routes.get_mut(route) {
            Some(r) => r,
            None => self.routes.entry(route.to_owned()).or_default(),
        };
        r.requests += 1;
        match status {
            Some(s) => *r.statuses.entry(s).or_default() += 1,
            None => r.dropped += 1,
        }
    }

    /// Requests to one route.
    pub fn requests_to(&self, route: &str) -> u64 {
        self.routes.get(route).map_or(0, |r| r.requests)
    }

    /// Answers with one status, over every route.
    pub fn with_status(&self, status: u16) -> u64 {
        self.routes
            .values()
            .filter_map(|r| r.statuses.get(&status))
            .sum()
    }
}

impl fmt::Display for Stats {
    /// One line per route: count, route, statuses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:>8}  requests in all", self.requests)?;
        for (route, r) in &self.routes {
            write!(f, "{:>8}  {route}  ", r.requests)?;
            for (status, n) in &r.statuses {
                write!(f, " {status}x{n}")?;
            }
            if r.dropped > 0 {
                write!(f, " dropped x{}", r.dropped)?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
