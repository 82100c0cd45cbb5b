//! [`WaitActionsOnObjects`]: the most recent action of many resources
//! awaited, then each one's final state.

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

use http::{Request, Response};

#[cfg(feature = "block_storage")]
use crate::api::block_storage::VolumesGet;
#[cfg(feature = "reserved_ips")]
use crate::api::reserved_ips::ReservedIpsGet;
use crate::config::Config;
use crate::endpoint::Endpoint;
use crate::endpoints::{GetDroplet, GetFloatingIp, GetImage, LastAction};
use crate::error::{Error, RequestError};
use crate::machine::request::RetriedRequest;
use crate::machine::{Answer, Machine};
use crate::models::Action;
use crate::target::ActionTarget;
use crate::wait::core::{add_clamped, EndsEarly, WaitCore};
use crate::wait::state::{Resource, Target, TargetState, WaitStates};
use crate::wait::targets::WaitActions;

/// Many resources' most recent actions awaited, then each resource's final
/// state, in completion order (doapi's `wait_actions_on_objects`), as a
/// [`Machine`] yielding one [`TargetState`] per resource: its action, and
/// the resource fetched after it (`None` if it no longer existed: the
/// action deleted it).
///
/// It reads each resource's most recent action ([`LastAction`]), one
/// request per resource. A resource without actions, or whose action is
/// already done, is fetched at once. The actions still in progress are then
/// awaited together by one [`WaitActions`], so they are polled as cheaply as
/// that wait polls (one listing of the newest actions per round when that
/// costs fewer requests than a GET per action); as each one finishes, its
/// resource is fetched. Results come out in completion order.
///
/// ```text
///   LastAction of each ──▶ none, or done ──────────────▶ fetch ─▶ output
///          │ in progress                                   ▲
///          ▼ (once every LastAction is read)               │
///   one WaitActions on all of them ── each as it ends ─────┘
/// ```
///
/// What it costs: one `LastAction` per resource, the polls of the actions,
/// and one GET per resource. doapi makes the same `LastAction`s and GETs,
/// but polls each pending action with a GET of its own every round, the
/// first round at once although the actions were just read.
///
/// Its own requests (the `LastAction`s and the fetches) go out before the
/// polls. An `errored` action ends the wait with [`Error::ActionFailed`];
/// when the configuration's `wait_time` runs out it ends with
/// [`Error::WaitTimeout`], and [`Cancel::handle_cancel`](crate::machine::Cancel::handle_cancel) ends
/// it with [`Error::Cancelled`]. Both carry every resource's
/// [`TargetState`].
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
    core: WaitCore<TargetState>,
    objects: Vec<Object>,
    /// How many objects' last actions are not read yet.
    unread: usize,
    /// Requests of this machine's own, in the order they go out.
    due: VecDeque<OwnRequest>,
    /// The one of them being made.
    current: Option<OwnRequest>,
    /// Whose request is outstanding.
    in_flight: Option<InFlight>,
    /// The actions in progress, once every last action is read.
    polls: Option<Box<WaitActions>>,
    /// Indices of the finished objects, in completion order.
    finished: Vec<usize>,
}

/// One resource and how far the wait has got with it.
#[derive(Debug)]
struct Object {
    target: ActionTarget,
    state: TargetState,
    progress: Progress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Progress {
    /// Its last action is not read yet.
    Unread,
    /// Its action is in progress.
    Waiting,
    /// Its fetch is due or under way.
    Fetching,
    Done,
}

/// A request of the machine's own, about one object.
#[derive(Debug)]
struct OwnRequest {
    object: usize,
    asks: Asks,
    send: RetriedRequest,
}

/// What an own request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asks {
    LastAction,
    Resource,
}

/// Whose request is outstanding: the machine's own, or the polls'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InFlight {
    Own,
    Poll,
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
            core: WaitCore::new(config, now),
            objects: Vec::new(),
            unread: 0,
            due: VecDeque::new(),
            current: None,
            in_flight: None,
            polls: None,
            finished: Vec::new(),
        };
        for target in targets {
            if wait.objects.iter().any(|o| o.target == target) {
                continue;
            }
            if target == ActionTarget::Account {
                wait.core.end_with(not_a_resource().into());
                continue;
            }
            let last = config.request(&LastAction {
                target: target.clone(),
            });
            wait.objects.push(Object {
                state: TargetState::unseen(Target::of(&target)),
                target,
                progress: Progress::Unread,
            });
            wait.queue(wait.objects.len() - 1, Asks::LastAction, last, false);
        }
        wait.unread = wait.objects.len();
        if wait.objects.is_empty() {
            wait.core.finish();
        }
        wait.check_deadline();
        wait
    }

    /// The finished resources and the pending ones, each with its action as
    /// last polled.
    pub fn states(&self) -> WaitStates {
        let polled: HashMap<u64, Action> = self
            .polls
            .iter()
            .flat_map(|w| w.states().pending)
            .filter_map(|s| s.action)
            .map(|a| (a.id, a))
            .collect();
        let state = |o: &Object| {
            let mut s = o.state.clone();
            if let Some(a) = s.action.as_ref().and_then(|a| polled.get(&a.id)) {
                s.action = Some(a.clone());
            }
            s
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
                .filter(|o| o.progress != Progress::Done)
                .map(state)
                .collect(),
        }
    }

    /// Queues a request of this machine's own: next if `first`, else last.
    fn queue(
        &mut self,
        object: usize,
        asks: Asks,
        request: Result<Request<Vec<u8>>, RequestError>,
        first: bool,
    ) {
        let Some(send) = self.core.retried(request) else {
            return;
        };
        let own = OwnRequest { object, asks, send };
        if first {
            self.due.push_front(own);
        } else {
            self.due.push_back(own);
        }
    }

    fn fetch(&mut self, i: usize, first: bool) {
        self.objects[i].progress = Progress::Fetching;
        let req = fetch_request(&self.core.config, &self.objects[i].target);
        self.queue(i, Asks::Resource, req, first);
    }

    fn on_last_action(&mut self, i: usize, answer: Result<Response<Vec<u8>>, Error>) {
        let last = LastAction {
            target: self.objects[i].target.clone(),
        };
        let action = match answer.and_then(|resp| last.parse(&resp)) {
            Ok(reply) => reply.value,
            Err(e) => return self.core.end_with(e),
        };
        self.unread -= 1;
        self.objects[i].state.action = action.clone();
        match action {
            Some(a) if a.is_errored() => {
                return self.core.end_with(Error::ActionFailed(Box::new(a)))
            }
            Some(a) if !a.is_done() => self.objects[i].progress = Progress::Waiting,
            // Nothing to wait for: the resource next, as doapi does.
            _ => self.fetch(i, true),
        }
        if self.unread == 0 {
            self.start_polls();
        }
    }

    /// Waits on the actions in progress; their states were just read, so
    /// the first poll is one interval later.
    fn start_polls(&mut self) {
        let actions: Vec<Action> = self
            .objects
            .iter()
            .filter(|o| o.progress == Progress::Waiting)
            .filter_map(|o| o.state.action.clone())
            .collect();
        if actions.is_empty() {
            return;
        }
        let now = self.core.now;
        let polls = WaitActions::actions(&self.core.config, actions, now)
            .with_deadline(None)
            .first_round_at(add_clamped(now, self.core.interval()));
        self.polls = Some(Box::new(polls));
    }

    /// Queues the fetch of each resource whose action the polls saw end.
    fn take_poll_outputs(&mut self) {
        let Some(polls) = &mut self.polls else {
            return;
        };
        let mut ended = Vec::new();
        let mut error = None;
        while let Some(out) = polls.poll_output() {
            match out {
                Ok(action) => ended.push(action),
                Err(e) => error = error.or(Some(e)),
            }
        }
        for action in ended {
            for i in 0..self.objects.len() {
                let o = &mut self.objects[i];
                if o.progress == Progress::Waiting
                    && o.state.action.as_ref().map(|a| a.id) == Some(action.id)
                {
                    o.state.action = Some(action.clone());
                    self.fetch(i, false);
                }
            }
        }
        if let Some(e) = error {
            self.core.end_with(e);
        }
    }

    fn on_fetch(&mut self, i: usize, answer: Result<Response<Vec<u8>>, Error>) {
        let target = &self.objects[i].target;
        let resource = match answer.and_then(|resp| parse_resource(target, &resp)) {
            Ok(resource) => Some(resource),
            Err(e) if e.is_not_found() => None,
            Err(e) => return self.core.end_with(e),
        };
        let object = &mut self.objects[i];
        object.state.resource = resource;
        object.progress = Progress::Done;
        self.core.output(object.state.clone());
        self.finished.push(i);
        if self.finished.len() == self.objects.len() {
            self.core.finish();
        }
    }
}

impl Machine for WaitActionsOnObjects {
    type Output = TargetState;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        if self.core.is_ended() || self.in_flight.is_some() {
            return None;
        }
        if self.current.is_none() {
            self.current = self.due.pop_front();
        }
        // While a request of its own is under way (or backing off), the
        // polls hold off.
        let (req, flight) = match &mut self.current {
            Some(own) => (own.send.poll_request(), InFlight::Own),
            None => (self.polls.as_mut()?.poll_request(), InFlight::Poll),
        };
        if req.is_some() {
            self.in_flight = Some(flight);
        }
        req
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        if !self.core.tick(now) {
            return;
        }
        match self.in_flight.take() {
            Some(InFlight::Own) => {
                if let Some(own) = &mut self.current {
                    if let Some(result) = own.send.handle(now, answer) {
                        let (i, asks) = (own.object, own.asks);
                        self.current = None;
                        match asks {
                            Asks::LastAction => self.on_last_action(i, result),
                            Asks::Resource => self.on_fetch(i, result),
                        }
                    }
                }
            }
            Some(InFlight::Poll) => {
                if let Some(polls) = &mut self.polls {
                    polls.handle_answer(now, answer);
                }
                self.take_poll_outputs();
            }
            None => {}
        }
        self.check_deadline();
    }

    fn poll_timeout(&self) -> Option<Instant> {
        let own = self.current.as_ref().and_then(|o| o.send.poll_timeout());
        let polls = self.polls.as_ref().and_then(|w| w.poll_timeout());
        self.core.timeout([own, polls].into_iter().flatten().min())
    }

    fn handle_timeout(&mut self, now: Instant) {
        if !self.core.tick(now) || self.check_deadline() {
            return;
        }
        if let Some(own) = &mut self.current {
            own.send.handle_timeout(now);
        }
        if let Some(polls) = &mut self.polls {
            polls.handle_timeout(now);
        }
        self.take_poll_outputs();
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.core.poll_output()
    }
}

impl EndsEarly for WaitActionsOnObjects {
    type Yields = TargetState;

    fn core(&mut self) -> &mut WaitCore<TargetState> {
        &mut self.core
    }

    fn states(&self) -> WaitStates {
        WaitActionsOnObjects::states(self)
    }
}

fn not_a_resource() -> RequestError {
    RequestError::InvalidArgument {
        what: "target",
        reason: "the account is not a resource: give droplets, images, floating or reserved IPs, or volumes"
            .into(),
    }
}

/// Why a target cannot be fetched: the account is no resource, or the
/// operations of its kind are behind a feature this build leaves out.
fn unsupported(target: &ActionTarget) -> RequestError {
    let feature = match target {
        ActionTarget::ReservedIp(_) => "reserved_ips",
        ActionTarget::Volume(_) => "block_storage",
        _ => return not_a_resource(),
    };
    RequestError::InvalidArgument {
        what: "target",
        reason: format!("this build of doapi-core leaves out the `{feature}` feature"),
    }
}

fn fetch_request(config: &Config, target: &ActionTarget) -> Result<Request<Vec<u8>>, RequestError> {
    match target {
        ActionTarget::Droplet(id) => config.request(&GetDroplet { id: *id }),
        ActionTarget::Image(id) => config.request(&GetImage { id: *id }),
        ActionTarget::FloatingIp(ip) => config.request(&GetFloatingIp { ip: *ip }),
        #[cfg(feature = "reserved_ips")]
        ActionTarget::ReservedIp(ip) => config.request(&ReservedIpsGet { reserved_ip: *ip }),
        #[cfg(feature = "block_storage")]
        ActionTarget::Volume(id) => config.request(&VolumesGet {
            volume_id: id.clone(),
        }),
        other => Err(unsupported(other)),
    }
}

fn parse_resource(target: &ActionTarget, resp: &Response<Vec<u8>>) -> Result<Resource, Error> {
    Ok(match target {
        ActionTarget::Droplet(id) => {
            Resource::Droplet(Box::new(GetDroplet { id: *id }.parse(resp)?.value))
        }
        ActionTarget::Image(id) => {
            Resource::Image(Box::new(GetImage { id: *id }.parse(resp)?.value))
        }
        ActionTarget::FloatingIp(ip) => {
            Resource::FloatingIp(Box::new(GetFloatingIp { ip: *ip }.parse(resp)?.value))
        }
        #[cfg(feature = "reserved_ips")]
        ActionTarget::ReservedIp(ip) => {
            let get = ReservedIpsGet { reserved_ip: *ip };
            Resource::ReservedIp(Box::new(get.parse(resp)?.value))
        }
        #[cfg(feature = "block_storage")]
        ActionTarget::Volume(id) => {
            let get = VolumesGet {
                volume_id: id.clone(),
            };
            Resource::Volume(Box::new(get.parse(resp)?.value))
        }
        other => return Err(unsupported(other).into()),
    })
}
