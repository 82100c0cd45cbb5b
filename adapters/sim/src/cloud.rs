//! The simulated cloud: what the handlers work on. The account's resources,
//! the catalog, the seeded generator, the clock's origin, and starting an
//! action. The handlers (`api`) are methods of [`Cloud`]; the front desk
//! (`model`) owns one and hands it each request.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};

use crate::catalog::Catalog;
use crate::config::SimConfig;
use crate::faults::Rng;
use crate::index::Index;
use crate::resources::{
    Action, ActionStatus, Certificate, DestroyStatus, Domain, Droplet, Effect, Firewall, Image,
    LoadBalancer, Project, Region, ReservedIp, Snapshot, SnapshotKey, SshKey, Target, Volume, Vpc,
};

/// What happens at a moment of the model's clock.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Event {
    /// An action ends.
    Complete(u64),
    /// A droplet with backups enabled is backed up.
    Backup(u64),
}

/// Everything the account holds.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub droplets: BTreeMap<u64, Droplet>,
    /// The droplets' ids, all and by tag, for listings.
    pub droplet_index: Index<u64>,
    /// The catalog's public images and the user's own.
    pub images: BTreeMap<u64, Image>,
    pub actions: BTreeMap<u64, Action>,
    pub keys: BTreeMap<u64, SshKey>,
    pub domains: BTreeMap<String, Domain>,
    /// Reserved IPv4 addresses, also served as floating IPs.
    pub reserved_ips: BTreeMap<Ipv4Addr, ReservedIp<Ipv4Addr>>,
    pub reserved_ipv6: BTreeMap<Ipv6Addr, ReservedIp<Ipv6Addr>>,
    /// Volumes by id (ids sort in creation order), indexed by region.
    pub volumes: BTreeMap<String, Volume>,
    pub volume_index: Index<String>,
    /// Volume snapshots by id; droplet snapshots are images.
    pub volume_snapshots: BTreeMap<String, Snapshot>,
    /// Every snapshot, by kind (`droplet`, `volume`) and by volume id.
    pub snapshot_index: Index<SnapshotKey>,
    pub firewalls: BTreeMap<String, Firewall>,
    pub vpcs: BTreeMap<String, Vpc>,
    pub projects: BTreeMap<String, Project>,
    /// Each resource's project and when it was assigned, by URN.
    pub assignments: HashMap<String, (String, String)>,
    /// The URNs of each project's resources.
    pub project_index: Index<String>,
    pub load_balancers: BTreeMap<String, LoadBalancer>,
    pub certificates: BTreeMap<String, Certificate>,
    /// The last destroy with associated resources, by droplet.
    pub destroyed: HashMap<u64, DestroyStatus>,
    pub tags: BTreeSet<String>,
    /// Pending events, in time order (the second key keeps insertion order).
    pub events: BTreeMap<(Instant, u64), Event>,
    pub next_event: u64,
    pub next_droplet: u64,
    pub next_action: u64,
    pub next_image: u64,
    pub next_key: u64,
    pub next_record: u64,
    /// Counts the UUIDs handed out: their first part, so they sort in
    /// creation order.
    pub next_uuid: u32,
    /// Addresses handed out so far (droplets and floating IPs).
    pub addresses: u32,
}

/// The account and everything its handlers need: settings, catalog,
/// resources, the seeded generator and the clock.
#[derive(Debug)]
pub(crate) struct Cloud {
    pub cfg: SimConfig,
    pub catalog: Catalog,
    pub st: State,
    pub rng: Rng,
    /// The model's time at the start, when the wall clock reads `start`.
    origin: Instant,
    start: DateTime<Utc>,
    pub account_uuid: String,
    pub project_id: String,
}

impl Cloud {
    /// An empty account (but for the catalog's public images) whose clock
    /// starts at `now`, at wall-clock time `config.start_time`.
    pub fn new(config: SimConfig, now: Instant) -> Cloud {
        let catalog = Catalog::new();
        let st = State {
            images: catalog
                .public_images()
                .into_iter()
                .map(|i| (i.id, i))
                .collect(),
            next_droplet: 500_000_001,
            next_action: 2_000_000_001,
            next_image: 170_000_001,
            next_key: 41_000_001,
            next_record: 300_000_001,
            ..State::default()
        };
        let mut rng = Rng::new(config.seed);
        let account_uuid = format!(
            "{:016x}{:016x}{:08x}",
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64() >> 32
        );
        let project_id = rng.uuid();
        let start = DateTime::<Utc>::from(config.start_time);
        let mut cloud = Cloud {
            cfg: config,
            catalog,
            st,
            rng,
            origin: now,
            start,
            account_uuid,
            project_id,
        };
        cloud.open_account(now);
        cloud
    }

    /// A new UUID: random, but for its first part, which counts, so that
    /// resources keyed by UUID sort in creation order.
    pub fn uuid(&mut self) -> String {
        self.st.next_uuid += 1;
        let random = self.rng.uuid();
        format!("{:08x}{}", self.st.next_uuid, &random[8..])
    }

    /// Seconds since the epoch at `at`.
    pub fn unix(&self, at: Instant) -> i64 {
        self.wall(at).timestamp()
    }

    /// The wall-clock time at `at`.
    pub fn wall(&self, at: Instant) -> DateTime<Utc> {
        let since = at.saturating_duration_since(self.origin);
        self.start + chrono::Duration::from_std(since).unwrap_or_default()
    }

    /// `at` as DigitalOcean writes times: `2026-01-01T00:00:00Z`.
    pub fn stamp(&self, at: Instant) -> String {
        self.wall(at).to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    /// Queues `event` to happen at `at`.
    pub fn schedule(&mut self, at: Instant, event: Event) {
        self.st.next_event += 1;
        self.st.events.insert((at, self.st.next_event), event);
    }

    /// Starts an action that ends after `delay`: `errored` if configured
    /// so, else `completed` with its effect.
    #[allow(clippy::too_many_arguments)]
    pub fn start_action(
        &mut self,
        now: Instant,
        delay: Duration,
        kind: &str,
        resource_type: &'static str,
        target: Target,
        region: Option<Arc<Region>>,
        effect: Effect,
    ) -> u64 {
        let id = self.st.next_action;
        self.st.next_action += 1;
        let fails = kind != "create"
            && (self.cfg.failing_actions.iter().any(|k| k == kind)
                || self.rng.chance(self.cfg.action_error_rate));
        let action = Action {
            id,
            status: ActionStatus::InProgress,
            kind: kind.to_owned(),
            started_at: self.stamp(now),
            completed_at: None,
            resource_id: target.resource_id(),
            resource_type,
            target,
            region_slug: region.as_ref().map(|r| r.slug),
            region,
            effect,
            fails,
        };
        self.st.actions.insert(id, action);
        self.schedule(now + delay, Event::Complete(id));
        id
    }
}
