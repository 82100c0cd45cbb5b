//! [`WaitForAction`]: a resource's most recent action awaited, then the
//! resource (doapi's `wait_for_action`).

use std::net::IpAddr;
use std::time::Instant;

use http::{Request, Response};

#[cfg(feature = "block_storage")]
use crate::api::block_storage::VolumesGet;
#[cfg(feature = "reserved_ips")]
use crate::api::reserved_ips::ReservedIpsGet;
use crate::config::Config;
use crate::endpoint::Endpoint;
use crate::endpoints::{GetDroplet, GetFloatingIp, GetImage, LastAction};
use crate::error::Error;
use crate::machine::request::RetriedRequest;
use crate::machine::{Answer, Machine};
use crate::models::Action;
use crate::target::ActionTarget;
use crate::wait::core::{add_clamped, EndsEarly, WaitCore};
use crate::wait::state::{Target, TargetState, WaitStates};
use crate::wait::targets::WaitActions;

/// A resource's most recent action awaited, then the resource's final state
/// (doapi's `wait_for_action`), as a [`Machine`] with one output:
/// `Some(resource)`, or `None` if the resource no longer exists (`404`) once
/// the action is done.
///
/// It fetches the most recent action ([`LastAction`]); if it is still in
/// progress, polls it as a [`WaitActions`] would (the first poll one interval
/// later, since its state was just read); then fetches the resource with
/// `fetch`. A resource without actions is fetched at once. An `errored`
/// action ends with [`Error::ActionFailed`]; the configuration's `wait_time`
/// bounds the whole wait.
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
    core: WaitCore<Option<E::Output>>,
    target: ActionTarget,
    fetch: E,
    /// The action, once known.
    action: Option<Action>,
    phase: Phase,
}

#[derive(Debug)]
enum Phase {
    /// Fetching the most recent action.
    LastAction(RetriedRequest),
    /// Polling it until done.
    Polling(Box<WaitActions>),
    /// Fetching the resource.
    Fetching(RetriedRequest),
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
        let target = ActionTarget::FloatingIp(ip);
        WaitForAction::new(config, target, GetFloatingIp { ip }, now)
    }
}

#[cfg(feature = "reserved_ips")]
impl WaitForAction<ReservedIpsGet> {
    /// Waits for a reserved IP's most recent action, then fetches it.
    pub fn reserved_ip(config: &Config, ip: IpAddr, now: Instant) -> Self {
        let target = ActionTarget::ReservedIp(ip);
        WaitForAction::new(config, target, ReservedIpsGet { reserved_ip: ip }, now)
    }
}

#[cfg(feature = "block_storage")]
impl WaitForAction<VolumesGet> {
    /// Waits for a volume's most recent action (an attach, a detach, a
    /// resize), then fetches the volume. A volume's actions do not name it
    /// (their `resource_id` is `null`), so the action is polled by its id.
    pub fn volume(config: &Config, id: impl Into<String>, now: Instant) -> Self {
        let id = id.into();
        let target = ActionTarget::Volume(id.clone());
        WaitForAction::new(config, target, VolumesGet { volume_id: id }, now)
    }
}

impl<E: Endpoint> WaitForAction<E> {
    /// Waits for `target`'s most recent action, then answers `fetch`
    /// (which should fetch the same resource).
    pub fn new(config: &Config, target: ActionTarget, fetch: E, now: Instant) -> Self {
        let mut core = WaitCore::new(config, now);
        let last = LastAction {
            target: target.clone(),
        };
        let phase = match core.retried(config.request(&last)) {
            Some(send) => Phase::LastAction(send),
            None => Phase::Ended,
        };
        let mut wait = WaitForAction {
            core,
            target,
            fetch,
            action: None,
            phase,
        };
        wait.check_deadline();
        wait
    }

    /// The resource, with its action as last seen: finished once the action
    /// is done, pending before.
    pub fn states(&self) -> WaitStates {
        let polled = match &self.phase {
            Phase::Polling(wait) => wait.states().pending.into_iter().find_map(|s| s.action),
            _ => None,
        };
        let state = TargetState {
            action: polled.or_else(|| self.action.clone()),
            ..TargetState::unseen(Target::of(&self.target))
        };
        if matches!(self.phase, Phase::Fetching(_)) {
            WaitStates {
                finished: vec![state],
                pending: Vec::new(),
            }
        } else {
            WaitStates {
                finished: Vec::new(),
                pending: vec![state],
            }
        }
    }

    fn end_with(&mut self, error: Error) {
        self.core.end_with(error);
        self.phase = Phase::Ended;
    }

    fn start_fetch(&mut self) {
        let request = self.core.config.request(&self.fetch);
        self.phase = match self.core.retried(request) {
            Some(send) => Phase::Fetching(send),
            None => Phase::Ended,
        };
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
            Some(a) if !a.is_done() => {
                let first_poll = add_clamped(now, self.core.interval());
                let wait = WaitActions::actions(&self.core.config, [a], now)
                    .with_deadline(self.core.deadline)
                    .first_round_at(first_poll);
                self.phase = Phase::Polling(Box::new(wait));
            }
            _ => self.start_fetch(),
        }
    }

    fn on_fetch(&mut self, answer: Result<Response<Vec<u8>>, Error>) {
        self.phase = Phase::Ended;
        match answer.and_then(|resp| self.fetch.parse(&resp)) {
            Ok(reply) => self.core.output(Some(reply.value)),
            Err(e) if e.is_not_found() => self.core.output(None),
            Err(e) => return self.core.end_with(e),
        }
        self.core.finish();
    }

    fn take_wait_output(&mut self) {
        let Phase::Polling(wait) = &mut self.phase else {
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
        match &mut self.phase {
            Phase::LastAction(send) | Phase::Fetching(send) => send.poll_request(),
            Phase::Polling(wait) => wait.poll_request(),
            Phase::Ended => None,
        }
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        if !self.core.tick(now) {
            return;
        }
        match &mut self.phase {
            Phase::LastAction(send) => {
                if let Some(result) = send.handle(now, answer) {
                    self.on_last_action(now, result);
                }
            }
            Phase::Polling(wait) => {
                wait.handle_answer(now, answer);
                self.take_wait_output();
            }
            Phase::Fetching(send) => {
                if let Some(result) = send.handle(now, answer) {
                    self.on_fetch(result);
                }
            }
            Phase::Ended => {}
        }
        self.check_deadline();
    }

    fn poll_timeout(&self) -> Option<Instant> {
        let next = match &self.phase {
            Phase::LastAction(send) | Phase::Fetching(send) => send.poll_timeout(),
            Phase::Polling(wait) => wait.poll_timeout(),
            Phase::Ended => return None,
        };
        self.core.timeout(next)
    }

    fn handle_timeout(&mut self, now: Instant) {
        if !self.core.tick(now) || self.check_deadline() {
            return;
        }
        match &mut self.phase {
            Phase::LastAction(send) | Phase::Fetching(send) => send.handle_timeout(now),
            Phase::Polling(wait) => {
                wait.handle_timeout(now);
                self.take_wait_output();
            }
            Phase::Ended => {}
        }
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.core.poll_output()
    }
}

impl<E: Endpoint> EndsEarly for WaitForAction<E> {
    type Yields = Option<E::Output>;

    fn core(&mut self) -> &mut WaitCore<Option<E::Output>> {
        &mut self.core
    }

    fn states(&self) -> WaitStates {
        WaitForAction::states(self)
    }

    fn stop(&mut self) {
        self.phase = Phase::Ended;
    }
}
