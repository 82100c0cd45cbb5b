//! # doapi-async
//!
//! An async DigitalOcean API v2 client for services, on reqwest and tokio.
//! It drives the state machines of `doapi-core` (every request under the
//! retry policy, lazy pagination, cheap multi-waits) with real sockets and
//! tokio's clock; every method comes from the core's [`Api`]. The
//! [`Client`] is `Clone + Send + Sync`: share it across tasks.
//!
//! ```no_run
//! use doapi_async::{Api, Client, Until, models::DropletStatus, endpoints::DropletSpec};
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

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use doapi_core::endpoints::List;
use doapi_core::{Answer, Connect, Machine, Metered, Next, Outgoing, Pending};
use futures::future::{self, BoxFuture, Either, FutureExt};
use futures::stream::{self, BoxStream, FuturesUnordered, StreamExt};
use tracing::Instrument;

pub use doapi_core::prelude::*;

mod transport;

pub use transport::{ReqwestTransport, Transport};

/// Builds a [`Client`]: endpoint, timeouts, page size, wait defaults, user
/// agent, retry policy, transport.
pub type ClientBuilder = doapi_core::ClientBuilder<Client>;

/// The async client. Cheap to clone; clones share the connection pool and
/// the session.
#[derive(Clone, Debug)]
pub struct Client {
    session: Session,
    transport: Arc<dyn Transport>,
}

/// A future whose completion cancels a wait.
type Stop = Option<BoxFuture<'static, ()>>;

/// The answers of a machine's requests in flight, as they come.
type InFlight = FuturesUnordered<BoxFuture<'static, (Pending, Answer)>>;

impl Connect for Client {
    type Transport = dyn Transport;

    fn connect(config: Config, transport: Option<Box<dyn Transport>>) -> Result<Self, Error> {
        let transport =
            match transport {
                Some(t) => t,
                None => Box::new(ReqwestTransport::new(config.limits).map_err(|e| {
                    Error::Transport {
                        kind: e.kind,
                        message: e.message,
                        attempts: 0,
                    }
                })?),
            };
        Ok(Client {
            session: Session::new(config),
            transport: transport.into(),
        })
    }
}

impl Client {
    /// Drives any wait machine (built with [`Api::session`] and
    /// [`Api::now`]) as a stream that ends with [`Error::Cancelled`] and the
    /// current states when `cancel` completes (a Ctrl-C signal, a
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
        self.outputs(machine, Some(cancel.boxed()), Metered::<M>::handle_cancel)
    }

    /// Every output of a machine, its requests drawing from the budget, as
    /// a stream that ends after an error.
    fn outputs<M>(
        &self,
        machine: M,
        stop: Stop,
        on_stop: fn(&mut Metered<M>),
    ) -> BoxStream<'static, Result<M::Output, Error>>
    where
        M: Machine + Send + 'static,
        M::Output: Send + 'static,
    {
        let machine = self.session.meter(machine, self.now());
        let state = Some((self.clone(), machine, stop, InFlight::new()));
        stream::unfold(state, move |state| async move {
            let (client, mut machine, mut stop, mut inflight) = state?;
            let out = client
                .drive(&mut machine, &mut stop, on_stop, &mut inflight)
                .await?;
            let next = out.is_ok().then_some((client, machine, stop, inflight));
            Some((out, next))
        })
        .boxed()
    }

    /// Drives a machine to its next output, sending every request it has
    /// ready at once (the pages of a listing) and handing the answers back
    /// as they come; requests still in flight stay in `inflight` for the
    /// next call. Once `stop` has completed (checked before every step, and
    /// while sleeping), `on_stop` is applied once and driving goes on, so
    /// the machine can report its states.
    async fn drive<M: Machine>(
        &self,
        m: &mut Metered<M>,
        stop: &mut Stop,
        on_stop: fn(&mut Metered<M>),
        inflight: &mut InFlight,
    ) -> Option<Result<M::Output, Error>> {
        let t = &self.transport;
        loop {
            if stop.as_mut().and_then(FutureExt::now_or_never).is_some() {
                *stop = None;
                on_stop(m);
            }
            let at = match self.session.next(m, t.now()) {
                Next::Return(Some(out)) => return Some(out),
                Next::Send(out) => {
                    let transport = self.transport.clone();
                    let Outgoing { request, pending } = out;
                    let span = pending.span.clone();
                    let send = async move { (pending, transport.send(request).await) };
                    inflight.push(send.instrument(span).boxed());
                    continue;
                }
                Next::Return(None) if inflight.is_empty() => return None,
                Next::Return(None) => None,
                Next::Sleep(at) => Some(at),
            };
            if !inflight.is_empty() {
                // The next answer, or the machine's timeout if it comes
                // first (a page waiting out its backoff).
                let answered = match at {
                    None => inflight.next().await,
                    Some(at) => match future::select(inflight.next(), t.sleep_until(at)).await {
                        Either::Left((answered, _)) => answered,
                        Either::Right(_) => {
                            m.handle_timeout(t.now());
                            continue;
                        }
                    },
                };
                if let Some((pending, answer)) = answered {
                    self.session.answer(m, &pending, t.now(), answer);
                }
                continue;
            }
            let Some(at) = at else { continue };
            match stop.take() {
                None => t.sleep_until(at).await,
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

impl Api for Client {
    type Call<T: Send + 'static> = BoxFuture<'static, Result<T, Error>>;
    type Items<L: List> = BoxStream<'static, Result<L::Item, Error>>;
    type Pages<L: List> = BoxStream<'static, Result<Decoded<Page<L::Item>>, Error>>;
    type Waiting<M: Cancel + Send + 'static> = BoxStream<'static, Result<M::Output, Error>>;

    fn session(&self) -> &Session {
        &self.session
    }

    fn now(&self) -> Instant {
        self.transport.now()
    }

    fn run<M>(&self, machine: M) -> BoxFuture<'static, Result<M::Output, Error>>
    where
        M: Machine + Send + 'static,
        M::Output: Send + 'static,
    {
        let mut machine = self.session.meter(machine, self.now());
        let client = self.clone();
        async move {
            let out = client
                .drive(&mut machine, &mut None, |_| {}, &mut InFlight::new())
                .await;
            out.unwrap_or(Err(Error::NoOutput))
        }
        .boxed()
    }

    fn list<L: List>(&self, op: L) -> Self::Items<L> {
        self.pages(op)
            .flat_map(|page| match page {
                Ok(reply) => stream::iter(reply.value.items.into_iter().map(Ok)).left_stream(),
                Err(e) => stream::iter([Err(e)]).right_stream(),
            })
            .boxed()
    }

    fn pages<L: List>(&self, op: L) -> Self::Pages<L> {
        self.outputs(self.session.pages(op), None, |_| {})
    }

    fn wait<M>(&self, machine: M) -> Self::Waiting<M>
    where
        M: Cancel + Send + 'static,
        M::Output: Send + 'static,
    {
        self.outputs(machine, None, Metered::<M>::handle_cancel)
    }
}
