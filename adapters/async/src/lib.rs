//! # doapi-async
//!
//! An async DigitalOcean API v2 client for services, on reqwest and tokio.
//! It drives the state machines of `doapi-core` (every request under the
//! retry policy, lazy pagination, cheap multi-waits) with real sockets and
//! tokio's clock; it has no per-endpoint code of its own. The [`Client`] is
//! `Clone + Send + Sync`: share it across tasks.
//!
//! ```no_run
//! use doapi_async::{Client, Until, models::DropletStatus, endpoints::DropletSpec};
//! use futures::TryStreamExt;
//!
//! # async fn run() -> Result<(), doapi_async::Error> {
//! let client = Client::from_env()?; // DIGITALOCEAN_TOKEN
//! let spec = DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3");
//! let names = (0..10).map(|i| format!("web-{i}")).collect();
//! let droplets = client.create_multiple_droplets(names, spec).await?;
//! // Yields each droplet as it becomes active.
//! let active: Vec<_> = client
//!     .wait_droplets(droplets, Until::Status(DropletStatus::Active))
//!     .try_collect()
//!     .await?;
//! let mut all = client.fetch_all_droplets();
//! while let Some(d) = all.try_next().await? {
//!     println!("{}", d.name);
//! }
//! # Ok(()) }
//! ```
//!
//! Waits end early, with the current states, when their stream is dropped or
//! when a cancel future completes ([`Client::wait_with_cancel`]). Tests run
//! the same client without sockets or sleeping through an
//! [`OfflineTransport`] (feature `testing`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

use std::fmt;
use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;

use doapi_core::endpoints::{Endpoint, List};
use doapi_core::models::{Action, Droplet, FloatingIp, Image, Meta};
use doapi_core::{Attempt, Call, LastSeen, Machine, Paginator};
use futures::future::{self, BoxFuture, Either, FutureExt};
use futures::stream::{self, BoxStream, Stream, StreamExt};

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
pub use transport::{ReqwestTransport, Transport};

/// The async client. Cheap to clone; clones share the connection pool and
/// the last-response record.
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

    /// Timeouts and the response size cap of the real transport.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The retry policy of every request.
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

    /// The client; fails on an empty token, a refused endpoint, or an HTTP
    /// client that cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let config = self.config.build()?;
        let transport = match self.transport {
            Some(t) => t,
            None => Box::new(
                ReqwestTransport::new(self.limits).map_err(|e| Error::Transport {
                    kind: e.kind,
                    attempts: 0,
                })?,
            ),
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

type Stop = Option<BoxFuture<'static, ()>>;

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

    /// The configuration, to build machines with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The current time of the transport's clock, to build machines with.
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
    pub async fn call<E: Endpoint>(&self, op: E) -> Result<E::Output, Error> {
        self.call_reply(op).await.map(|r| r.value)
    }

    /// Performs any operation; the answer with its status, rate limit and
    /// request id.
    pub async fn call_reply<E: Endpoint>(&self, op: E) -> Result<Reply<E::Output>, Error> {
        let mut call = Call::new(&self.inner.config, op).with_retry(self.inner.retry.clone());
        self.drive(&mut call, &mut None, |_| {})
            .await
            .unwrap_or_else(|| Err(finished_without_output()))
    }

    /// Every page of a listing, fetched as the stream is polled.
    pub fn pages<L>(&self, op: L) -> BoxStream<'static, Result<Reply<Page<L::Item>>, Error>>
    where
        L: List + Send + 'static,
        L::Item: Send + 'static,
    {
        let machine = Paginator::new(&self.inner.config, op).with_retry(self.inner.retry.clone());
        stream::unfold(
            (self.clone(), machine, false),
            |(client, mut machine, done)| async move {
                if done {
                    return None;
                }
                let out = client.drive(&mut machine, &mut None, |_| {}).await?;
                if let Ok(reply) = &out {
                    client.inner.last.record_meta(reply.value.meta.clone());
                }
                let done = out.is_err();
                Some((out, (client, machine, done)))
            },
        )
        .boxed()
    }

    /// Every item of a listing, fetched a page at a time as the stream is
    /// polled.
    pub fn list<L>(&self, op: L) -> BoxStream<'static, Result<L::Item, Error>>
    where
        L: List + Send + 'static,
        L::Item: Send + 'static,
    {
        self.pages(op)
            .flat_map(|page| match page {
                Ok(reply) => stream::iter(reply.value.items.into_iter().map(Ok)).left_stream(),
                Err(e) => stream::iter([Err(e)]).right_stream(),
            })
            .boxed()
    }

    /// Waits on droplets until each matches `until`, yielding each as it
    /// does (doapi `wait_droplets`). Dropping the stream stops the wait.
    pub fn wait_droplets(
        &self,
        droplets: impl IntoIterator<Item = Droplet>,
        until: Until,
    ) -> BoxStream<'static, Result<Droplet, Error>> {
        let wait = Wait::droplets(&self.inner.config, droplets, until, self.now())
            .with_retry(self.inner.retry.clone());
        self.wait_stream(wait, None)
    }

    /// Waits on droplets given by id; see [`Client::wait_droplets`].
    pub fn wait_droplet_ids(
        &self,
        ids: impl IntoIterator<Item = u64>,
        until: Until,
    ) -> BoxStream<'static, Result<Droplet, Error>> {
        let wait = Wait::droplet_ids(&self.inner.config, ids, until, self.now())
            .with_retry(self.inner.retry.clone());
        self.wait_stream(wait, None)
    }

    /// Waits on actions until each is done, yielding each as it ends (doapi
    /// `wait_actions`). An `errored` action ends the wait with
    /// [`Error::ActionFailed`].
    pub fn wait_actions(
        &self,
        actions: impl IntoIterator<Item = Action>,
    ) -> BoxStream<'static, Result<Action, Error>> {
        let wait = Wait::actions(&self.inner.config, actions, self.now())
            .with_retry(self.inner.retry.clone());
        self.wait_stream(wait, None)
    }

    /// Drives any wait machine (built with [`Client::config`] and
    /// [`Client::now`]) as a stream that ends with [`Error::Cancelled`] and
    /// the current states when `cancel` completes (a Ctrl-C signal, a
    /// cancellation token's `cancelled()`, a timer).
    pub fn wait_with_cancel<M>(
        &self,
        machine: M,
        cancel: impl Future<Output = ()> + Send + 'static,
    ) -> BoxStream<'static, Result<M::Output, Error>>
    where
        M: Cancel + Send + 'static,
        M::Output: Send + 'static,
    {
        self.wait_stream(machine, Some(cancel.boxed()))
    }

    fn wait_stream<M>(&self, machine: M, stop: Stop) -> BoxStream<'static, Result<M::Output, Error>>
    where
        M: Cancel + Send + 'static,
        M::Output: Send + 'static,
    {
        stream::unfold(
            (self.clone(), machine, stop, false),
            |(client, mut machine, mut stop, done)| async move {
                if done {
                    return None;
                }
                let out = client
                    .drive(&mut machine, &mut stop, |m| m.handle_cancel())
                    .await?;
                let done = out.is_err();
                Some((out, (client, machine, stop, done)))
            },
        )
        .boxed()
    }

    /// Waits until one droplet matches `until` (doapi `Droplet.wait`).
    pub async fn wait_droplet(&self, id: u64, until: Until) -> Result<Droplet, Error> {
        first(self.wait_droplet_ids([id], until)).await
    }

    /// Waits until one action is done (doapi `Action.wait`).
    pub async fn wait_action(&self, action: Action) -> Result<Action, Error> {
        first(self.wait_actions([action])).await
    }

    /// Waits for a droplet's most recent action, then returns the droplet,
    /// or `None` if it was deleted (doapi `Droplet.wait_for_action`).
    pub async fn wait_for_droplet_action(&self, id: u64) -> Result<Option<Droplet>, Error> {
        let wait = WaitForAction::droplet(&self.inner.config, id, self.now());
        self.wait_for_action(wait).await
    }

    /// Waits for an image's most recent action, then returns the image.
    pub async fn wait_for_image_action(&self, id: u64) -> Result<Option<Image>, Error> {
        let wait = WaitForAction::image(&self.inner.config, id, self.now());
        self.wait_for_action(wait).await
    }

    /// Waits for a floating IP's most recent action, then returns it.
    pub async fn wait_for_floating_ip_action(
        &self,
        ip: IpAddr,
    ) -> Result<Option<FloatingIp>, Error> {
        let wait = WaitForAction::floating_ip(&self.inner.config, ip, self.now());
        self.wait_for_action(wait).await
    }

    /// Runs any [`WaitForAction`]; the resource after its action, or `None`.
    pub async fn wait_for_action<E>(
        &self,
        wait: WaitForAction<E>,
    ) -> Result<Option<E::Output>, Error>
    where
        E: Endpoint + Send + 'static,
        E::Output: Send + 'static,
    {
        first(self.wait_stream(wait.with_retry(self.inner.retry.clone()), None)).await
    }

    /// Waits for the most recent action of each resource, yielding each
    /// resource's final state as its action ends, in completion order;
    /// `resource` is `None` if the action deleted it (doapi
    /// `wait_actions_on_objects`). The actions are polled together; dropping
    /// the stream stops the wait.
    pub fn wait_actions_on_objects(
        &self,
        targets: impl IntoIterator<Item = endpoints::ActionTarget>,
    ) -> BoxStream<'static, Result<ObjectState, Error>> {
        let wait = WaitActionsOnObjects::new(&self.inner.config, targets, self.now());
        self.wait_stream(wait.with_retry(self.inner.retry.clone()), None)
    }

    /// Drives a machine to its next output. If `stop` completes while the
    /// machine sleeps, `on_stop` is applied once and driving goes on, so
    /// the machine can report its states.
    async fn drive<M: Machine>(
        &self,
        m: &mut M,
        stop: &mut Stop,
        on_stop: impl Fn(&mut M),
    ) -> Option<Result<M::Output, Error>> {
        let t = &self.inner.transport;
        loop {
            if let Some(out) = m.poll_output() {
                return Some(out);
            }
            if let Some(req) = m.poll_request() {
                let attempt = Attempt::of(&req);
                let span = tracing::debug_span!("doapi", method = %req.method(), path = %req.uri().path(), attempt);
                let answer = tracing::Instrument::instrument(t.send(req), span.clone()).await;
                let _entered = span.enter();
                match answer {
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
            match stop.take() {
                None => t.sleep_until(at).await,
                // The cancel future is polled first: once it has fired, it
                // wins over a timer that is due too.
                Some(cancel) => match future::select(cancel, t.sleep_until(at)).await {
                    Either::Left(((), _)) => {
                        on_stop(m);
                        continue;
                    }
                    Either::Right(((), cancel)) => *stop = Some(cancel),
                },
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

async fn first<T>(mut s: impl Stream<Item = Result<T, Error>> + Unpin) -> Result<T, Error> {
    s.next()
        .await
        .unwrap_or_else(|| Err(finished_without_output()))
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
        pub async fn $name(&self, $($arg: $ty),*) -> Result<$out, Error> {
            self.call($op).await
        }
    };
    (@one $(#[$m:meta])* list $name:ident ( $($arg:ident : $ty:ty),* ) -> $out:ty = $op:expr) => {
        $(#[$m])*
        ///
        /// Lazy: pages are fetched as the stream is polled.
        pub fn $name(&self, $($arg: $ty),*) -> BoxStream<'static, Result<$out, Error>> {
            self.list($op)
        }
    };
}

doapi_core::for_each_operation!(methods);
