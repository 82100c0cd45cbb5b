//! # doapi-blocking
//!
//! A blocking DigitalOcean API v2 client for scripts and command-line tools,
//! on [ureq]. It drives the state machines of `doapi-core` (every request
//! under the retry policy, lazy pagination, cheap multi-waits) with real
//! sockets and the real clock; it has no per-endpoint code of its own.
//!
//! ```no_run
//! use doapi_blocking::{Client, Until, models::DropletStatus, endpoints::DropletSpec};
//!
//! let client = Client::from_env()?; // DIGITALOCEAN_TOKEN
//! let spec = DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3");
//! let droplet = client.create_droplet("web-1", spec)?;
//! let droplet = client.wait_droplet(droplet.id, Until::Status(DropletStatus::Active))?;
//! println!("{} is up at {:?}", droplet.name, droplet.ip_address());
//! client.reboot(droplet.id)?;
//! let droplet = client.wait_for_droplet_action(droplet.id)?;
//! for d in client.fetch_all_droplets() {
//!     println!("{}", d?.name);
//! }
//! # Ok::<(), doapi_blocking::Error>(())
//! ```
//!
//! Tests run the same client without sockets or sleeping through an
//! [`OfflineTransport`] (feature `testing`): the in-process simulator, or a
//! cassette recorded by a [`Recorder`].
//!
//! [ureq]: https://docs.rs/ureq
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

use std::fmt;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use doapi_core::endpoints::{Endpoint, List};
use doapi_core::models::{Action, Droplet, FloatingIp, Image, Meta};
use doapi_core::{Attempt, Call, LastSeen, Machine, Paginator};

pub use doapi_core::{
    endpoints, models, ApiError, Cancel, Config, ConfigBuilder, DecodeError, Error, Limits, Page,
    RateLimit, Reply, RequestError, ResponseInfo, RetryPolicy, TargetState, TransportError,
    TransportErrorKind, Until, Wait, WaitForAction, WaitStates,
};
pub use doapi_core::{ObjectState, Resource, WaitActionsOnObjects};

#[cfg(feature = "testing")]
mod offline;
mod transport;

#[cfg(feature = "testing")]
pub use offline::{OfflineTransport, Recorder};
pub use transport::{Transport, UreqTransport};

/// A flag that cancels a wait when set: wire Ctrl-C to it. The wait then
/// ends with [`Error::Cancelled`] carrying the current states, as doapi did
/// on `KeyboardInterrupt`.
pub type CancelFlag = Arc<AtomicBool>;

/// The blocking client. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    retry: RetryPolicy,
    transport: Box<dyn Transport>,
    last: LastSeen,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.config.endpoint())
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]: endpoint, timeouts, page size, wait defaults, user
/// agent, retry policy, transport.
pub struct ClientBuilder {
    config: ConfigBuilder,
    limits: Limits,
    retry: RetryPolicy,
    transport: Option<Box<dyn Transport>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    doapi_core::forward_config_setters!(config);

    /// Connect and read timeouts and the response size cap of the real
    /// transport.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The retry policy of every request (default: 429, 5xx but 501 and
    /// transport errors, 5 attempts, 120 s deadline; never a POST that may
    /// have been received).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Another transport, such as an
    /// [`OfflineTransport`](crate::OfflineTransport) in tests.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Box::new(transport));
        self
    }

    /// The client; fails on an empty token or a refused endpoint.
    pub fn build(self) -> Result<Client, Error> {
        let config = self.config.build()?;
        let transport = match self.transport {
            Some(t) => t,
            None => Box::new(UreqTransport::new(self.limits)),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                retry: self.retry,
                transport,
                last: LastSeen::default(),
            }),
        })
    }
}

impl Client {
    /// A client for the public API with this token and every default.
    pub fn new(token: &str) -> Result<Client, Error> {
        Client::builder(token).build()
    }

    /// A client configured from the environment: the token from
    /// `DIGITALOCEAN_TOKEN` or `DIGITALOCEAN_ACCESS_TOKEN`, the endpoint
    /// from `DIGITALOCEAN_API_URL` if set.
    pub fn from_env() -> Result<Client, Error> {
        let config = ConfigBuilder::from_vars(|k| std::env::var(k).ok())?;
        Client::with_config(config).build()
    }

    /// A builder starting from this token.
    pub fn builder(token: &str) -> ClientBuilder {
        Client::with_config(ConfigBuilder::new(token))
    }

    /// A builder starting from these settings.
    pub fn with_config(config: ConfigBuilder) -> ClientBuilder {
        ClientBuilder {
            config,
            limits: Limits::default(),
            retry: RetryPolicy::default(),
            transport: None,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The retry policy of every request, to build machines for
    /// [`Client::wait_iter`] with.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The current time of the transport's clock (virtual for an offline
    /// transport), to build machines for [`Client::wait_iter`] with.
    pub fn now(&self) -> std::time::Instant {
        self.inner.transport.now()
    }

    /// The rate limit of the last response (doapi's `last_rate_limit`).
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.inner.last.rate_limit()
    }

    /// Status, rate limit, request id and date of the last response.
    pub fn last_response(&self) -> Option<ResponseInfo> {
        self.inner.last.response()
    }

    /// The `meta` of the last page fetched (doapi's `last_meta`).
    pub fn last_meta(&self) -> Option<Meta> {
        self.inner.last.meta()
    }

    /// Performs any operation, with retries; the decoded answer.
    pub fn call<E: Endpoint>(&self, op: E) -> Result<E::Output, Error> {
        self.call_reply(op).map(|r| r.value)
    }

    /// Performs any operation; the answer with its status, rate limit and
    /// request id.
    pub fn call_reply<E: Endpoint>(&self, op: E) -> Result<Reply<E::Output>, Error> {
        let mut call = Call::new(&self.inner.config, op).with_retry(self.inner.retry.clone());
        self.drive(&mut call, None, |_| {})
            .unwrap_or_else(|| Err(finished_without_output()))
    }

    /// Every item of a listing, fetched a page at a time as the iterator is
    /// consumed.
    pub fn list<L: List>(&self, op: L) -> Items<L> {
        Items {
            pages: self.pages(op),
            current: Vec::new().into_iter(),
        }
    }

    /// Every page of a listing, fetched as the iterator is consumed.
    pub fn pages<L: List>(&self, op: L) -> Pages<L> {
        Pages {
            client: self.clone(),
            machine: Paginator::new(&self.inner.config, op).with_retry(self.inner.retry.clone()),
            done: false,
        }
    }

    /// Waits on droplets until each matches `until`, yielding each as it
    /// does (doapi `wait_droplets`). Listing by a tag every droplet carries
    /// replaces one GET per droplet when cheaper.
    pub fn wait_droplets(
        &self,
        droplets: impl IntoIterator<Item = Droplet>,
        until: Until,
    ) -> WaitIter<Wait<Droplet>> {
        let now = self.inner.transport.now();
        self.wait_iter(
            Wait::droplets(&self.inner.config, droplets, until, now)
                .with_retry(self.inner.retry.clone()),
        )
    }

    /// Waits on droplets given by id; see [`Client::wait_droplets`].
    pub fn wait_droplet_ids(
        &self,
        ids: impl IntoIterator<Item = u64>,
        until: Until,
    ) -> WaitIter<Wait<Droplet>> {
        let now = self.inner.transport.now();
        self.wait_iter(
            Wait::droplet_ids(&self.inner.config, ids, until, now)
                .with_retry(self.inner.retry.clone()),
        )
    }

    /// Waits on actions until each is done, yielding each as it ends (doapi
    /// `wait_actions`). An `errored` action ends the wait with
    /// [`Error::ActionFailed`].
    pub fn wait_actions(
        &self,
        actions: impl IntoIterator<Item = Action>,
    ) -> WaitIter<Wait<Action>> {
        let now = self.inner.transport.now();
        self.wait_iter(
            Wait::actions(&self.inner.config, actions, now).with_retry(self.inner.retry.clone()),
        )
    }

    /// Waits until one droplet matches `until` (doapi `Droplet.wait`).
    pub fn wait_droplet(&self, id: u64, until: Until) -> Result<Droplet, Error> {
        single(self.wait_droplet_ids([id], until))
    }

    /// Waits until one action is done (doapi `Action.wait`).
    pub fn wait_action(&self, action: Action) -> Result<Action, Error> {
        single(self.wait_actions([action]))
    }

    /// Waits for a droplet's most recent action, then returns the droplet,
    /// or `None` if it was deleted (doapi `Droplet.wait_for_action`).
    pub fn wait_for_droplet_action(&self, id: u64) -> Result<Option<Droplet>, Error> {
        let now = self.inner.transport.now();
        self.wait_for_action(WaitForAction::droplet(&self.inner.config, id, now))
    }

    /// Waits for an image's most recent action, then returns the image.
    pub fn wait_for_image_action(&self, id: u64) -> Result<Option<Image>, Error> {
        let now = self.inner.transport.now();
        self.wait_for_action(WaitForAction::image(&self.inner.config, id, now))
    }

    /// Waits for a floating IP's most recent action, then returns it.
    pub fn wait_for_floating_ip_action(&self, ip: IpAddr) -> Result<Option<FloatingIp>, Error> {
        let now = self.inner.transport.now();
        self.wait_for_action(WaitForAction::floating_ip(&self.inner.config, ip, now))
    }

    /// Runs any [`WaitForAction`]; the resource after its action, or `None`.
    pub fn wait_for_action<E: Endpoint>(
        &self,
        wait: WaitForAction<E>,
    ) -> Result<Option<E::Output>, Error> {
        single(self.wait_iter(wait.with_retry(self.inner.retry.clone())))
    }

    /// Waits for the most recent action of each resource, yielding each
    /// resource's final state as its action ends, in completion order;
    /// `resource` is `None` if the action deleted it (doapi
    /// `wait_actions_on_objects`). The actions are polled together.
    pub fn wait_actions_on_objects(
        &self,
        targets: impl IntoIterator<Item = endpoints::ActionTarget>,
    ) -> WaitIter<WaitActionsOnObjects> {
        let wait = WaitActionsOnObjects::new(&self.inner.config, targets, self.now());
        self.wait_iter(wait.with_retry(self.inner.retry.clone()))
    }

    /// Drives any wait machine (built with this client's
    /// [`Client::config`]) as an iterator.
    pub fn wait_iter<M: Cancel>(&self, machine: M) -> WaitIter<M> {
        WaitIter {
            client: self.clone(),
            machine,
            cancel: None,
            done: false,
        }
    }

    /// Drives a machine to its next output. If `cancel` is set before or
    /// while the machine sleeps, `on_cancel` is applied once and driving
    /// goes on, so the machine can report its states.
    fn drive<M: Machine>(
        &self,
        m: &mut M,
        cancel: Option<&AtomicBool>,
        on_cancel: impl Fn(&mut M),
    ) -> Option<Result<M::Output, Error>> {
        let t = &self.inner.transport;
        let mut cancel = cancel;
        loop {
            if let Some(out) = m.poll_output() {
                return Some(out);
            }
            if let Some(req) = m.poll_request() {
                let attempt = Attempt::of(&req);
                let span = tracing::debug_span!("doapi", method = %req.method(), path = %req.uri().path(), attempt);
                let _entered = span.enter();
                match t.send(req) {
                    Ok(resp) => {
                        let info = ResponseInfo::new(resp.status(), resp.headers());
                        tracing::debug!(
                            status = info.status.as_u16(),
                            request_id = info.request_id.as_deref().unwrap_or(""),
                            "response"
                        );
                        self.inner.last.record_response(info);
                        m.handle_response(t.now(), resp);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "no response");
                        m.handle_transport_error(t.now(), e.kind);
                    }
                }
                continue;
            }
            let at = m.poll_timeout()?;
            let cancelled = || cancel.is_some_and(|flag| flag.load(Ordering::Relaxed));
            if cancelled() || !t.sleep_until(at, &cancelled) {
                on_cancel(m);
                cancel = None;
                continue;
            }
            m.handle_timeout(t.now());
        }
    }
}

fn finished_without_output() -> Error {
    Error::Request(RequestError::InvalidArgument {
        what: "machine",
        reason: "finished without an output".into(),
    })
}

fn single<T, M: Cancel<Output = T>>(mut it: WaitIter<M>) -> Result<T, Error> {
    it.next().unwrap_or_else(|| Err(finished_without_output()))
}

/// The pages of a listing; see [`Client::pages`].
pub struct Pages<L: List> {
    client: Client,
    machine: Paginator<L>,
    done: bool,
}

impl<L: List> Pages<L> {
    /// `meta.total` of the listing, once the first page is in.
    pub fn total(&self) -> Option<u64> {
        self.machine.total()
    }
}

impl<L: List> Iterator for Pages<L> {
    type Item = Result<Reply<Page<L::Item>>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let out = self.client.drive(&mut self.machine, None, |_| {});
        match &out {
            Some(Ok(reply)) => self.client.inner.last.record_meta(reply.value.meta.clone()),
            Some(Err(_)) | None => self.done = true,
        }
        out
    }
}

/// The items of a listing; see [`Client::list`].
pub struct Items<L: List> {
    pages: Pages<L>,
    current: std::vec::IntoIter<L::Item>,
}

impl<L: List> Items<L> {
    /// `meta.total` of the listing, once the first page is in.
    pub fn total(&self) -> Option<u64> {
        self.pages.total()
    }
}

impl<L: List> Iterator for Items<L> {
    type Item = Result<L::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(reply) => self.current = reply.value.items.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let here = self.current.len();
        let rest = self
            .pages
            .machine
            .remaining_hint()
            .map(|r| usize::try_from(r).unwrap_or(usize::MAX));
        (here, rest.map(|r| r.saturating_add(here)))
    }
}

/// A wait, as an iterator of finished targets in completion order; see
/// [`Client::wait_droplets`]. Ends with an error on timeout
/// ([`Error::WaitTimeout`]), cancel ([`Error::Cancelled`]) or a failed
/// action ([`Error::ActionFailed`]), each carrying the states.
pub struct WaitIter<M: Cancel> {
    client: Client,
    machine: M,
    cancel: Option<CancelFlag>,
    done: bool,
}

impl<M: Cancel> WaitIter<M> {
    /// Cancels the wait when `flag` is set (checked at least every 50 ms
    /// while sleeping).
    pub fn cancel_on(mut self, flag: CancelFlag) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// The machine, to read its states.
    pub fn machine(&self) -> &M {
        &self.machine
    }
}

impl<M: Cancel> Iterator for WaitIter<M> {
    type Item = Result<M::Output, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let out = self
            .client
            .drive(&mut self.machine, self.cancel.as_deref(), |m| {
                m.handle_cancel()
            });
        if !matches!(out, Some(Ok(_))) {
            self.done = true;
        }
        out
    }
}

/// Turns each entry of `doapi_core::for_each_operation!` into a method.
macro_rules! methods {
    ($(
        $(#[$m:meta])*
        $kind:ident $name:ident ( $($arg:ident : $ty:ty),* ) -> $out:ty = $op:expr;
    )*) => {
        impl Client { $( methods!(@one $(#[$m])* $kind $name ($($arg : $ty),*) -> $out = $op); )* }
    };
    (@one $(#[$m:meta])* call $name:ident ( $($arg:ident : $ty:ty),* ) -> $out:ty = $op:expr) => {
        $(#[$m])*
        pub fn $name(&self, $($arg: $ty),*) -> Result<$out, Error> {
            self.call($op)
        }
    };
    (@one $(#[$m:meta])* list $name:ident ( $($arg:ident : $ty:ty),* ) -> $out:ty = $op:expr) => {
        $(#[$m])*
        ///
        /// Lazy: pages are fetched as the iterator is consumed.
        pub fn $name(&self, $($arg: $ty),*) -> impl Iterator<Item = Result<$out, Error>> {
            self.list($op)
        }
    };
}

doapi_core::for_each_operation!(methods);
