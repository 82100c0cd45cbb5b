//! The test suite both clients pass, written once: a scenario is a function
//! generic over a [`Subject`] (the blocking client, or the async client on
//! a runtime of this crate), and [`both!`] makes it a test for each.
//!
//! ```text
//! fn a_droplet_is_created<C: Subject>() {
//!     let server = start(fast_sim());
//!     let c = C::client(&server);
//!     let d = c.ok(c.create_droplet("web-1", spec()));
//!     assert_eq!(d.name, "web-1");
//! }
//! both!(a_droplet_is_created);
//! ```
//!
//! The scenarios are in `tests/`; this library is the harness: the
//! [`Subject`] trait and its two implementations, the simulator and client
//! settings every scenario starts from, [`SpanCapture`] for the adapters'
//! own span tests, and [`hostile`]: a server that misbehaves on purpose,
//! and the OS's count of a process's peak memory.
#![forbid(unsafe_code)]
#![allow(clippy::missing_panics_doc, clippy::expect_used, clippy::panic)]

pub mod hostile;

use std::fmt::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use doapi_core::endpoints::{DropletSpec, List};
use doapi_core::models::Droplet;
use doapi_core::testing::{Cassette, OfflineTransport, Recorder};
use doapi_core::RetryPolicy;
use doapi_core::{
    Allowance, Api, Cancel, ClientBuilder, Connect, Decoded, Error, Limits, Machine, Page,
};
use doapi_sim::{SimConfig, SimServer};
use futures::StreamExt;

pub use doapi_sim::prism;

/// The token every test client sends; no test output may contain it.
pub const TOKEN: &str = "dop_v1_integration-test-secret-7f3a9c";

/// What the next step of a listing or a wait gives: an item, a page or an
/// output, or `None` at the end.
pub type Next<T> = Option<Result<T, Error>>;

/// A page of the listing `L`, with what its response said.
pub type PageOf<L> = Decoded<Page<<L as List>::Item>>;

/// Every output of a wait machine `M`, the error (if any) last.
pub type Outputs<M> = Vec<Result<<M as Machine>::Output, Error>>;

/// A wait machine a client can run ([`Api::wait`]): cancellable, sent to
/// the client's tasks, and so are its outputs.
pub trait Waited: Cancel<Output: Send + 'static> + Send + 'static {}

impl<M: Cancel<Output: Send + 'static> + Send + 'static> Waited for M {}

/// A client as the suite drives it: each adapter's client, with a way to
/// get the result of its calls, listings and waits on the test's thread.
pub trait Subject: Api + Connect + Clone + Send + Sync + fmt::Debug + 'static {
    /// `blocking` or `async`, for messages.
    const NAME: &'static str;

    /// The result of a call.
    fn get<T: Send + 'static>(&self, call: Self::Call<T>) -> Result<T, Error>;

    /// The next item of a listing.
    fn next_item<L: List>(&self, items: &mut Self::Items<L>) -> Next<L::Item>;

    /// The next page of a listing.
    fn next_page<L: List>(&self, pages: &mut Self::Pages<L>) -> Next<PageOf<L>>;

    /// The next output of a wait.
    fn next_out<M: Waited>(&self, wait: &mut Self::Waiting<M>) -> Next<M::Output>;

    /// Every output of `machine`, the wait cancelled by the client's own
    /// means (its cancel flag, a cancel future) once `flag` is set.
    fn wait_flagged<M: Waited>(&self, machine: M, flag: Arc<AtomicBool>) -> Outputs<M>;

    /// The builder with an offline transport.
    fn offline(
        builder: ClientBuilder<Self>,
        transport: Arc<OfflineTransport>,
    ) -> ClientBuilder<Self>;

    /// The builder recording the exchanges of the adapter's real transport
    /// (with default limits) into the cassette it returns.
    fn recording(builder: ClientBuilder<Self>) -> (ClientBuilder<Self>, Cassette);

    /// The builder for `url`: quick polls, a one-minute wait limit, quick
    /// retries, and no rate budget (the servers of the tests keep no limit
    /// of their own; the budget has its own tests).
    fn builder_for(url: &str) -> ClientBuilder<Self> {
        Self::builder(TOKEN)
            .endpoint(url)
            .wait_interval(Duration::from_millis(25))
            .wait_time(Some(Duration::from_secs(60)))
            .retry(fast_retry())
            .allowance(Allowance::unlimited())
    }

    /// A client of the simulator `server`, built with [`Subject::builder_for`].
    fn client(server: &SimServer) -> Self {
        Self::builder_for(server.url()).build().expect("a client")
    }

    /// The result of a call that must succeed; panics at the caller's line
    /// if it does not.
    #[track_caller]
    fn ok<T: Send + 'static>(&self, call: Self::Call<T>) -> T {
        must(self.get(call))
    }

    /// The error of a call that must fail.
    #[track_caller]
    fn err<T: Send + 'static>(&self, call: Self::Call<T>) -> Error {
        match self.get(call) {
            Ok(_) => panic!("the call succeeded"),
            Err(e) => e,
        }
    }

    /// Every item of a listing, the error (if any) last: a listing ends
    /// after an error.
    fn items<L: List>(&self, mut items: Self::Items<L>) -> Vec<Result<L::Item, Error>> {
        std::iter::from_fn(|| self.next_item(&mut items)).collect()
    }

    /// Every item of a listing that must succeed.
    #[track_caller]
    fn all<L: List>(&self, items: Self::Items<L>) -> Vec<L::Item> {
        must(self.items(items).into_iter().collect())
    }

    /// Every page of a listing that must succeed.
    #[track_caller]
    fn all_pages<L: List>(&self, mut pages: Self::Pages<L>) -> Vec<PageOf<L>> {
        must(std::iter::from_fn(|| self.next_page(&mut pages)).collect())
    }

    /// Every output of a wait, the error (if any) last.
    fn outputs<M: Waited>(&self, mut wait: Self::Waiting<M>) -> Outputs<M> {
        std::iter::from_fn(|| self.next_out(&mut wait)).collect()
    }

    /// Every output of `machine`, the wait cancelled (see
    /// [`Subject::wait_flagged`]) once `cancel` returns true: checked before
    /// the wait starts, then every 5 ms on another thread.
    fn wait_cancelled<M: Waited>(
        &self,
        machine: M,
        cancel: impl Fn() -> bool + Send,
    ) -> Outputs<M> {
        let (flag, done) = (Arc::new(AtomicBool::new(cancel())), AtomicBool::new(false));
        let (set, done) = (&flag, &done);
        std::thread::scope(|s| {
            s.spawn(move || {
                while !done.load(Ordering::Relaxed) && !cancel() {
                    std::thread::sleep(Duration::from_millis(5));
                }
                set.store(true, Ordering::Relaxed);
            });
            let outputs = self.wait_flagged(machine, flag.clone());
            done.store(true, Ordering::Relaxed);
            outputs
        })
    }

    /// Every output of a wait that must succeed.
    #[track_caller]
    fn finished<M: Waited>(&self, wait: Self::Waiting<M>) -> Vec<M::Output> {
        must(self.outputs(wait).into_iter().collect())
    }

    /// The first droplet the account lists.
    fn first_droplet(&self) -> Droplet {
        self.all(self.fetch_all_droplets()).remove(0)
    }
}

/// The value of a result that must be `Ok`; panics at the caller's line.
#[track_caller]
fn must<T>(result: Result<T, Error>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("{e:?}"),
    }
}

/// What both implementations of [`Subject`] write alike but for the type
/// of the adapter's real transport (`$real` builds one).
macro_rules! transports {
    ($real:expr) => {
        fn offline(
            builder: ClientBuilder<Self>,
            transport: Arc<OfflineTransport>,
        ) -> ClientBuilder<Self> {
            builder.transport(transport)
        }

        fn recording(builder: ClientBuilder<Self>) -> (ClientBuilder<Self>, Cassette) {
            let recorder = Recorder::new($real);
            let cassette = recorder.cassette();
            (builder.transport(recorder), cassette)
        }
    };
}

impl Subject for doapi_blocking::Client {
    const NAME: &'static str = "blocking";

    fn get<T: Send + 'static>(&self, call: Result<T, Error>) -> Result<T, Error> {
        call
    }

    fn next_item<L: List>(&self, items: &mut Self::Items<L>) -> Next<L::Item> {
        items.next()
    }

    fn next_page<L: List>(&self, pages: &mut Self::Pages<L>) -> Next<PageOf<L>> {
        pages.next()
    }

    fn next_out<M: Waited>(&self, wait: &mut Self::Waiting<M>) -> Next<M::Output> {
        wait.next()
    }

    fn wait_flagged<M: Waited>(&self, machine: M, flag: Arc<AtomicBool>) -> Outputs<M> {
        self.wait(machine).cancel_on(flag).collect()
    }

    transports!(doapi_blocking::UreqTransport::new(Limits::default()));
}

/// The runtime the async client's calls run on.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Runtime::new().expect("a tokio runtime"))
}

impl Subject for doapi_async::Client {
    const NAME: &'static str = "async";

    fn get<T: Send + 'static>(&self, call: Self::Call<T>) -> Result<T, Error> {
        runtime().block_on(call)
    }

    fn next_item<L: List>(&self, items: &mut Self::Items<L>) -> Next<L::Item> {
        runtime().block_on(items.next())
    }

    fn next_page<L: List>(&self, pages: &mut Self::Pages<L>) -> Next<PageOf<L>> {
        runtime().block_on(pages.next())
    }

    fn next_out<M: Waited>(&self, wait: &mut Self::Waiting<M>) -> Next<M::Output> {
        runtime().block_on(wait.next())
    }

    fn wait_flagged<M: Waited>(&self, machine: M, flag: Arc<AtomicBool>) -> Outputs<M> {
        let fired = async move {
            while !flag.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        runtime().block_on(self.wait_with_cancel(machine, fired).collect())
    }

    transports!(doapi_async::ReqwestTransport::new(Limits::default()).expect("an HTTP client"));
}

/// Makes each scenario, a function generic over [`Subject`], a test for
/// each client: `both!(name)` gives the tests `name::blocking_client` and
/// `name::async_client`.
#[macro_export]
macro_rules! both {
    ($($scenario:ident),* $(,)?) => {
        $(
            mod $scenario {
                #[test]
                fn blocking_client() {
                    super::$scenario::<doapi_blocking::Client>();
                }
                #[test]
                fn async_client() {
                    super::$scenario::<doapi_async::Client>();
                }
            }
        )*
    };
}

/// Whether Prism flagged the response kept in a line of a cassette (its
/// `sl-violations` header, or a problem answered in the simulator's place).
pub fn flagged_by_prism(line: &str) -> bool {
    let line: serde_json::Value = serde_json::from_str(line).expect("a cassette line");
    let mut response = doapi_core::http::Response::builder();
    for header in line["headers"].as_array().expect("headers") {
        let (name, value) = (header[0].as_str(), header[1].as_str());
        response = response.header(name.expect("a name"), value.expect("a value"));
    }
    prism::flagged(&response.body(()).expect("a response"))
}

/// The simulator's quick settings for tests.
pub fn fast_sim() -> SimConfig {
    SimConfig::fast()
}

/// [`fast_sim`], but droplets boot and actions take `delay`; one droplet
/// is already active.
pub fn slow_sim(delay: Duration) -> SimConfig {
    let mut config = fast_sim();
    (config.boot_delay, config.action_delay, config.seed_droplets) = (delay, delay, 1);
    config
}

/// [`fast_sim`] with these faults (in the simulator's text form).
pub fn sim_with_faults(faults: &[impl AsRef<str>]) -> SimConfig {
    SimConfig {
        faults: faults
            .iter()
            .map(|f| f.as_ref().parse().expect("a fault"))
            .collect(),
        ..fast_sim()
    }
}

/// The simulator on 127.0.0.1, on a thread of its own.
pub fn start(config: SimConfig) -> SimServer {
    SimServer::start_blocking(config).expect("the simulator starts")
}

/// The default retry policy, but with short, exact backoffs.
pub fn fast_retry() -> RetryPolicy {
    let mut p = RetryPolicy::default().without_jitter();
    p.initial_backoff = Duration::from_millis(20);
    p.max_backoff = Duration::from_millis(200);
    p.deadline = Some(Duration::from_secs(20));
    p
}

/// A small droplet in nyc3.
pub fn spec() -> DropletSpec {
    DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3")
}

/// [`spec`] with tags.
pub fn tagged_spec(tags: &[&str]) -> DropletSpec {
    let mut s = spec();
    s.tags = tags.iter().map(|t| t.to_string()).collect();
    s
}

/// The names of the methods of [`Api`], read from its source: each must be
/// called by the suite.
pub fn api_methods() -> Vec<String> {
    let source = include_str!("../../../core/src/client.rs");
    let mut names: Vec<String> = source
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("fn "))
        .filter_map(|rest| rest.split(['(', '<']).next())
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A `tracing` subscriber that keeps every field of every span and event
/// as text, for the adapters' span tests. It must be the global default
/// ([`SpanCapture::install`], in a test binary of its own): a scoped one
/// can miss events that other test threads registered first.
#[derive(Default)]
pub struct SpanCapture {
    text: Mutex<String>,
    next: AtomicU64,
}

impl SpanCapture {
    /// Installs a capture as the global subscriber.
    pub fn install() -> Arc<SpanCapture> {
        let capture = Arc::new(SpanCapture::default());
        tracing::subscriber::set_global_default(capture.clone()).expect("the only subscriber");
        capture
    }

    /// What was captured so far: a line per span and event.
    pub fn text(&self) -> String {
        self.text.lock().expect("the capture").clone()
    }

    fn add(&self, what: &str, fields: impl FnOnce(&mut dyn tracing::field::Visit)) {
        let mut text = self.text.lock().expect("the capture");
        text.push_str(what);
        fields(&mut Fields(&mut text));
    }
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl tracing::Subscriber for SpanCapture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let name = format!("\nspan {} ", span.metadata().name());
        self.add(&name, |v| span.record(v));
        tracing::span::Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        self.add("", |v| values.record(v));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        self.add("\nevent ", |v| event.record(v));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
