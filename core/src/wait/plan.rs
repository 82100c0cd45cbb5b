//! The round planner: which way of polling the pending targets costs the
//! fewest requests, and how far apart rounds must be so that the wait
//! never spends the last requests of the rate-limit window. Pure functions
//! of what earlier rounds cost and what the last response reported.

use std::collections::HashMap;
use std::time::Duration;

use crate::machine::retry::until_reset;
use crate::models::StrList;
use crate::ratelimit::ResponseInfo;

/// Rate-limit windows are never longer than an hour.
const HOUR: Duration = Duration::from_secs(3600);

/// A listing a round can read instead of single GETs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Listing {
    /// The droplets carrying a tag (`GET /v2/droplets?tag_name=T`).
    Tagged(String),
    /// Everything of the kind: every droplet, or every action of the
    /// account, newest first.
    All,
}

/// How a round polls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// One GET per pending target.
    Singles,
    /// A listing, then single GETs of the targets it did not show.
    Listing(Listing),
}

/// What a round using each listing cost when last used: its pages plus
/// the single GETs of the targets it missed.
pub type Costs = HashMap<Listing, u64>;

/// The cheapest known way to poll `pending` targets, and its cost in
/// requests. Single GETs cost one per target; a listing costs what it cost
/// when last used. A listing not tried yet (the tagged one first) is tried
/// when two or more targets are pending and no known listing is cheaper
/// than the GETs.
pub fn plan(pending: u64, tag: Option<&str>, costs: &Costs) -> (Plan, u64) {
    let mut best = (Plan::Singles, pending);
    let mut untried = None;
    let listings = [
        tag.map(|t| Listing::Tagged(t.to_owned())),
        Some(Listing::All),
    ];
    for listing in listings.into_iter().flatten() {
        match costs.get(&listing) {
            Some(&cost) if cost < best.1 => best = (Plan::Listing(listing), cost),
            Some(_) => {}
            None => untried = untried.or(Some(listing)),
        }
    }
    match untried {
        Some(listing) if best.0 == Plan::Singles && pending >= 2 => (Plan::Listing(listing), 1),
        _ => best,
    }
}

/// Whether a listing reads its next page: only while the pages it has left
/// cost fewer requests than the single GETs of the targets it has not
/// shown yet.
pub fn read_on(pages_left: u64, unseen: u64) -> bool {
    unseen > 0 && pages_left > 0 && pages_left < unseen
}

/// A tag every one of these tag lists holds: the first such tag of the
/// first list. `None` for no lists.
pub fn shared_tag(lists: &[&StrList]) -> Option<String> {
    let (first, rest) = lists.split_first()?;
    first
        .iter()
        .find(|tag| rest.iter().all(|l| l.contains(tag)))
        .map(str::to_owned)
}

/// The least time between rounds of `cost` requests so that the wait never
/// spends the last requests of the rate-limit window the response reported:
/// the remaining budget spread evenly until the reset, or the whole time
/// until the reset when no more than one round is left. `None` when the
/// response did not tell (no rate-limit headers or no `Date`).
pub fn budget_spacing(info: &ResponseInfo, cost: u64) -> Option<Duration> {
    let remaining = info.rate_limit?.remaining;
    let until = until_reset(info)?.min(HOUR);
    if remaining <= cost {
        return Some(until);
    }
    let millis = until.as_millis() * u128::from(cost) / u128::from(remaining);
    Some(Duration::from_millis(
        u64::try_from(millis).unwrap_or(u64::MAX),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratelimit::RateLimit;

    #[test]
    fn the_cheapest_known_way_wins() {
        let mut costs = Costs::new();
        let web = || Listing::Tagged("web".into());
        // Nothing known: the tag listing is tried for two or more targets.
        assert_eq!(plan(1, Some("web"), &costs), (Plan::Singles, 1));
        assert_eq!(plan(5, Some("web"), &costs), (Plan::Listing(web()), 1));
        assert_eq!(plan(5, None, &costs), (Plan::Listing(Listing::All), 1));
        // The tag listing cost 2: cheaper than 5 GETs; the full listing is
        // not tried while a known listing beats the GETs.
        costs.insert(web(), 2);
        assert_eq!(plan(5, Some("web"), &costs), (Plan::Listing(web()), 2));
        // Not cheaper than 2 GETs: the untried full listing gets its turn.
        assert_eq!(
            plan(2, Some("web"), &costs),
            (Plan::Listing(Listing::All), 1)
        );
        costs.insert(Listing::All, 3);
        assert_eq!(plan(2, Some("web"), &costs), (Plan::Singles, 2));
        assert_eq!(plan(9, None, &costs), (Plan::Listing(Listing::All), 3));
    }

    #[test]
    fn a_listing_reads_on_while_it_is_cheaper() {
        assert!(read_on(2, 3));
        assert!(!read_on(3, 3));
        assert!(!read_on(0, 3));
        assert!(!read_on(5, 0));
    }

    #[test]
    fn the_tag_all_share() {
        let a: StrList = serde_json::from_str(r#"["x", "web", "env:prod"]"#).unwrap();
        let b: StrList = serde_json::from_str(r#"["env:prod", "web"]"#).unwrap();
        let c: StrList = serde_json::from_str(r#"["db"]"#).unwrap();
        assert_eq!(shared_tag(&[&a, &b]), Some("web".into()));
        assert_eq!(shared_tag(&[&b]), Some("env:prod".into()));
        assert_eq!(shared_tag(&[&a, &b, &c]), None);
        assert_eq!(shared_tag(&[]), None);
    }

    #[test]
    fn budget_spacing_spreads_the_remaining_requests() {
        let date = crate::ratelimit::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
        let info = |remaining, reset_in: u64| ResponseInfo {
            status: http::StatusCode::OK,
            rate_limit: Some(RateLimit {
                limit: 250,
                remaining,
                reset: 784111777 + reset_in,
            }),
            request_id: None,
            date,
        };
        let secs = Duration::from_secs;
        assert_eq!(budget_spacing(&info(10, 60), 1), Some(secs(6)));
        assert_eq!(budget_spacing(&info(10, 60), 2), Some(secs(12)));
        assert_eq!(
            budget_spacing(&info(4999, 3600), 1),
            Some(Duration::from_millis(720))
        );
        // One round left: wait for the reset.
        assert_eq!(budget_spacing(&info(1, 30), 1), Some(secs(30)));
        assert_eq!(budget_spacing(&info(0, 30), 1), Some(secs(30)));
        assert_eq!(budget_spacing(&info(3, 30), 5), Some(secs(30)));
        // A reset in the past does not hold the wait back.
        let mut past = info(10, 0);
        past.rate_limit = past.rate_limit.map(|r| RateLimit { reset: 1, ..r });
        assert_eq!(budget_spacing(&past, 1), Some(Duration::ZERO));
        // Without a Date, the local clock is not used instead.
        let mut undated = info(10, 60);
        undated.date = None;
        assert_eq!(budget_spacing(&undated, 1), None);
    }
}
