//! Waiting for droplets and actions, cheaply.
//!
//! [`Wait`] polls many targets at once (droplets until a status or a
//! `locked` value, actions until done) and yields each target's final state
//! as it finishes; [`WaitForAction`] is doapi's `wait_for_action`.
//!
//! # What a round costs
//!
//! The wait polls in rounds, every [`Config::wait_interval`] (2 s by
//! default), the first at once. A round must see every pending target once,
//! and it picks the cheapest way it knows:
//!
//! - **single GETs**: one request per pending target;
//! - **a listing by tag** (droplets only): `GET /v2/droplets?tag_name=T`,
//!   with the tag given by [`Wait::with_tag`] or else one that every pending
//!   droplet carries;
//! - **the full listing**: `GET /v2/droplets` or `GET /v2/actions` (newest
//!   first), which is cheap when the account is small.
//!
//! A listing stops as soon as every pending target has been seen. After each
//! page it goes on only if its remaining pages (from `meta.total`) are fewer
//! than the targets still unseen; otherwise those targets get single GETs,
//! as do targets a finished listing did not show. What the round cost (pages
//! plus those GETs) is remembered as the listing's cost, and the next round
//! uses the listing only if that is less than one GET per pending target. A
//! listing whose cost is not known yet is tried when two or more targets are
//! pending. Waiting on 100 droplets that share a tag thus costs one request
//! per round where one GET per droplet costs 100.
//!
//! ```text
//!               Idle(at) ◀─────────────────────────────────────┐
//!                  │ handle_timeout(now ≥ at): plan the round  │
//!        ┌─────────┴──────────────┐                            │
//!        ▼ a listing is cheaper   ▼ single GETs are cheaper    │
//!     Listing ──────────────▶ Singles ─────────────────────────┤ all polled
//!        │  targets unseen, and the                            │
//!        │  rest costs more than their GETs                    │
//!        └─────────────────────────────────────────────────────┘ all seen
//!
//!   every target finished ─▶ Ended
//!   deadline, cancel, error ─▶ Ended, with the error as the last output
//! ```
//!
//! # Pacing
//!
//! Rounds start no sooner than the wait interval after the previous one,
//! and no sooner than the rate-limit budget of the last response allows:
//! with `remaining` requests left until the window resets (`ratelimit-reset`
//! minus the response's `Date`), rounds of `cost` requests are spaced at
//! least `until_reset × cost / remaining` apart, and when no more than one
//! round is left the wait sleeps until the reset. The wait therefore never
//! spends the last requests of a window.
//!
//! # Errors and tolerance
//!
//! Every request goes through the [`RetryPolicy`], so transient failures
//! (429, 5xx, transport) are retried with backoff. A `404` for a target is
//! tolerated during [`Wait::with_not_found_grace`] (60 s by default) from
//! the start of the wait, since a droplet may not be visible yet right after
//! its create; later it is an error. An `errored` action ends the wait with
//! [`Error::ActionFailed`]. When [`Config::wait_time`] runs out the wait ends
//! with [`Error::WaitTimeout`], and [`Wait::handle_cancel`] ends it with
//! [`Error::Cancelled`]; both carry the finished and pending states.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use http::{Request, Response};

use crate::call::Retrying;
use crate::config::Config;
use crate::decode::Reply;
use crate::endpoints::{
    ActionTarget, Endpoint, GetAction, GetDroplet, GetFloatingIp, GetImage, LastAction, List,
    ListActions, ListDroplets,
};
use crate::error::{Error, RequestError};
use crate::machine::{Answer, Machine};
use crate::models::{Action, Droplet, DropletStatus, StrList};
use crate::paginate::Paginator;
use crate::ratelimit::ResponseInfo;
use crate::retry::{until_reset, RetryPolicy};
use crate::wait_objects::ObjectState;

/// What a droplet wait waits for (doapi's `status=` or `locked=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Until {
    /// The droplet's `status` is this.
    Status(DropletStatus),
    /// The droplet's `locked` is this.
    Locked(bool),
}

/// The last known state of one target of a wait.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TargetState {
    /// A droplet.
    Droplet(Box<Droplet>),
    /// An action.
    Action(Box<Action>),
    /// A target given by id and not seen yet: not polled yet, or every poll
    /// answered 404.
    Unseen {
        /// Its id.
        id: u64,
    },
    /// A resource of a [`WaitActionsOnObjects`](crate::WaitActionsOnObjects):
    /// its most recent action and, once finished, its final state.
    Object(Box<ObjectState>),
}

impl TargetState {
    /// The target's id. For an [`Object`](TargetState::Object), the
    /// resource's id; a floating IP has none (its address identifies it,
    /// see [`ObjectState::target`]), so it gives 0.
    pub fn id(&self) -> u64 {
        match self {
            TargetState::Droplet(d) => d.id,
            TargetState::Action(a) => a.id,
            TargetState::Unseen { id } => *id,
            TargetState::Object(o) => match o.target {
                ActionTarget::Droplet(id) | ActionTarget::Image(id) => id,
                ActionTarget::FloatingIp(_) | ActionTarget::Account => 0,
            },
        }
    }
}

/// Where a wait stood when it ended early: carried by [`Error::WaitTimeout`]
/// and [`Error::Cancelled`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitStates {
    /// The targets that finished, in the order they did.
    pub finished: Vec<TargetState>,
    /// The targets still pending, in the order given, as last seen.
    pub pending: Vec<TargetState>,
}

mod sealed {
    use super::*;

    /// How to poll one kind of target.
    pub trait Kind: Clone + fmt::Debug + Sized {
        /// What finishes a target.
        type Until: Clone + fmt::Debug;
        /// The listing that shows targets of this kind.
        type Lister: List<Item = Self> + fmt::Debug;
        fn id(&self) -> u64;
        /// The tags, for the kinds that have them.
        fn tags(&self) -> Option<&StrList>;
        fn is_finished(&self, until: &Self::Until) -> Result<bool, Error>;
        fn single(config: &Config, id: u64) -> Result<Request<Vec<u8>>, RequestError>;
        fn parse_single(id: u64, resp: &Response<Vec<u8>>) -> Result<Reply<Self>, Error>;
        fn lister(tag: Option<String>) -> Self::Lister;
        fn state(&self) -> TargetState;
    }
}

/// What [`Wait`] can wait on: [`Droplet`] and [`Action`].
pub trait Waitable: sealed::Kind {}

impl Waitable for Droplet {}
impl Waitable for Action {}

impl sealed::Kind for Droplet {
    type Until = Until;
    type Lister = ListDroplets;
    fn id(&self) -> u64 {
        self.id
    }
    fn tags(&self) -> Option<&StrList> {
        Some(&self.tags)
    }
    fn is_finished(&self, until: &Until) -> Result<bool, Error> {
        Ok(match until {
            Until::Status(s) => self.status == *s,
            Until::Locked(l) => self.locked == *l,
        })
    }
    fn single(config: &Config, id: u64) -> Result<Request<Vec<u8>>, RequestError> {
        config.request(&GetDroplet { id })
    }
    fn parse_single(id: u64, resp: &Response<Vec<u8>>) -> Result<Reply<Self>, Error> {
        GetDroplet { id }.parse(resp)
    }
    fn lister(tag_name: Option<String>) -> ListDroplets {
        ListDroplets { tag_name }
    }
    fn state(&self) -> TargetState {
        TargetState::Droplet(Box::new(self.clone()))
    }
}

impl sealed::Kind for Action {
    type Until = ();
    type Lister = ListActions;
    fn id(&self) -> u64 {
        self.id
    }
    fn tags(&self) -> Option<&StrList> {
        None
    }
    fn is_finished(&self, _: &()) -> Result<bool, Error> {
        if self.is_errored() {
            Err(Error::ActionFailed(Box::new(self.clone())))
        } else {
            Ok(self.is_done())
        }
    }
    fn single(config: &Config, id: u64) -> Result<Request<Vec<u8>>, RequestError> {
        config.request(&GetAction { id })
    }
    fn parse_single(id: u64, resp: &Response<Vec<u8>>) -> Result<Reply<Self>, Error> {
        GetAction { id }.parse(resp)
    }
    fn lister(_: Option<String>) -> ListActions {
        ListActions {}
    }
    fn state(&self) -> TargetState {
        TargetState::Action(Box::new(self.clone()))
    }
}

/// A wait on droplets (doapi `wait_droplets`).
pub type WaitDroplets = Wait<Droplet>;
/// A wait on actions (doapi `wait_actions`).
pub type WaitActions = Wait<Action>;

/// How long a `404` for a target is tolerated, from the start of the wait.
pub const DEFAULT_NOT_FOUND_GRACE: Duration = Duration::from_secs(60);

/// Durations are clamped to this before being added to an `Instant`.
const YEAR: Duration = Duration::from_secs(365 * 24 * 3600);
/// Rate-limit windows are never longer than an hour.
const HOUR: Duration = Duration::from_secs(3600);

/// Many targets polled until each finishes, as a [`Machine`] that yields
/// each final state in completion order. See the [module docs](self) for
/// how it polls.
///
/// ```
/// use std::time::Instant;
/// use doapi_core::{Config, Machine, Token, Until, WaitDroplets, models::DropletStatus};
///
/// let config = Config::new(Token::new("my-token")?);
/// let now = Instant::now();
/// let mut wait = WaitDroplets::droplet_ids(
///     &config, [3164444], Until::Status(DropletStatus::Active), now);
/// // Rounds start on `handle_timeout`; the first is due at once.
/// assert_eq!(wait.poll_timeout(), Some(now));
/// wait.handle_timeout(now);
/// let req = wait.poll_request().expect("the first poll");
/// assert_eq!(req.uri(), "https://api.digitalocean.com/v2/droplets/3164444");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Wait<T: Waitable> {
    config: Config,
    until: T::Until,
    policy: RetryPolicy,
    interval: Duration,
    start: Instant,
    /// The time of the last input.
    now: Instant,
    deadline: Option<Instant>,
    not_found_grace: Duration,
    tag: Option<String>,
    targets: Vec<Target<T>>,
    index: HashMap<u64, usize>,
    /// Indices of the finished targets, in completion order.
    finished: Vec<usize>,
    /// What a round using each listing (by tag, or all: `None`) cost when
    /// last used: its pages plus the single GETs of the targets it missed.
    listing_cost: HashMap<Option<String>, u64>,
    last_info: Option<ResponseInfo>,
    round_start: Instant,
    phase: Phase<T>,
    out: VecDeque<Result<T, Error>>,
}

#[derive(Debug)]
struct Target<T> {
    id: u64,
    state: Option<T>,
    done: bool,
    /// Seen in the current round.
    seen: bool,
}

#[derive(Debug)]
enum Phase<T: Waitable> {
    /// Between rounds: the next starts at this time.
    Idle(Instant),
    /// Reading a listing.
    Listing {
        key: Option<String>,
        pager: Box<Paginator<T::Lister>>,
    },
    /// Single GETs of these targets, one at a time.
    Singles {
        queue: VecDeque<usize>,
        send: Option<(usize, Box<Retrying>)>,
    },
    /// Every target finished, or the wait ended.
    Ended,
}

/// How a round polls.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    Singles,
    Listing(Option<String>),
}

impl Wait<Droplet> {
    /// Waits on these droplets until each matches `until`. Their states are
    /// only a starting point (their tags can pick a listing): every droplet
    /// is polled at least once.
    pub fn droplets(
        config: &Config,
        droplets: impl IntoIterator<Item = Droplet>,
        until: Until,
        now: Instant,
    ) -> Self {
        let targets = droplets.into_iter().map(|d| (d.id, Some(d)));
        Wait::new(config, targets, until, now)
    }

    /// Waits on the droplets with these ids until each matches `until`.
    pub fn droplet_ids(
        config: &Config,
        ids: impl IntoIterator<Item = u64>,
        until: Until,
        now: Instant,
    ) -> Self {
        Wait::new(config, ids.into_iter().map(|id| (id, None)), until, now)
    }

    /// Lets the wait list the droplets carrying `tag` instead of fetching
    /// them one by one, when that is cheaper. Without it, a tag every
    /// pending droplet carries is used.
    pub fn with_tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into()).filter(|t| !t.trim().is_empty());
        self
    }
}

impl Wait<Action> {
    /// Waits on these actions until each is done (not `in-progress`).
    pub fn actions(
        config: &Config,
        actions: impl IntoIterator<Item = Action>,
        now: Instant,
    ) -> Self {
        let targets = actions.into_iter().map(|a| (a.id, Some(a)));
        Wait::new(config, targets, (), now)
    }

    /// Waits on the actions with these ids until each is done.
    pub fn action_ids(config: &Config, ids: impl IntoIterator<Item = u64>, now: Instant) -> Self {
        Wait::new(config, ids.into_iter().map(|id| (id, None)), (), now)
    }
}

impl<T: Waitable> Wait<T> {
    fn new(
        config: &Config,
        targets: impl Iterator<Item = (u64, Option<T>)>,
        until: T::Until,
        now: Instant,
    ) -> Self {
        let mut wait = Wait {
            config: config.clone(),
            until,
            policy: RetryPolicy::default(),
            interval: config.wait_interval,
            start: now,
            now,
            deadline: config.wait_time.map(|t| later(now, t)),
            not_found_grace: DEFAULT_NOT_FOUND_GRACE,
            tag: None,
            targets: Vec::new(),
            index: HashMap::new(),
            finished: Vec::new(),
            listing_cost: HashMap::new(),
            last_info: None,
            round_start: now,
            phase: Phase::Idle(now),
            out: VecDeque::new(),
        };
        for (id, state) in targets {
            if !wait.index.contains_key(&id) {
                wait.index.insert(id, wait.targets.len());
                wait.targets.push(Target {
                    id,
                    state,
                    done: false,
                    seen: false,
                });
            }
        }
        if wait.targets.is_empty() {
            wait.phase = Phase::Ended;
        }
        wait
    }

    /// The same wait under another retry policy for its requests.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The same wait polling every `interval` instead of
    /// [`Config::wait_interval`].
    pub fn with_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The same wait ending with [`Error::WaitTimeout`] after `timeout`
    /// from its start instead of [`Config::wait_time`]; `None` waits without
    /// limit.
    pub fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.deadline = timeout.map(|t| later(self.start, t));
        self
    }

    /// The same wait tolerating a `404` for a target for `grace` from its
    /// start.
    pub fn with_not_found_grace(mut self, grace: Duration) -> Self {
        self.not_found_grace = grace;
        self
    }

    /// Starts the first round at `at` instead of at once: for targets whose
    /// states are fresh, such as droplets just created, which are `new`
    /// for a while anyway.
    pub fn first_round_at(mut self, at: Instant) -> Self {
        if let Phase::Idle(_) = self.phase {
            self.phase = Phase::Idle(at);
        }
        self
    }

    /// Ends the wait now: the next output is [`Error::Cancelled`] with the
    /// finished and pending states, and nothing more is sent. Does nothing
    /// once the wait has ended.
    pub fn handle_cancel(&mut self) {
        if !self.is_ended() {
            self.end_with(Error::Cancelled(Box::new(self.states())));
        }
    }

    /// The finished targets and the pending ones, as last seen.
    pub fn states(&self) -> WaitStates {
        let state = |t: &Target<T>| match &t.state {
            Some(s) => s.state(),
            None => TargetState::Unseen { id: t.id },
        };
        WaitStates {
            finished: self
                .finished
                .iter()
                .map(|&i| state(&self.targets[i]))
                .collect(),
            pending: self.targets.iter().filter(|t| !t.done).map(state).collect(),
        }
    }

    /// How many targets are still pending.
    pub fn pending(&self) -> usize {
        self.targets.iter().filter(|t| !t.done).count()
    }

    fn is_ended(&self) -> bool {
        matches!(self.phase, Phase::Ended)
    }

    /// Ends the wait with an error, unless it has already ended.
    fn end_with(&mut self, error: Error) {
        if !self.is_ended() {
            self.phase = Phase::Ended;
            self.out.push_back(Err(error));
        }
    }

    /// Times out if the deadline has passed with targets pending.
    fn check_deadline(&mut self) -> bool {
        let passed = self.deadline.is_some_and(|d| self.now >= d);
        if passed && !self.is_ended() {
            self.end_with(Error::WaitTimeout(Box::new(self.states())));
        }
        passed
    }

    /// The tag of the listing by tag, if there is one to use.
    fn listing_tag(&self) -> Option<String> {
        if self.tag.is_some() {
            return self.tag.clone();
        }
        let mut known = self
            .targets
            .iter()
            .filter(|t| !t.done)
            .filter_map(|t| t.state.as_ref());
        let first = known.next()?;
        let rest: Vec<&T> = known.collect();
        first
            .tags()?
            .iter()
            .find(|tag| {
                rest.iter()
                    .all(|s| s.tags().is_some_and(|t| t.contains(tag)))
            })
            .map(str::to_owned)
    }

    /// The cheapest known way to poll every pending target, and its cost
    /// in requests.
    fn plan(&self) -> (Plan, u64) {
        let pending = self.pending() as u64;
        let mut best = (Plan::Singles, pending);
        let mut untried = None;
        let keys = [self.listing_tag().map(Some), Some(None)];
        for key in keys.into_iter().flatten() {
            match self.listing_cost.get(&key) {
                Some(&cost) if cost < best.1 => best = (Plan::Listing(key), cost),
                Some(_) => {}
                None => untried = untried.or(Some(key)),
            }
        }
        match untried {
            Some(key) if best.0 == Plan::Singles && pending >= 2 => (Plan::Listing(key), 1),
            _ => best,
        }
    }

    fn start_round(&mut self) {
        self.round_start = self.now;
        for t in &mut self.targets {
            t.seen = false;
        }
        match self.plan().0 {
            Plan::Listing(key) => {
                let op = T::lister(key.clone());
                let pager = Paginator::new(&self.config, op).with_retry(self.policy.clone());
                self.phase = Phase::Listing {
                    key,
                    pager: Box::new(pager),
                };
                // A listing whose request cannot be built fails at once.
                self.on_listing();
            }
            Plan::Singles => {
                let queue = (0..self.targets.len())
                    .filter(|&i| !self.targets[i].done)
                    .collect();
                self.start_singles(queue);
            }
        }
    }

    fn end_round(&mut self) {
        if self.pending() == 0 {
            self.phase = Phase::Ended;
            return;
        }
        let mut at = later(self.round_start, self.interval);
        let cost = self.plan().1;
        if let Some(spacing) = self
            .last_info
            .as_ref()
            .and_then(|i| budget_spacing(i, cost))
        {
            at = at.max(later(self.now, spacing));
        }
        self.phase = Phase::Idle(at);
    }

    /// Records a target's new state; yields it if it finished.
    fn observe(&mut self, i: usize, item: T) {
        if self.is_ended() || self.targets[i].done {
            return;
        }
        let finished = item.is_finished(&self.until);
        let target = &mut self.targets[i];
        target.seen = true;
        target.state = Some(item.clone());
        match finished {
            Ok(true) => {
                target.done = true;
                self.finished.push(i);
                self.out.push_back(Ok(item));
            }
            Ok(false) => {}
            Err(e) => self.end_with(e),
        }
    }

    fn start_singles(&mut self, queue: VecDeque<usize>) {
        self.phase = Phase::Singles { queue, send: None };
        self.next_single();
    }

    /// Prepares the GET of the next pending target, or ends the round.
    fn next_single(&mut self) {
        let Phase::Singles { queue, send } = &mut self.phase else {
            return;
        };
        while let Some(i) = queue.pop_front() {
            if self.targets[i].done {
                continue;
            }
            match T::single(&self.config, self.targets[i].id) {
                Ok(req) => *send = Some((i, Box::new(Retrying::new(req, &self.policy)))),
                Err(e) => self.end_with(e.into()),
            }
            return;
        }
        self.end_round();
    }

    fn on_single(&mut self, i: usize, answer: Result<Response<Vec<u8>>, Error>) {
        let id = self.targets[i].id;
        match answer.and_then(|resp| T::parse_single(id, &resp)) {
            Ok(reply) => {
                self.last_info = Some(reply.info);
                self.observe(i, reply.value);
            }
            Err(e) if e.is_not_found() && self.now < later(self.start, self.not_found_grace) => {
                self.targets[i].seen = true;
            }
            Err(e) => return self.end_with(e),
        }
        if let Phase::Singles { send, .. } = &mut self.phase {
            *send = None;
        }
        self.next_single();
    }

    /// Takes the pages the listing has ready, then decides whether to read
    /// on, switch to single GETs, or end the round.
    fn on_listing(&mut self) {
        let Phase::Listing { key, pager } = &mut self.phase else {
            return;
        };
        let mut replies = Vec::new();
        let mut error = None;
        while let Some(out) = pager.poll_output() {
            match out {
                Ok(reply) => replies.push(reply),
                Err(e) => error = Some(e),
            }
        }
        if replies.is_empty() && error.is_none() {
            return;
        }
        let key = key.clone();
        let pages = pager.pages_fetched();
        let page_count = pager.page_count();
        let listing_ended = pager.is_finished();
        for reply in replies {
            self.last_info = Some(reply.info);
            for item in reply.value.items {
                if let Some(&i) = self.index.get(&item.id()) {
                    self.observe(i, item);
                }
            }
        }
        if let Some(e) = error {
            self.end_with(e);
        }
        if self.is_ended() {
            return;
        }
        let unseen: VecDeque<usize> = (0..self.targets.len())
            .filter(|&i| !self.targets[i].done && !self.targets[i].seen)
            .collect();
        // Read on only while the rest of the listing costs fewer requests
        // than the single GETs of the targets not seen yet.
        let remaining = page_count.map_or(0, |c| c.saturating_sub(pages));
        let read_on = !unseen.is_empty()
            && !listing_ended
            && remaining > 0
            && remaining < unseen.len() as u64;
        if read_on {
            return;
        }
        // What the round costs with this listing: its pages, and the single
        // GETs of the targets it did not show.
        self.listing_cost.insert(key, pages + unseen.len() as u64);
        if unseen.is_empty() {
            self.end_round();
        } else {
            self.start_singles(unseen);
        }
    }
}

impl<T: Waitable> Machine for Wait<T> {
    type Output = T;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        match &mut self.phase {
            Phase::Listing { pager, .. } => pager.poll_request(),
            Phase::Singles {
                send: Some((_, send)),
                ..
            } => send.poll_request(),
            _ => None,
        }
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        self.now = self.now.max(now);
        match &mut self.phase {
            Phase::Listing { pager, .. } => {
                pager.handle_answer(now, answer);
                self.on_listing();
            }
            Phase::Singles {
                send: Some((i, send)),
                ..
            } => {
                let i = *i;
                if let Some(result) = send.handle(now, answer) {
                    self.on_single(i, result);
                }
            }
            _ => {}
        }
        self.check_deadline();
    }

    fn poll_timeout(&self) -> Option<Instant> {
        let phase = match &self.phase {
            Phase::Ended => return None,
            Phase::Idle(at) => Some(*at),
            Phase::Listing { pager, .. } => pager.poll_timeout(),
            Phase::Singles { send, .. } => send.as_ref().and_then(|(_, s)| s.poll_timeout()),
        };
        match (phase, self.deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.now = self.now.max(now);
        if self.check_deadline() {
            return;
        }
        match &mut self.phase {
            Phase::Idle(at) if *at <= now => self.start_round(),
            Phase::Listing { pager, .. } => pager.handle_timeout(now),
            Phase::Singles {
                send: Some((_, send)),
                ..
            } => send.handle_timeout(now),
            _ => {}
        }
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.out.pop_front()
    }
}

/// The least time between rounds of `cost` requests so that the wait never
/// spends the last requests of the rate-limit window the response reported:
/// the remaining budget spread evenly until the reset, or the whole time
/// until the reset when no more than one round is left. `None` when the
/// response did not tell (no rate-limit headers or no `Date`).
fn budget_spacing(info: &ResponseInfo, cost: u64) -> Option<Duration> {
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

/// `t + d`, with `d` clamped so that it cannot overflow.
pub(crate) fn later(t: Instant, d: Duration) -> Instant {
    t.checked_add(d.min(YEAR)).unwrap_or(t)
}

/// A resource's most recent action awaited, then the resource's final state
/// (doapi's `wait_for_action`), as a [`Machine`] with one output:
/// `Some(resource)`, or `None` if the resource no longer exists (`404`) once
/// the action is done.
///
/// It fetches the most recent action ([`LastAction`]); if it is still in
/// progress, polls it as a [`WaitActions`] would (the first poll one interval
/// later, since its state was just read); then fetches the resource with
/// `fetch`. A resource without actions is fetched at once. An `errored`
/// action ends with [`Error::ActionFailed`].
///
/// ```
/// use std::time::Instant;
/// use doapi_core::{Config, Machine, Token, WaitForAction};
///
/// let config = Config::new(Token::new("my-token")?);
/// let mut wait = WaitForAction::droplet(&config, 3164444, Instant::now());
/// let req = wait.poll_request().expect("the last action first");
/// assert_eq!(req.uri(), "https://api.digitalocean.com/v2/droplets/3164444/actions?per_page=1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct WaitForAction<E: Endpoint> {
    config: Config,
    target: ActionTarget,
    fetch: E,
    policy: RetryPolicy,
    interval: Duration,
    deadline: Option<Instant>,
    /// The action, once known.
    action: Option<Action>,
    step: Step,
    out: Option<Result<Option<E::Output>, Error>>,
}

#[derive(Debug)]
enum Step {
    /// Fetching the most recent action.
    LastAction(Retrying),
    /// Polling it until done.
    Waiting(Box<WaitActions>),
    /// Fetching the resource.
    Fetch(Retrying),
    Ended,
}

impl WaitForAction<GetDroplet> {
    /// Waits for a droplet's most recent action, then fetches the droplet.
    pub fn droplet(config: &Config, id: u64, now: Instant) -> Self {
        WaitForAction::new(config, ActionTarget::Droplet(id), GetDroplet { id }, now)
    }
}

impl WaitForAction<GetImage> {
    /// Waits for an image's most recent action, then fetches the image.
    pub fn image(config: &Config, id: u64, now: Instant) -> Self {
        WaitForAction::new(config, ActionTarget::Image(id), GetImage { id }, now)
    }
}

impl WaitForAction<GetFloatingIp> {
    /// Waits for a floating IP's most recent action, then fetches it.
    pub fn floating_ip(config: &Config, ip: IpAddr, now: Instant) -> Self {
        WaitForAction::new(
            config,
            ActionTarget::FloatingIp(ip),
            GetFloatingIp { ip },
            now,
        )
    }
}

impl<E: Endpoint> WaitForAction<E> {
    /// Waits for `target`'s most recent action, then answers `fetch`
    /// (which should fetch the same resource).
    pub fn new(config: &Config, target: ActionTarget, fetch: E, now: Instant) -> Self {
        let policy = RetryPolicy::default();
        let last = LastAction {
            target: target.clone(),
        };
        let (step, out) = match config.request(&last) {
            Ok(req) => (Step::LastAction(Retrying::new(req, &policy)), None),
            Err(e) => (Step::Ended, Some(Err(e.into()))),
        };
        WaitForAction {
            config: config.clone(),
            fetch,
            interval: config.wait_interval,
            deadline: config.wait_time.map(|t| later(now, t)),
            action: None,
            step,
            out,
            policy,
            target,
        }
    }

    /// The same wait under another retry policy for its requests. Call
    /// before the first request.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        if let Step::LastAction(send) = &mut self.step {
            send.set_policy(policy.clone());
        }
        self.policy = policy;
        self
    }

    /// The same wait polling every `interval` instead of
    /// [`Config::wait_interval`].
    pub fn with_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Ends the wait now with [`Error::Cancelled`]; the states hold the
    /// action as last seen.
    pub fn handle_cancel(&mut self) {
        match &mut self.step {
            Step::Waiting(wait) => {
                wait.handle_cancel();
                self.take_wait_output();
            }
            Step::Ended => {}
            _ => {
                let mut states = WaitStates::default();
                if let Some(a) = &self.action {
                    states
                        .finished
                        .push(TargetState::Action(Box::new(a.clone())));
                }
                self.end_with(Error::Cancelled(Box::new(states)));
            }
        }
    }

    /// Ends the wait with an error, unless it has already ended.
    fn end_with(&mut self, error: Error) {
        if !matches!(self.step, Step::Ended) {
            self.step = Step::Ended;
            self.out = Some(Err(error));
        }
    }

    fn start_fetch(&mut self) {
        match self.config.request(&self.fetch) {
            Ok(req) => self.step = Step::Fetch(Retrying::new(req, &self.policy)),
            Err(e) => self.end_with(e.into()),
        }
    }

    fn on_last_action(&mut self, now: Instant, answer: Result<Response<Vec<u8>>, Error>) {
        let last = LastAction {
            target: self.target.clone(),
        };
        let action = match answer.and_then(|resp| last.parse(&resp)) {
            Ok(reply) => reply.value,
            Err(e) => return self.end_with(e),
        };
        self.action = action.clone();
        match action {
            Some(a) if a.is_errored() => self.end_with(Error::ActionFailed(Box::new(a))),
            Some(a) if a.is_in_progress() => {
                let wait = Wait::actions(&self.config, [a], now)
                    .with_retry(self.policy.clone())
                    .with_interval(self.interval)
                    .with_timeout(self.deadline.map(|d| d.saturating_duration_since(now)))
                    .first_round_at(later(now, self.interval));
                self.step = Step::Waiting(Box::new(wait));
            }
            _ => self.start_fetch(),
        }
    }

    fn on_fetch(&mut self, answer: Result<Response<Vec<u8>>, Error>) {
        self.step = Step::Ended;
        self.out = Some(match answer.and_then(|resp| self.fetch.parse(&resp)) {
            Ok(reply) => Ok(Some(reply.value)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        });
    }

    fn take_wait_output(&mut self) {
        let Step::Waiting(wait) = &mut self.step else {
            return;
        };
        match wait.poll_output() {
            Some(Ok(action)) => {
                self.action = Some(action);
                self.start_fetch();
            }
            Some(Err(e)) => self.end_with(e),
            None => {}
        }
    }
}

impl<E: Endpoint> Machine for WaitForAction<E> {
    type Output = Option<E::Output>;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        match &mut self.step {
            Step::LastAction(send) | Step::Fetch(send) => send.poll_request(),
            Step::Waiting(wait) => wait.poll_request(),
            Step::Ended => None,
        }
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        match &mut self.step {
            Step::LastAction(send) => {
                if let Some(result) = send.handle(now, answer) {
                    self.on_last_action(now, result);
                }
            }
            Step::Waiting(wait) => {
                wait.handle_answer(now, answer);
                self.take_wait_output();
            }
            Step::Fetch(send) => {
                if let Some(result) = send.handle(now, answer) {
                    self.on_fetch(result);
                }
            }
            Step::Ended => {}
        }
    }

    fn poll_timeout(&self) -> Option<Instant> {
        match &self.step {
            Step::LastAction(send) | Step::Fetch(send) => send.poll_timeout(),
            Step::Waiting(wait) => wait.poll_timeout(),
            Step::Ended => None,
        }
    }

    fn handle_timeout(&mut self, now: Instant) {
        match &mut self.step {
            Step::LastAction(send) | Step::Fetch(send) => send.handle_timeout(now),
            Step::Waiting(wait) => {
                wait.handle_timeout(now);
                self.take_wait_output();
            }
            Step::Ended => {}
        }
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.out.take()
    }
}

impl<T: Waitable> crate::machine::Cancel for Wait<T> {
    fn handle_cancel(&mut self) {
        Wait::handle_cancel(self);
    }
}

impl<E: Endpoint> crate::machine::Cancel for WaitForAction<E> {
    fn handle_cancel(&mut self) {
        WaitForAction::handle_cancel(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratelimit::RateLimit;

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
