//! # doapi-blocking
//!
//! A blocking DigitalOcean API v2 client for scripts and command-line tools,
//! on [ureq]. It drives the state machines of `doapi-core` (every request
//! under the retry policy, lazy pagination, cheap multi-waits) with real
//! sockets and the real clock; every method comes from the core's [`Api`].
//!
//! ```no_run
//! use doapi_blocking::{Api, Client, Until, models::DropletStatus, endpoints::DropletSpec};
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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use doapi_core::endpoints::List;
use doapi_core::{Answer, Connect, Machine, Metered, Next, Outgoing, Paginator, Pending};

pub use doapi_core::prelude::*;

mod transport;

pub use transport::{Transport, UreqTransport};

/// A flag that cancels a wait when set: wire Ctrl-C to it. The wait then
/// ends with [`Error::Cancelled`] carrying the current states, as doapi did
/// on `KeyboardInterrupt`.
pub type CancelFlag = Arc<AtomicBool>;

/// Builds a [`Client`]: endpoint, timeouts, page size, wait defaults, user
/// agent, retry policy, transport.
pub type ClientBuilder = doapi_core::ClientBuilder<Client>;

/// The blocking client. Cheap to clone; clones share the connection pool
/// and the session.
#[derive(Clone, Debug)]
pub struct Client {
    session: Session,
    transport: Arc<dyn Transport>,
}

impl Connect for Client {
    type Transport = dyn Transport;

    fn connect(config: Config, transport: Option<Box<dyn Transport>>) -> Result<Self, Error> {
        let transport = transport.unwrap_or_else(|| Box::new(UreqTransport::new(config.limits)));
        Ok(Client {
            session: Session::new(config),
            transport: transport.into(),
        })
    }
}

impl Client {
    /// Drives a machine to its next output. Once `cancel` is set (checked
    /// before every step, and while sleeping), `on_cancel` is applied once
    /// and driving goes on, so the machine can report its states.
    fn drive<M: Machine>(
        &self,
        m: &mut M,
        mut cancel: Option<&AtomicBool>,
        on_cancel: fn(&mut M),
    ) -> Option<Result<M::Output, Error>> {
        let t = &self.transport;
        loop {
            if cancel.take_if(|f| f.load(Ordering::Relaxed)).is_some() {
                on_cancel(m);
            }
            match self.session.next(m) {
                Next::Return(out) => return out,
                Next::Send(first) => {
                    // Every request the machine has ready goes out at once
                    // (the pages of a listing), each on its own thread.
                    let mut batch = vec![first];
                    while let Next::Send(more) = self.session.next(m) {
                        batch.push(more);
                    }
                    for (pending, answer) in self.send_all(batch) {
                        self.session.answer(m, &pending, t.now(), answer);
                    }
                }
                Next::Sleep(at) => {
                    let cancelled = || cancel.is_some_and(|f| f.load(Ordering::Relaxed));
                    if t.sleep_until(at, &cancelled) {
                        m.handle_timeout(t.now());
                    }
                }
            }
        }
    }
}

impl Client {
    /// Sends requests at once, one thread each (the first on this one),
    /// and gives their answers.
    fn send_all(&self, batch: Vec<Outgoing>) -> Vec<(Pending, Answer)> {
        let send = |out: Outgoing| {
            let answer = out
                .pending
                .span
                .in_scope(|| self.transport.send(out.request));
            (out.pending, answer)
        };
        let mut batch = batch.into_iter();
        let first = batch.next();
        std::thread::scope(|s| {
            let others: Vec<_> = batch.map(|out| s.spawn(move || send(out))).collect();
            let mut answers: Vec<_> = first.map(send).into_iter().collect();
            for handle in others {
                // A transport that panicked is the caller's panic too.
                match handle.join() {
                    Ok(answer) => answers.push(answer),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            answers
        })
    }
}

impl Api for Client {
    type Call<T: Send + 'static> = Result<T, Error>;
    type Items<L: List> = ListIter<L>;
    type Pages<L: List> = PageIter<L>;
    type Waiting<M: Cancel + Send + 'static> = WaitIter<M>;

    fn session(&self) -> &Session {
        &self.session
    }

    fn now(&self) -> Instant {
        self.transport.now()
    }

    fn run<M: Machine + Send + 'static>(&self, machine: M) -> Result<M::Output, Error> {
        let mut machine = self.session.meter(machine, self.now());
        self.drive(&mut machine, None, |_| {})
            .unwrap_or(Err(Error::NoOutput))
    }

    fn list<L: List>(&self, op: L) -> ListIter<L> {
        ListIter {
            pages: self.pages(op),
            current: Vec::new().into_iter(),
        }
    }

    fn pages<L: List>(&self, op: L) -> PageIter<L> {
        MachineIter::new(self, self.session.pages(op), |_| {})
    }

    fn wait<M: Cancel + Send + 'static>(&self, machine: M) -> WaitIter<M> {
        MachineIter::new(self, machine, Metered::<M>::handle_cancel)
    }
}

/// A machine's outputs as an iterator: a wait's finished targets in
/// completion order ([`Api::wait`]), or a listing's pages ([`Api::pages`]).
/// It ends after an error: on timeout ([`Error::WaitTimeout`]), cancel
/// ([`Error::Cancelled`]) or a failed action ([`Error::ActionFailed`]), each
/// carrying the states.
#[derive(Debug)]
pub struct MachineIter<M: Machine> {
    client: Client,
    machine: Metered<M>,
    cancel: Option<CancelFlag>,
    on_cancel: fn(&mut Metered<M>),
    done: bool,
}

/// The finished targets of a wait; see [`Api::wait_droplets`].
pub type WaitIter<M> = MachineIter<M>;

/// The pages of a listing; see [`Api::pages`].
pub type PageIter<L> = MachineIter<Paginator<L>>;

impl<M: Machine> MachineIter<M> {
    fn new(client: &Client, machine: M, on_cancel: fn(&mut Metered<M>)) -> Self {
        MachineIter {
            client: client.clone(),
            machine: client.session.meter(machine, client.now()),
            cancel: None,
            on_cancel,
            done: false,
        }
    }

    /// Cancels the wait when `flag` is set (checked at least every 50 ms
    /// while sleeping).
    pub fn cancel_on(mut self, flag: CancelFlag) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// The machine, to read its states.
    pub fn machine(&self) -> &M {
        self.machine.inner()
    }
}

impl<L: List> PageIter<L> {
    /// `meta.total` of the listing, once the first page is in.
    pub fn total(&self) -> Option<u64> {
        self.machine().total()
    }
}

impl<M: Machine> Iterator for MachineIter<M> {
    type Item = Result<M::Output, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let cancel = self.cancel.as_deref();
        let out = self.client.drive(&mut self.machine, cancel, self.on_cancel);
        self.done = !matches!(out, Some(Ok(_)));
        out
    }
}

/// The items of a listing; see [`Api::list`].
pub struct ListIter<L: List> {
    pages: PageIter<L>,
    current: std::vec::IntoIter<L::Item>,
}

impl<L: List> ListIter<L> {
    /// `meta.total` of the listing, once the first page is in.
    pub fn total(&self) -> Option<u64> {
        self.pages.total()
    }
}

impl<L: List> Iterator for ListIter<L> {
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
        self.pages.machine().size_hint(self.current.len())
    }
}
