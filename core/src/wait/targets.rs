//! [`Wait`]: many targets polled in rounds until each finishes, yielded in
//! completion order. The [module docs](crate::wait) say what a round costs.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{Request, Response};

use crate::config::Config;
use crate::endpoint::decode::Decoded;
use crate::endpoint::Endpoint;
use crate::endpoints::{GetAction, GetDroplet, ListActions, ListDroplets};
use crate::error::{Error, RequestError};
use crate::machine::request::RetriedRequest;
use crate::machine::{Answer, Machine};
use crate::models::{Action, Droplet, StrList};
use crate::paginate::Paginator;
use crate::ratelimit::ResponseInfo;
use crate::wait::accept::{self, Until, Verdict};
use crate::wait::core::{add_clamped, EndsEarly, WaitCore};
use crate::wait::hub::{Hub, Join, Pace};
use crate::wait::plan::{self, Costs, Listing, Plan};
use crate::wait::state::{Resource, Target, TargetState, WaitStates};

mod sealed {
    use std::fmt;

    use http::{Request, Response};

    use crate::config::Config;
    use crate::endpoint::decode::Decoded;
    use crate::endpoint::List;
    use crate::error::{Error, RequestError};
    use crate::models::StrList;
    use crate::wait::accept::Verdict;
    use crate::wait::plan::Listing;
    use crate::wait::state::TargetState;

    /// How to poll one kind of target.
    pub trait Kind: Clone + fmt::Debug + Send + Sized + 'static {
        /// What finishes a target.
        type Until: Clone + fmt::Debug + Send + 'static;
        /// The listing that shows targets of this kind.
        type Lister: List<Item = Self> + fmt::Debug;
        fn id(&self) -> u64;
        /// The tags, for the kinds that have them.
        fn tags(&self) -> Option<&StrList>;
        fn verdict(&self, until: &Self::Until) -> Verdict;
        fn single(config: &Config, id: u64) -> Result<Request<Vec<u8>>, RequestError>;
        fn parse_single(id: u64, resp: &Response<Vec<u8>>) -> Result<Decoded<Self>, Error>;
        fn lister(listing: Listing) -> Self::Lister;
        fn state(id: u64, seen: Option<&Self>) -> TargetState;
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
    fn verdict(&self, until: &Until) -> Verdict {
        accept::droplet(self, until)
    }
    fn single(config: &Config, id: u64) -> Result<Request<Vec<u8>>, RequestError> {
        config.request(&GetDroplet { id })
    }
    fn parse_single(id: u64, resp: &Response<Vec<u8>>) -> Result<Decoded<Self>, Error> {
        GetDroplet { id }.parse(resp)
    }
    fn lister(listing: Listing) -> ListDroplets {
        match listing {
            Listing::Tagged(tag) => ListDroplets {
                tag_name: Some(tag),
            },
            Listing::All => ListDroplets { tag_name: None },
        }
    }
    fn state(id: u64, seen: Option<&Self>) -> TargetState {
        TargetState {
            resource: seen.map(|d| Resource::Droplet(Box::new(d.clone()))),
            ..TargetState::unseen(Target::Droplet(id))
        }
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
    fn verdict(&self, _: &()) -> Verdict {
        accept::action(self)
    }
    fn single(config: &Config, id: u64) -> Result<Request<Vec<u8>>, RequestError> {
        config.request(&GetAction { id })
    }
    fn parse_single(id: u64, resp: &Response<Vec<u8>>) -> Result<Decoded<Self>, Error> {
        GetAction { id }.parse(resp)
    }
    fn lister(_: Listing) -> ListActions {
        ListActions {}
    }
    fn state(id: u64, seen: Option<&Self>) -> TargetState {
        TargetState {
            action: seen.cloned(),
            ..TargetState::unseen(Target::Action(id))
        }
    }
}

/// A wait on droplets (doapi `wait_droplets`).
pub type WaitDroplets = Wait<Droplet>;
/// A wait on actions (doapi `wait_actions`).
pub type WaitActions = Wait<Action>;

/// How long a `404` for a target is tolerated, from the start of the wait.
pub const DEFAULT_NOT_FOUND_GRACE: Duration = Duration::from_secs(60);

/// Many targets polled until each finishes, as a [`Machine`] that yields
/// each final state in completion order. See the [module docs](crate::wait)
/// for how it polls; its interval, time limit and retry policy are the
/// configuration's.
///
/// ```
/// use std::time::Instant;
/// use doapi_core::{Config, Machine, Token, Until, WaitDroplets, models::DropletStatus};
///
/// let config = Config::new(Token::new("my-token")?);
/// let now = Instant::now();
/// let mut wait = WaitDroplets::droplet_ids(
///     &config, [3164444], Until::Status(DropletStatus::Active), now);
/// // The first round is due at once: its request is ready.
/// let req = wait.poll_request().expect("the first poll");
/// assert_eq!(req.uri(), "https://api.digitalocean.com/v2/droplets/3164444");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Wait<T: Waitable> {
    core: WaitCore<T>,
    until: T::Until,
    not_found_grace: Duration,
    tag: Option<String>,
    targets: Vec<Slot<T>>,
    index: HashMap<u64, usize>,
    /// Indices of the finished targets, in completion order.
    finished: Vec<usize>,
    costs: Costs,
    last_info: Option<ResponseInfo>,
    /// When the first round is due.
    first_round: Instant,
    /// Whether a request has gone out (until then, settings may re-plan the
    /// first round).
    started: bool,
    round_start: Instant,
    phase: Phase<T>,
    /// The polling it shares with the other waits of a session, if any.
    shared: Option<Shared<T>>,
}

/// A wait's part in a [`Hub`].
#[derive(Debug)]
struct Shared<T> {
    hub: Arc<Hub<T>>,
    key: u64,
    /// The start of the wait's last round: listings read since are fresh.
    since: Instant,
    /// While the wait reads a listing for the hub: the watched targets it
    /// showed.
    reading: Option<HashMap<u64, T>>,
}

/// One target and what the wait knows of it.
#[derive(Debug)]
struct Slot<T> {
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
        listing: Listing,
        pager: Box<Paginator<T::Lister>>,
    },
    /// Another wait reads a listing for this one: look at the hub again
    /// at this time.
    Following(Instant),
    /// Single GETs of these targets, one at a time.
    Singles {
        queue: VecDeque<usize>,
        send: Option<(usize, Box<RetriedRequest>)>,
    },
    /// Every target finished, or the wait ended.
    Ended,
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
        self.replan();
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
            core: WaitCore::new(config, now),
            until,
            not_found_grace: DEFAULT_NOT_FOUND_GRACE,
            tag: None,
            targets: Vec::new(),
            index: HashMap::new(),
            finished: Vec::new(),
            costs: Costs::new(),
            last_info: None,
            first_round: now,
            started: false,
            round_start: now,
            phase: Phase::Idle(now),
            shared: None,
        };
        for (id, state) in targets {
            if !wait.index.contains_key(&id) {
                wait.index.insert(id, wait.targets.len());
                wait.targets.push(Slot {
                    id,
                    state,
                    done: false,
                    seen: false,
                });
            }
        }
        wait.replan();
        wait
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
        self.first_round = at;
        self.replan();
        self
    }

    /// The same wait sharing its polling with the other waits of `hub`
    /// (those of one session): see [`Hub`].
    pub(crate) fn sharing(mut self, hub: Arc<Hub<T>>) -> Self {
        let key = hub.register();
        self.shared = Some(Shared {
            hub,
            key,
            since: self.core.start,
            reading: None,
        });
        self.replan();
        self
    }

    /// The same wait ending at `deadline` instead of after the
    /// configuration's `wait_time` (for a wait inside another).
    pub(crate) fn with_deadline(mut self, deadline: Option<Instant>) -> Self {
        self.core.deadline = deadline;
        self
    }

    /// The finished targets and the pending ones, as last seen.
    pub fn states(&self) -> WaitStates {
        let state = |t: &Slot<T>| T::state(t.id, t.state.as_ref());
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

    /// Plans the first round again while nothing has been sent: settings
    /// given after construction take effect, and a round due now has its
    /// first request ready.
    fn replan(&mut self) {
        if self.started || self.core.is_ended() {
            return;
        }
        if self.targets.is_empty() {
            self.phase = Phase::Ended;
            self.core.finish();
            return;
        }
        self.phase = Phase::Idle(self.first_round);
        if !self.check_deadline() && self.first_round <= self.core.now {
            self.start_round();
        }
    }

    fn end_with(&mut self, error: Error) {
        self.core.end_with(error);
        self.stop();
    }

    /// Leaves the hub, once the wait has ended.
    fn leave_hub(&mut self) {
        if let Some(sh) = self.shared.take() {
            sh.hub.leave(sh.key);
        }
    }

    /// The tag of the listing by tag, if there is one to use.
    fn listing_tag(&self) -> Option<String> {
        if self.tag.is_some() {
            return self.tag.clone();
        }
        let known: Vec<&StrList> = self
            .targets
            .iter()
            .filter(|t| !t.done)
            .filter_map(|t| t.state.as_ref())
            .filter_map(T::tags)
            .collect();
        plan::shared_tag(&known)
    }

    fn plan(&self) -> (Plan, u64) {
        let tag = self.listing_tag();
        plan::plan(self.pending() as u64, tag.as_deref(), &self.costs)
    }

    fn start_round(&mut self) {
        self.round_start = self.core.now;
        for t in &mut self.targets {
            t.seen = false;
        }
        self.poll_round();
    }

    /// Polls the round: through the hub, or alone.
    fn poll_round(&mut self) {
        if self.join_hub() {
            return;
        }
        match self.plan().0 {
            Plan::Listing(listing) => self.start_listing(listing),
            Plan::Singles => {
                let queue = (0..self.targets.len())
                    .filter(|&i| !self.targets[i].done)
                    .collect();
                self.start_singles(queue);
            }
        }
    }

    /// Asks the hub, if the wait shares one, what to do this round;
    /// whether the round is taken care of.
    fn join_hub(&mut self) -> bool {
        let Some(sh) = &mut self.shared else {
            return false;
        };
        let ids = self.targets.iter().filter(|t| !t.done).map(|t| t.id);
        let now = self.core.now;
        let interval = self.core.interval();
        let pace = Pace {
            interval,
            look: (interval / 8).clamp(Duration::from_millis(10), Duration::from_millis(250)),
            // A reading is waited for for two rounds and 10 s; after that
            // the reader is taken to be gone.
            ttl: interval
                .saturating_mul(2)
                .saturating_add(Duration::from_secs(10)),
        };
        let join = sh.hub.join(sh.key, ids.collect(), now, sh.since, pace);
        if !matches!(join, Join::Wait(_)) {
            sh.since = self.round_start;
        }
        match join {
            Join::Alone => return false,
            Join::Wait(at) => self.phase = Phase::Following(at),
            Join::Read(states) => {
                for (id, item) in states {
                    if let Some(&i) = self.index.get(&id) {
                        self.observe(i, item);
                    }
                }
                if !self.core.is_ended() {
                    self.after_listing(None);
                }
            }
            Join::Lead(listing) => {
                sh.reading = Some(HashMap::new());
                self.start_listing(listing);
            }
        }
        true
    }

    fn start_listing(&mut self, listing: Listing) {
        let op = T::lister(listing.clone());
        let pager = Paginator::new(&self.core.config, op).for_a_wait();
        self.phase = Phase::Listing {
            listing,
            pager: Box::new(pager),
        };
        // A listing whose request cannot be built fails at once.
        self.on_listing();
    }

    fn end_round(&mut self) {
        if self.pending() == 0 {
            self.phase = Phase::Ended;
            self.core.finish();
            self.leave_hub();
            return;
        }
        let mut at = add_clamped(self.round_start, self.core.interval());
        let cost = self.plan().1;
        if let Some(spacing) = self
            .last_info
            .as_ref()
            .and_then(|i| plan::budget_spacing(i, cost))
        {
            at = at.max(add_clamped(self.core.now, spacing));
        }
        self.phase = Phase::Idle(at);
    }

    /// Records a target's new state; yields it if it finished.
    fn observe(&mut self, i: usize, item: T) {
        if self.core.is_ended() || self.targets[i].done {
            return;
        }
        let verdict = item.verdict(&self.until);
        let target = &mut self.targets[i];
        target.seen = true;
        target.state = Some(item.clone());
        match verdict {
            Verdict::Done => {
                target.done = true;
                self.finished.push(i);
                self.core.output(item);
            }
            Verdict::Pending => {}
            Verdict::Failed(e) => self.end_with(e),
        }
    }

    fn start_singles(&mut self, queue: VecDeque<usize>) {
        self.phase = Phase::Singles { queue, send: None };
        self.next_single();
    }

    /// Prepares the GET of the next pending target, or ends the round.
    fn next_single(&mut self) {
        loop {
            let Phase::Singles { queue, .. } = &mut self.phase else {
                return;
            };
            let Some(i) = queue.pop_front() else {
                return self.end_round();
            };
            if self.targets[i].done {
                continue;
            }
            let request = T::single(&self.core.config, self.targets[i].id);
            match self.core.retried(request) {
                Some(send) => {
                    if let Phase::Singles { send: slot, .. } = &mut self.phase {
                        *slot = Some((i, Box::new(send)));
                    }
                }
                None => self.phase = Phase::Ended,
            }
            return;
        }
    }

    fn on_single(&mut self, i: usize, answer: Result<Response<Vec<u8>>, Error>) {
        let id = self.targets[i].id;
        let in_grace = self.core.now < add_clamped(self.core.start, self.not_found_grace);
        match answer.and_then(|resp| T::parse_single(id, &resp)) {
            Ok(reply) => {
                self.last_info = Some(reply.info);
                self.observe(i, reply.value);
            }
            Err(e) if e.is_not_found() && in_grace => self.targets[i].seen = true,
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
        let Phase::Listing { listing, pager } = &mut self.phase else {
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
        let listing = listing.clone();
        let pages = pager.pages_fetched();
        let pages_left = match (pager.is_finished(), pager.page_count()) {
            (false, Some(count)) => count.saturating_sub(pages),
            _ => 0,
        };
        for reply in replies {
            self.last_info = Some(reply.info);
            if let Some(Shared {
                hub,
                reading: Some(seen),
                ..
            }) = &mut self.shared
            {
                seen.extend(hub.watched(&reply.value.items, T::id));
            }
            for item in reply.value.items {
                if let Some(&i) = self.index.get(&item.id()) {
                    self.observe(i, item);
                }
            }
        }
        if let Some(e) = error {
            self.end_with(e);
        }
        if self.core.is_ended() {
            return;
        }
        self.after_listing(Some((listing, pages, pages_left)));
    }

    /// After a listing's pages so far (`listing`, pages read, pages left),
    /// or the hub's: reads on, or publishes the listing to the hub, then
    /// GETs the targets it did not show, or ends the round.
    fn after_listing(&mut self, read: Option<(Listing, u64, u64)>) {
        let unseen: VecDeque<usize> = (0..self.targets.len())
            .filter(|&i| !self.targets[i].done && !self.targets[i].seen)
            .collect();
        if let Some((listing, pages, pages_left)) = read {
            // Read for the hub, the targets of every wait count.
            let for_hub = match &self.shared {
                Some(Shared {
                    hub,
                    reading: Some(seen),
                    ..
                }) => hub.watching().saturating_sub(seen.len() as u64),
                _ => 0,
            };
            let missing = for_hub.max(unseen.len() as u64);
            if plan::read_on(pages_left, missing) {
                return;
            }
            if let Some(sh) = &mut self.shared {
                if let Some(seen) = sh.reading.take() {
                    let cost = pages + missing;
                    sh.hub
                        .publish(sh.key, self.round_start, seen, listing.clone(), cost);
                }
            }
            self.costs.insert(listing, pages + unseen.len() as u64);
        }
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
        let req = match &mut self.phase {
            Phase::Listing { pager, .. } => pager.poll_request(),
            Phase::Singles {
                send: Some((_, send)),
                ..
            } => send.poll_request(),
            _ => None,
        };
        self.started |= req.is_some();
        req
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        if !self.core.tick(now) {
            return;
        }
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
        let next = match &self.phase {
            Phase::Ended => return None,
            Phase::Idle(at) | Phase::Following(at) => Some(*at),
            Phase::Listing { pager, .. } => pager.poll_timeout(),
            Phase::Singles { send, .. } => send.as_ref().and_then(|(_, s)| s.poll_timeout()),
        };
        self.core.timeout(next)
    }

    fn handle_timeout(&mut self, now: Instant) {
        if !self.core.tick(now) || self.check_deadline() {
            return;
        }
        match &mut self.phase {
            Phase::Idle(at) if *at <= now => self.start_round(),
            Phase::Following(at) if *at <= now => self.poll_round(),
            Phase::Listing { pager, .. } => pager.handle_timeout(now),
            Phase::Singles {
                send: Some((_, send)),
                ..
            } => send.handle_timeout(now),
            _ => {}
        }
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.core.poll_output()
    }
}

impl<T: Waitable> EndsEarly for Wait<T> {
    type Yields = T;

    fn core(&mut self) -> &mut WaitCore<T> {
        &mut self.core
    }

    fn states(&self) -> WaitStates {
        Wait::states(self)
    }

    fn stop(&mut self) {
        self.phase = Phase::Ended;
        self.leave_hub();
    }
}

impl<T: Waitable> Drop for Wait<T> {
    fn drop(&mut self) {
        self.leave_hub();
    }
}
