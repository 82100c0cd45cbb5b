//! A client's session: its [`Config`] and what its machines share (what the
//! last responses said), the machines built from them, and the bookkeeping
//! of every exchange, done here once for every driver.
//!
//! A driver's loop is [`Session::next`] and [`Session::answer`]:
//!
//! ```text
//!   let mut machine = session.meter(machine, now);   // its requests draw from the budget
//!   loop {
//!       match session.next(&mut machine, now) {
//!           Next::Return(out) => return out,   // an output, or None: finished
//!           Next::Send(out)   => { let answer = transport.send(out.request) /* in out.pending.span */;
//!                                  session.answer(&mut machine, &out.pending, now, answer) }
//!           Next::Sleep(at)   => { sleep until `at`; machine.handle_timeout(now) }
//!       }
//!   }
//! ```
//!
//! (A machine with several requests outstanding gives them one `Send` after
//! another; a driver may send them all at once.)

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use http::{Request, Response};
use tracing::Span;

use crate::budget::{Budget, Priority};
use crate::call::Call;
use crate::config::Config;
use crate::endpoint::{Endpoint, List};
use crate::endpoints::{GetDroplet, GetFloatingIp, GetImage};
use crate::error::{Error, TransportError};
use crate::machine::{Answer, Attempt, Cancel, Machine, Tag};
use crate::models::{Action, Droplet, Meta};
use crate::paginate::Paginator;
use crate::ratelimit::{LastSeen, RateLimit, ResponseInfo};
use crate::target::ActionTarget;
use crate::wait::hub::Hub;
use crate::wait::{Until, WaitActions, WaitActionsOnObjects, WaitDroplets, WaitForAction};

/// A client's configuration and shared state; builds every machine the
/// client runs. Cheap to clone: clones share the state.
#[derive(Debug, Clone)]
pub struct Session {
    config: Config,
    last: Arc<LastSeen>,
    budget: Arc<Budget>,
    /// The polling shared by the session's waits on droplets, on actions.
    droplets: Arc<Hub<Droplet>>,
    actions: Arc<Hub<Action>>,
}

/// What a driver does next with a machine: see [`Session::next`].
#[derive(Debug)]
pub enum Next<T> {
    /// Return this to the caller: the machine's next output, or `None` once
    /// it has finished.
    Return(Option<Result<T, Error>>),
    /// Send this request, then give its answer to [`Session::answer`].
    Send(Outgoing),
    /// Sleep until then, then call [`Machine::handle_timeout`].
    Sleep(Instant),
}

/// A request to send, and what its answer goes back with.
#[derive(Debug)]
pub struct Outgoing {
    /// The request.
    pub request: Request<Vec<u8>>,
    /// Its span and tag, for [`Session::answer`].
    pub pending: Pending,
}

/// What the answer to a sent request goes back with: see
/// [`Session::answer`].
#[derive(Debug, Clone)]
pub struct Pending {
    /// The `tracing` span the request goes in (fields `method`, `path`,
    /// `attempt`; never a header, so never the token): enter it, or
    /// instrument the sending future with it.
    pub span: Span,
    /// Which of the machine's outstanding requests it is ([`Tag`]).
    pub tag: Option<Tag>,
}

impl From<Config> for Session {
    fn from(config: Config) -> Self {
        Session::new(config)
    }
}

impl Session {
    /// A session with this configuration.
    pub fn new(config: Config) -> Self {
        Session {
            budget: Arc::new(Budget::new(config.allowance)),
            last: Arc::default(),
            droplets: Arc::default(),
            actions: Arc::default(),
            config,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Status, rate limit, request id and date of the last response.
    pub fn last_response(&self) -> Option<ResponseInfo> {
        self.last.response()
    }

    /// The rate limit of the last response (doapi's `last_rate_limit`).
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.last.rate_limit()
    }

    /// The `meta` of the last page fetched (doapi's `last_meta`).
    pub fn last_meta(&self) -> Option<Meta> {
        self.last.meta()
    }

    /// The rate budget every request of the session draws from.
    pub fn budget(&self) -> &Arc<Budget> {
        &self.budget
    }

    /// `machine`, its requests drawing from the session's budget, driven
    /// from `now`: what a client drives.
    pub fn meter<M: Machine>(&self, machine: M, now: Instant) -> Metered<M> {
        Metered::new(machine, self.budget.clone(), now)
    }

    /// One operation.
    pub fn call<E: Endpoint>(&self, op: E) -> Call<E> {
        Call::new(&self.config, op)
    }

    /// The pages of a listing; each page's `meta` becomes the session's
    /// last.
    pub fn pages<L: List>(&self, op: L) -> Paginator<L> {
        Paginator::new(&self.config, op).recording(self.last.clone())
    }

    /// A wait on droplets until each matches `until`, sharing its polling
    /// with the session's other waits on droplets (see
    /// [`wait`](crate::wait#shared-polling)).
    pub fn wait_droplets(
        &self,
        droplets: impl IntoIterator<Item = Droplet>,
        until: Until,
        now: Instant,
    ) -> WaitDroplets {
        WaitDroplets::droplets(&self.config, droplets, until, now).sharing(self.droplets.clone())
    }

    /// A wait on droplets given by id until each matches `until`, sharing
    /// its polling as [`Session::wait_droplets`] does.
    pub fn wait_droplet_ids(
        &self,
        ids: impl IntoIterator<Item = u64>,
        until: Until,
        now: Instant,
    ) -> WaitDroplets {
        WaitDroplets::droplet_ids(&self.config, ids, until, now).sharing(self.droplets.clone())
    }

    /// A wait on actions until each is done, sharing its polling with the
    /// session's other waits on actions.
    pub fn wait_actions(
        &self,
        actions: impl IntoIterator<Item = Action>,
        now: Instant,
    ) -> WaitActions {
        WaitActions::actions(&self.config, actions, now).sharing(self.actions.clone())
    }

    /// A wait for a droplet's most recent action, then the droplet.
    pub fn wait_for_droplet_action(&self, id: u64, now: Instant) -> WaitForAction<GetDroplet> {
        WaitForAction::droplet(&self.config, id, now)
    }

    /// A wait for an image's most recent action, then the image.
    pub fn wait_for_image_action(&self, id: u64, now: Instant) -> WaitForAction<GetImage> {
        WaitForAction::image(&self.config, id, now)
    }

    /// A wait for a floating IP's most recent action, then the floating IP.
    pub fn wait_for_floating_ip_action(
        &self,
        ip: IpAddr,
        now: Instant,
    ) -> WaitForAction<GetFloatingIp> {
        WaitForAction::floating_ip(&self.config, ip, now)
    }

    /// A wait for the most recent action of each resource, then each one.
    pub fn wait_actions_on_objects(
        &self,
        targets: impl IntoIterator<Item = ActionTarget>,
        now: Instant,
    ) -> WaitActionsOnObjects {
        WaitActionsOnObjects::new(&self.config, targets, now)
    }

    /// What to do next with `machine` at `now`: take an output, send a
    /// request (in a span carrying its method, path and attempt), sleep, or
    /// stop. The calling contract of [`Machine`], one step at a time; the
    /// budget counts a request sent at `now`. An error is returned with the
    /// token removed from whatever the server said in it
    /// ([`Error::redact`]).
    pub fn next<M: Machine>(&self, machine: &mut Metered<M>, now: Instant) -> Next<M::Output> {
        machine.now = machine.now.max(now);
        if let Some(out) = machine.poll_output() {
            let secret = self.config.token().expose();
            return Next::Return(Some(out.map_err(|e| e.redact(secret))));
        }
        if let Some(request) = machine.poll_request() {
            let span = tracing::debug_span!(
                "doapi",
                method = %request.method(),
                path = %request.uri().path(),
                attempt = Attempt::of(&request),
            );
            let tag = Tag::of(&request);
            let pending = Pending { span, tag };
            return Next::Send(Outgoing { request, pending });
        }
        match machine.poll_timeout() {
            Some(at) => Next::Sleep(at),
            None => Next::Return(None),
        }
    }

    /// Hands the answer to a request from [`Session::next`] to the machine,
    /// with the request's tag and in its span: a response's status, rate
    /// limit, request id and date become the session's last response, and
    /// its status and request id are logged; a transport error is logged
    /// with its message.
    pub fn answer<M: Machine>(
        &self,
        machine: &mut M,
        pending: &Pending,
        now: Instant,
        answer: Result<Response<Vec<u8>>, TransportError>,
    ) {
        let _entered = pending.span.enter();
        let tag = pending.tag;
        match answer {
            Ok(response) => {
                let info = ResponseInfo::new(response.status(), response.headers());
                tracing::debug!(
                    status = info.status.as_u16(),
                    request_id = info.request_id.as_deref().unwrap_or(""),
                    "response"
                );
                self.last.record_response(info);
                machine.handle_tagged(now, tag, Ok(response));
            }
            Err(e) => {
                tracing::warn!(error = %e, "no response");
                machine.handle_tagged(now, tag, Err(e));
            }
        }
    }
}

/// A machine whose requests draw from a [`Budget`]: each goes out, in the
/// order the machine gave them, once the budget admits it; until then the
/// machine sleeps (its timeout is the time to ask again). What the answers
/// say of the budget is read on the way back.
#[derive(Debug)]
pub struct Metered<M> {
    inner: M,
    budget: Arc<Budget>,
    /// The time of the last input.
    now: Instant,
    /// Requests the machine gave that the budget has not admitted yet, with
    /// when each was given.
    held: VecDeque<(Request<Vec<u8>>, Instant)>,
    /// When to ask the budget again for the first held request.
    ask_at: Option<Instant>,
}

impl<M: Machine> Metered<M> {
    /// `machine`, drawing from `budget`, driven from `now`.
    pub fn new(machine: M, budget: Arc<Budget>, now: Instant) -> Self {
        Metered {
            inner: machine,
            budget,
            now,
            held: VecDeque::new(),
            ask_at: None,
        }
    }

    /// The machine.
    pub fn inner(&self) -> &M {
        &self.inner
    }
}

impl<M: Machine> Machine for Metered<M> {
    type Output = M::Output;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        while let Some(req) = self.inner.poll_request() {
            self.held.push_back((req, self.now));
        }
        let (req, since) = self.held.front()?;
        match self.budget.admit(self.now, Priority::of(req), *since) {
            Ok(()) => {
                self.ask_at = None;
                self.held.pop_front().map(|(req, _)| req)
            }
            Err(at) => {
                self.ask_at = Some(at);
                None
            }
        }
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        self.handle_tagged(now, None, answer);
    }

    fn handle_tagged(&mut self, now: Instant, tag: Option<Tag>, answer: Answer) {
        self.now = self.now.max(now);
        if let Ok(response) = &answer {
            self.budget.observe(now, response);
        }
        self.inner.handle_tagged(now, tag, answer);
    }

    fn poll_timeout(&self) -> Option<Instant> {
        let ask = self.ask_at.filter(|_| !self.held.is_empty());
        [self.inner.poll_timeout(), ask].into_iter().flatten().min()
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.now = self.now.max(now);
        self.inner.handle_timeout(now);
    }

    fn poll_output(&mut self) -> Option<Result<M::Output, Error>> {
        self.inner.poll_output()
    }
}

impl<M: Cancel> Cancel for Metered<M> {
    fn handle_cancel(&mut self) {
        // What was not sent never will be.
        self.held.clear();
        self.inner.handle_cancel();
    }
}
