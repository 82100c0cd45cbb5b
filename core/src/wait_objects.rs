//! Waiting for the most recent action of many resources, then fetching each
//! one's final state (doapi's `wait_actions_on_objects`).
//!
//! [`WaitActionsOnObjects`] reads each resource's most recent action
//! ([`LastAction`]), one request per resource. A resource without actions,
//! or whose action is already done, is fetched at once. The actions still
//! in progress are then awaited together by one [`WaitActions`], so they
//! are polled as cheaply as that wait polls (one listing of the newest
//! actions per round when that costs fewer requests than a GET per action);
//! as each one finishes, its resource is fetched. Results come out in
//! completion order.
//!
//! ```text
//!   LastAction of each ──▶ none, or done ──────────────▶ fetch ─▶ output
//!          │ in progress                                   ▲
//!          ▼ (once every LastAction is read)               │
//!   one WaitActions on all of them ── each as it ends ─────┘
//! ```
//!
//! What it costs: one `LastAction` per resource, the polls of the actions,
//! and one GET per resource. doapi makes the same `LastAction`s and GETs,
//! but polls each pending action with a GET of its own every round, the
//! first round at once although the actions were just read.
//!
//! Every request goes through the [`RetryPolicy`]. Its own requests (the
//! `LastAction`s and the fetches) go out before the polls. An `errored`
//! action ends the wait with [`Error::ActionFailed`]; when
//! [`Config::wait_time`] runs out it ends with [`Error::WaitTimeout`], and
//! [`WaitActionsOnObjects::handle_cancel`] ends it with [`Error::Cancelled`].
//! Both carry every resource as a [`TargetState::Object`].

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use http::{Request, Response};

use crate::call::Retrying;
use crate::config::Config;
use crate::endpoints::{ActionTarget, Endpoint, GetDroplet, GetFloatingIp, GetImage, LastAction};
use crate::error::{Error, RequestError};
use crate::machine::{Answer, Cancel, Machine};
use crate::models::{Action, Droplet, FloatingIp, Image};
use crate::retry::RetryPolicy;
use crate::wait::{later, TargetState, Wait, WaitActions, WaitStates};

/// A resource as fetched once its action is done.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Resource {
    /// A droplet.
    Droplet(Box<Droplet>),
    /// An image.
    Image(Box<Image>),
    /// A floating IP.
    FloatingIp(Box<FloatingIp>),
}

/// One resource of a [`WaitActionsOnObjects`]: its output for each
/// resource, and what [`TargetState::Object`] holds when the wait ends
/// early.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ObjectState {
    /// The resource.
    pub target: ActionTarget,
    /// Its most recent action as last seen; `None` if it has none, or if it
    /// has not been read yet.
    pub action: Option<Action>,
    /// The resource once its action is done; `None` if it no longer exists
    /// then (a `404`: the action deleted it), or, while it is pending, not
    /// fetched yet.
    pub resource: Option<Resource>,
}

/// Many resources' most recent actions awaited, then each resource's final
/// state, in completion order (doapi's `wait_actions_on_objects`), as a
/// [`Machine`]. See the [module docs](self).
///
/// ```
/// use std::time::Instant;
/// use doapi_core::{Config, Machine, Token, WaitActionsOnObjects, endpoints::ActionTarget};
///
/// let config = Config::new(Token::new("my-token")?);
/// let targets = [ActionTarget::Droplet(3164444), ActionTarget::Image(7555620)];
/// let mut wait = WaitActionsOnObjects::new(&config, targets, Instant::now());
/// let req = wait.poll_request().expect("the first resource's last action");
/// assert_eq!(req.uri(), "https://api.digitalocean.com/v2/droplets/3164444/actions?per_page=1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct WaitActionsOnObjects {
    config: Config,
    policy: RetryPolicy,
    interval: Duration,
    /// The time of the last input.
    now: Instant,
    deadline: Option<Instant>,
    objects: Vec<Object>,
    /// How many objects' last actions are not read yet.
    unread: usize,
    /// Requests of this machine's own, in the order they go out.
    due: VecDeque<Own>,
    /// The one of them being made.
    current: Option<Own>,
    /// Whose request is outstanding.
    in_flight: Option<Flight>,
    /// The actions in progress, once every last action is read.
    wait: Option<Box<WaitActions>>,
    /// Indices of the finished objects, in completion order.
    finished: Vec<usize>,
    ended: bool,
    out: VecDeque<Result<ObjectState, Error>>,
}

#[derive(Debug)]
struct Object {
    state: ObjectState,
    stage: Stage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Its last action is not read yet.
    Unread,
    /// Its action is in progress.
    Waiting,
    /// Its fetch is due or under way.
    Fetching,
    Done,
}

/// A request of the machine's own, under the retry policy.
#[derive(Debug)]
struct Own {
    object: usize,
    step: Step,
    send: Retrying,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    LastAction,
    Fetch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flight {
    Own,
    Wait,
}

impl WaitActionsOnObjects {
    /// Waits for the most recent action of each of these resources, then
    /// fetches it. Repeated targets count once. [`ActionTarget::Account`]
    /// is not a resource: the wait ends at once with
    /// [`RequestError::InvalidArgument`].
    pub fn new(
        config: &Config,
        targets: impl IntoIterator<Item = ActionTarget>,
        now: Instant,
    ) -> Self {
        let mut wait = WaitActionsOnObjects {
            config: config.clone(),
            policy: RetryPolicy::default(),
            interval: config.wait_interval,
            now,
            deadline: config.wait_time.map(|t| later(now, t)),
            objects: Vec::new(),
            unread: 0,
            due: VecDeque::new(),
            current: None,
            in_flight: None,
            wait: None,
            finished: Vec::new(),
            ended: false,
            out: VecDeque::new(),
        };
        for target in targets {
            if wait.objects.iter().any(|o| o.state.target == target) {
                continue;
            }
            if target == ActionTarget::Account {
                wait.end_with(not_a_resource().into());
                continue;
            }
            let last = LastAction {
                target: target.clone(),
            };
            wait.objects.push(Object {
                state: ObjectState {
                    target,
                    action: None,
                    resource: None,
                },
                stage: Stage::Unread,
            });
            let i = wait.objects.len() - 1;
            wait.queue(i, Step::LastAction, config.request(&last), false);
        }
        wait.unread = wait.objects.len();
        if wait.objects.is_empty() {
            wait.ended = true;
        }
        wait.check_deadline();
        wait
    }

    /// The same wait under another retry policy for its requests. Call
    /// before the first request.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        for own in self.due.iter_mut().chain(self.current.as_mut()) {
            own.send.set_policy(policy.clone());
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

    /// Ends the wait now: the next output is [`Error::Cancelled`] with the
    /// finished and pending resources, and nothing more is sent. Does
    /// nothing once the wait has ended.
    pub fn handle_cancel(&mut self) {
        if !self.ended {
            self.end_with(Error::Cancelled(Box::new(self.states())));
        }
    }

    /// The finished resources and the pending ones (each with its action as
    /// last polled), as [`TargetState::Object`]s.
    pub fn states(&self) -> WaitStates {
        let polled: HashMap<u64, Action> = self
            .wait
            .iter()
            .flat_map(|w| w.states().pending)
            .filter_map(|s| match s {
                TargetState::Action(a) => Some((a.id, *a)),
                _ => None,
            })
            .collect();
        let state = |o: &Object| {
            let mut s = o.state.clone();
            if let Some(a) = s.action.as_ref().and_then(|a| polled.get(&a.id)) {
                s.action = Some(a.clone());
            }
            TargetState::Object(Box::new(s))
        };
        WaitStates {
            finished: self
                .finished
                .iter()
                .map(|&i| state(&self.objects[i]))
                .collect(),
            pending: self
                .objects
                .iter()
                .filter(|o| o.stage != Stage::Done)
                .map(state)
                .collect(),
        }
    }

    /// Ends the wait with an error, unless it has already ended.
    fn end_with(&mut self, error: Error) {
        if !self.ended {
            self.ended = true;
            self.out.push_back(Err(error));
        }
    }

    /// Times out if the deadline has passed with resources pending.
    fn check_deadline(&mut self) -> bool {
        let passed = self.deadline.is_some_and(|d| self.now >= d);
        if passed && !self.ended {
            self.end_with(Error::WaitTimeout(Box::new(self.states())));
        }
        passed
    }

    /// Queues a request of this machine's own: next if `first`, else last.
    fn queue(
        &mut self,
        object: usize,
        step: Step,
        request: Result<Request<Vec<u8>>, RequestError>,
        first: bool,
    ) {
        let own = match request {
            Ok(req) => Own {
                object,
                step,
                send: Retrying::new(req, &self.policy),
            },
            Err(e) => return self.end_with(e.into()),
        };
        if first {
            self.due.push_front(own);
        } else {
            self.due.push_back(own);
        }
    }

    fn fetch(&mut self, i: usize, first: bool) {
        self.objects[i].stage = Stage::Fetching;
        let req = fetch_request(&self.config, &self.objects[i].state.target);
        self.queue(i, Step::Fetch, req, first);
    }

    fn on_last_action(&mut self, i: usize, answer: Result<Response<Vec<u8>>, Error>) {
        let last = LastAction {
            target: self.objects[i].state.target.clone(),
        };
        let action = match answer.and_then(|resp| last.parse(&resp)) {
            Ok(reply) => reply.value,
            Err(e) => return self.end_with(e),
        };
        self.unread -= 1;
        self.objects[i].state.action = action.clone();
        match action {
            Some(a) if a.is_errored() => return self.end_with(Error::ActionFailed(Box::new(a))),
            Some(a) if a.is_in_progress() => self.objects[i].stage = Stage::Waiting,
            // Nothing to wait for: the resource next, as doapi does.
            _ => self.fetch(i, true),
        }
        if self.unread == 0 {
            self.start_wait();
        }
    }

    /// Waits on the actions in progress; their states were just read, so
    /// the first poll is one interval later.
    fn start_wait(&mut self) {
        let actions: Vec<Action> = self
            .objects
            .iter()
            .filter(|o| o.stage == Stage::Waiting)
            .filter_map(|o| o.state.action.clone())
            .collect();
        if actions.is_empty() {
            return;
        }
        let wait = Wait::actions(&self.config, actions, self.now)
            .with_retry(self.policy.clone())
            .with_interval(self.interval)
            .with_timeout(None)
            .first_round_at(later(self.now, self.interval));
        self.wait = Some(Box::new(wait));
    }

    /// Queues the fetch of each resource whose action the wait saw end.
    fn take_wait_outputs(&mut self) {
        let Some(wait) = &mut self.wait else {
            return;
        };
        let mut ended = Vec::new();
        let mut error = None;
        while let Some(out) = wait.poll_output() {
            match out {
                Ok(action) => ended.push(action),
                Err(e) => error = error.or(Some(e)),
            }
        }
        for action in ended {
            for i in 0..self.objects.len() {
                let o = &mut self.objects[i];
                if o.stage == Stage::Waiting
                    && o.state.action.as_ref().map(|a| a.id) == Some(action.id)
                {
                    o.state.action = Some(action.clone());
                    self.fetch(i, false);
                }
            }
        }
        if let Some(e) = error {
            self.end_with(e);
        }
    }

    fn on_fetch(&mut self, i: usize, answer: Result<Response<Vec<u8>>, Error>) {
        let target = &self.objects[i].state.target;
        let resource = match answer.and_then(|resp| parse_resource(target, &resp)) {
            Ok(resource) => Some(resource),
            Err(e) if e.is_not_found() => None,
            Err(e) => return self.end_with(e),
        };
        let object = &mut self.objects[i];
        object.state.resource = resource;
        object.stage = Stage::Done;
        self.out.push_back(Ok(object.state.clone()));
        self.finished.push(i);
        if self.finished.len() == self.objects.len() {
            self.ended = true;
        }
    }
}

impl Machine for WaitActionsOnObjects {
    type Output = ObjectState;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        if self.ended || self.in_flight.is_some() {
            return None;
        }
        if self.current.is_none() {
            self.current = self.due.pop_front();
        }
        // While a request of its own is under way (or backing off), the
        // polls hold off.
        let (req, flight) = match &mut self.current {
            Some(own) => (own.send.poll_request(), Flight::Own),
            None => (self.wait.as_mut()?.poll_request(), Flight::Wait),
        };
        if req.is_some() {
            self.in_flight = Some(flight);
        }
        req
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        if self.ended {
            return;
        }
        self.now = self.now.max(now);
        match self.in_flight.take() {
            Some(Flight::Own) => {
                if let Some(own) = &mut self.current {
                    if let Some(result) = own.send.handle(now, answer) {
                        let (i, step) = (own.object, own.step);
                        self.current = None;
                        match step {
                            Step::LastAction => self.on_last_action(i, result),
                            Step::Fetch => self.on_fetch(i, result),
                        }
                    }
                }
            }
            Some(Flight::Wait) => {
                if let Some(wait) = &mut self.wait {
                    wait.handle_answer(now, answer);
                }
                self.take_wait_outputs();
            }
            None => {}
        }
        self.check_deadline();
    }

    fn poll_timeout(&self) -> Option<Instant> {
        if self.ended {
            return None;
        }
        let own = self.current.as_ref().and_then(|o| o.send.poll_timeout());
        let wait = self.wait.as_ref().and_then(|w| w.poll_timeout());
        [own, wait, self.deadline].into_iter().flatten().min()
    }

    fn handle_timeout(&mut self, now: Instant) {
        if self.ended {
            return;
        }
        self.now = self.now.max(now);
        if self.check_deadline() {
            return;
        }
        if let Some(own) = &mut self.current {
            own.send.handle_timeout(now);
        }
        if let Some(wait) = &mut self.wait {
            wait.handle_timeout(now);
        }
        self.take_wait_outputs();
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.out.pop_front()
    }
}

impl Cancel for WaitActionsOnObjects {
    fn handle_cancel(&mut self) {
        WaitActionsOnObjects::handle_cancel(self);
    }
}

fn not_a_resource() -> RequestError {
    RequestError::InvalidArgument {
        what: "target",
        reason: "the account is not a resource: give droplets, images or floating IPs".into(),
    }
}

fn fetch_request(config: &Config, target: &ActionTarget) -> Result<Request<Vec<u8>>, RequestError> {
    match *target {
        ActionTarget::Droplet(id) => config.request(&GetDroplet { id }),
        ActionTarget::Image(id) => config.request(&GetImage { id }),
        ActionTarget::FloatingIp(ip) => config.request(&GetFloatingIp { ip }),
        ActionTarget::Account => Err(not_a_resource()),
    }
}

fn parse_resource(target: &ActionTarget, resp: &Response<Vec<u8>>) -> Result<Resource, Error> {
    Ok(match *target {
        ActionTarget::Droplet(id) => {
            Resource::Droplet(Box::new(GetDroplet { id }.parse(resp)?.value))
        }
        ActionTarget::Image(id) => Resource::Image(Box::new(GetImage { id }.parse(resp)?.value)),
        ActionTarget::FloatingIp(ip) => {
            Resource::FloatingIp(Box::new(GetFloatingIp { ip }.parse(resp)?.value))
        }
        ActionTarget::Account => return Err(not_a_resource().into()),
    })
}
