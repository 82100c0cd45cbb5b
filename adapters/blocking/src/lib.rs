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

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
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

/// A machine's requests in flight on sending threads, and their answers as
/// they come (a listing's pages fetched ahead); they stay in flight across
/// the machine's outputs. The threads are kept for the machine's life, as
/// many as its most requests at once, so that a listing of any length runs
/// on the same few (and in the memory they hold).
#[derive(Debug)]
struct InFlight {
    jobs: Sender<Job>,
    queue: Arc<Mutex<Receiver<Job>>>,
    threads: usize,
    done: Sender<Answered>,
    answers: Receiver<Answered>,
    count: usize,
}

/// A request for a sending thread, with the transport to send it on.
type Job = (Arc<dyn Transport>, Outgoing);

/// An answer from a sending thread, or its transport's panic.
type Answered = (Pending, std::thread::Result<Answer>);

impl InFlight {
    fn new() -> Self {
        let (jobs, queue) = mpsc::channel();
        let (done, answers) = mpsc::channel();
        InFlight {
            jobs,
            queue: Arc::new(Mutex::new(queue)),
            threads: 0,
            done,
            answers,
            count: 0,
        }
    }

    fn spawn(&mut self, transport: &Arc<dyn Transport>, out: Outgoing) {
        self.count += 1;
        if self.count > self.threads {
            self.threads += 1;
            let (queue, done) = (self.queue.clone(), self.done.clone());
            std::thread::spawn(move || send_jobs(&queue, &done));
        }
        // The threads end only once this sender is dropped.
        let _ = self.jobs.send((transport.clone(), out));
    }
}

/// A sending thread: sends each request it takes from `queue` and gives
/// the answer to `done`, until the machine is gone.
fn send_jobs(queue: &Mutex<Receiver<Job>>, done: &Sender<Answered>) {
    loop {
        // A poisoned lock only means another sending thread panicked.
        let job = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok((transport, out)) = job else {
            return;
        };
        let Outgoing { request, pending } = out;
        let send = AssertUnwindSafe(|| pending.span.in_scope(|| transport.send(request)));
        let answer = std::panic::catch_unwind(send);
        // The iterator may be gone: then nobody wants the answer.
        let _ = done.send((pending, answer));
    }
}

impl Client {
    /// Drives a machine to its next output. A lone request is sent on this
    /// thread; several (a listing's pages) go out at once, each on its own
    /// thread, and their answers are handed back as they come. Once
    /// `cancel` is set (checked before every step, and while sleeping),
    /// `on_cancel` is applied once and driving goes on, so the machine can
    /// report its states.
    fn drive<M: Machine>(
        &self,
        m: &mut Metered<M>,
        mut cancel: Option<&AtomicBool>,
        on_cancel: fn(&mut Metered<M>),
        inflight: &mut InFlight,
    ) -> Option<Result<M::Output, Error>> {
        let t = &self.transport;
        loop {
            if cancel.take_if(|f| f.load(Ordering::Relaxed)).is_some() {
                on_cancel(m);
            }
            match self.session.next(m, t.now()) {
                Next::Return(Some(out)) => return Some(out),
                Next::Return(None) if inflight.count == 0 => return None,
                Next::Return(None) => self.take_answer(m, inflight, None),
                Next::Send(first) => {
                    let mut batch = vec![first];
                    while let Next::Send(more) = self.session.next(m, t.now()) {
                        batch.push(more);
                    }
                    match batch.pop() {
                        Some(out) if batch.is_empty() && inflight.count == 0 => {
                            let Outgoing { request, pending } = out;
                            let answer = pending.span.in_scope(|| t.send(request));
                            self.session.answer(m, &pending, t.now(), answer);
                        }
                        last => {
                            for out in batch.into_iter().chain(last) {
                                inflight.spawn(t, out);
                            }
                        }
                    }
                }
                Next::Sleep(at) if inflight.count > 0 => self.take_answer(m, inflight, Some(at)),
                Next::Sleep(at) => {
                    let cancelled = || cancel.is_some_and(|f| f.load(Ordering::Relaxed));
                    if t.sleep_until(at, &cancelled) {
                        m.handle_timeout(t.now());
                    }
                }
            }
        }
    }

    /// Waits for the next answer of a request in flight, or until `until`
    /// (a page waiting out its backoff meanwhile), and hands it over.
    fn take_answer<M: Machine>(
        &self,
        m: &mut Metered<M>,
        inflight: &mut InFlight,
        until: Option<Instant>,
    ) {
        let t = &self.transport;
        let answered = match until {
            None => inflight.answers.recv().ok(),
            Some(at) => {
                let left = at.saturating_duration_since(t.now());
                inflight.answers.recv_timeout(left).ok()
            }
        };
        match (answered, until) {
            (Some((pending, answer)), _) => {
                inflight.count -= 1;
                match answer {
                    Ok(answer) => self.session.answer(m, &pending, t.now(), answer),
                    // A transport that panicked is the caller's panic.
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            (None, Some(at)) => {
                if t.sleep_until(at, &|| false) {
                    m.handle_timeout(t.now());
                }
            }
            (None, None) => {}
        }
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
        self.drive(&mut machine, None, |_| {}, &mut InFlight::new())
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
    inflight: InFlight,
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
            inflight: InFlight::new(),
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
        let out = self.client.drive(
            &mut self.machine,
            cancel,
            self.on_cancel,
            &mut self.inflight,
        );
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
