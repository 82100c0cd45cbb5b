//! [`WaitLoadBalancer`]: a load balancer polled until it is `active`.

use std::time::Instant;

use http::{Request, Response};

use crate::api::load_balancers::{LoadBalancer, LoadBalancerStatus, LoadBalancersGet};
use crate::config::Config;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::machine::request::RetriedRequest;
use crate::machine::{Answer, Machine};
use crate::wait::core::{add_clamped, EndsEarly, WaitCore};
use crate::wait::state::{Resource, Target, TargetState, WaitStates};
use crate::wait::targets::DEFAULT_NOT_FOUND_GRACE;

/// A load balancer polled until DigitalOcean reports it `active` (a new
/// one is `new` for a minute or so), as a [`Machine`] with one output: the
/// load balancer, active.
///
/// Each round is `GET /v2/load_balancers/{id}`, every
/// [`Config::wait_interval`], the first at once. `errored` ends the wait
/// with [`Error::ResourceFailed`]; a `404` is tolerated for
/// [`DEFAULT_NOT_FOUND_GRACE`] from the start (a load balancer may not be
/// visible right after its create); the configuration's `wait_time` bounds
/// the wait ([`Error::WaitTimeout`]), and a cancel ends it
/// ([`Error::Cancelled`]), both with the load balancer as last seen.
///
/// ```
/// use std::time::Instant;
/// use doapi_core::{Config, Machine, Token, wait::WaitLoadBalancer};
///
/// let config = Config::new(Token::new("my-token")?);
/// let mut wait = WaitLoadBalancer::new(&config, "4de7ac8b", Instant::now());
/// let req = wait.poll_request().expect("a poll at once");
/// assert_eq!(req.uri(), "https://api.digitalocean.com/v2/load_balancers/4de7ac8b");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct WaitLoadBalancer {
    core: WaitCore<LoadBalancer>,
    get: LoadBalancersGet,
    /// The load balancer as last polled.
    last: Option<LoadBalancer>,
    phase: Phase,
}

#[derive(Debug)]
enum Phase {
    /// The next poll, at this time.
    Idle(Instant),
    /// A poll under way.
    Polling(Box<RetriedRequest>),
    Ended,
}

impl WaitLoadBalancer {
    /// Waits until load balancer `id` is active.
    pub fn new(config: &Config, id: impl Into<String>, now: Instant) -> Self {
        let mut wait = WaitLoadBalancer {
            core: WaitCore::new(config, now),
            get: LoadBalancersGet { lb_id: id.into() },
            last: None,
            phase: Phase::Idle(now),
        };
        wait.start_poll();
        wait.check_deadline();
        wait
    }

    /// The load balancer as last seen: pending until it is active.
    pub fn states(&self) -> WaitStates {
        let state = TargetState {
            resource: self
                .last
                .as_ref()
                .and_then(|lb| serde_json::to_value(lb).ok())
                .map(|v| Resource::Json(Box::new(v))),
            ..TargetState::unseen(Target::LoadBalancer(self.get.lb_id.clone()))
        };
        WaitStates {
            finished: Vec::new(),
            pending: vec![state],
        }
    }

    fn start_poll(&mut self) {
        let request = self.core.config.request(&self.get);
        self.phase = match self.core.retried(request) {
            Some(send) => Phase::Polling(Box::new(send)),
            None => Phase::Ended,
        };
    }

    fn next_round(&mut self) {
        self.phase = Phase::Idle(add_clamped(self.core.now, self.core.interval()));
    }

    fn on_poll(&mut self, answer: Result<Response<Vec<u8>>, Error>) {
        match answer.and_then(|resp| self.get.parse(&resp)) {
            Ok(reply) => {
                let lb = reply.value;
                match &lb.status {
                    Some(LoadBalancerStatus::Active) => {
                        self.phase = Phase::Ended;
                        self.core.output(lb);
                        self.core.finish();
                    }
                    Some(LoadBalancerStatus::Errored) => {
                        self.last = Some(lb);
                        let state = self.states().pending.remove(0);
                        self.core.end_with(Error::ResourceFailed(Box::new(state)));
                        self.phase = Phase::Ended;
                    }
                    _ => {
                        self.last = Some(lb);
                        self.next_round();
                    }
                }
            }
            Err(e)
                if e.is_not_found()
                    && self.core.now < add_clamped(self.core.start, DEFAULT_NOT_FOUND_GRACE) =>
            {
                self.next_round()
            }
            Err(e) => {
                self.core.end_with(e);
                self.phase = Phase::Ended;
            }
        }
    }
}

impl Machine for WaitLoadBalancer {
    type Output = LoadBalancer;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        match &mut self.phase {
            Phase::Polling(send) => send.poll_request(),
            _ => None,
        }
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        if !self.core.tick(now) {
            return;
        }
        if let Phase::Polling(send) = &mut self.phase {
            if let Some(result) = send.handle(now, answer) {
                self.on_poll(result);
            }
        }
        self.check_deadline();
    }

    fn poll_timeout(&self) -> Option<Instant> {
        let next = match &self.phase {
            Phase::Idle(at) => Some(*at),
            Phase::Polling(send) => send.poll_timeout(),
            Phase::Ended => return None,
        };
        self.core.timeout(next)
    }

    fn handle_timeout(&mut self, now: Instant) {
        if !self.core.tick(now) || self.check_deadline() {
            return;
        }
        match &mut self.phase {
            Phase::Idle(at) if now >= *at => self.start_poll(),
            Phase::Polling(send) => send.handle_timeout(now),
            _ => {}
        }
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.core.poll_output()
    }
}

impl EndsEarly for WaitLoadBalancer {
    type Yields = LoadBalancer;

    fn core(&mut self) -> &mut WaitCore<LoadBalancer> {
        &mut self.core
    }

    fn states(&self) -> WaitStates {
        WaitLoadBalancer::states(self)
    }

    fn stop(&mut self) {
        self.phase = Phase::Ended;
    }
}
