//! Shared by the integration tests: a fast simulator, a client pointed at
//! it, and the Prism proxy for the conformance run.
#![allow(dead_code)]

use std::time::Duration;

use doapi_async::endpoints::DropletSpec;
use doapi_async::{Client, ClientBuilder, RetryPolicy};
use doapi_sim::{FaultRule, SimConfig, SimServer};
use futures::TryStreamExt;

/// The token every test client sends; no test output may contain it.
pub const TOKEN: &str = "dop_v1_integration-test-secret-7f3a9c";

/// The names of every method `doapi_core::for_each_operation!` generates.
macro_rules! operation_names {
    ($(
        $(#[$m:meta])*
        $kind:ident $name:ident ( $($arg:ident : $ty:ty),* ) -> $out:ty = $op:expr;
    )*) => {
        pub const OPERATIONS: &[&str] = &[$(stringify!($name)),*];
    };
}
doapi_core::for_each_operation!(operation_names);

/// The simulator's quick settings for tests.
pub fn fast_sim() -> SimConfig {
    SimConfig::fast()
}

/// `fast_sim` with these faults (in the simulator's text form).
pub fn sim_with_faults(faults: &[&str]) -> SimConfig {
    SimConfig {
        faults: faults.iter().map(|f| parse_fault(f)).collect(),
        ..fast_sim()
    }
}

pub fn parse_fault(text: &str) -> FaultRule {
    text.parse()
        .unwrap_or_else(|e| panic!("bad fault {text:?}: {e:?}"))
}

/// The simulator on the test's runtime.
pub async fn start(config: SimConfig) -> SimServer {
    SimServer::start(config)
        .await
        .expect("the simulator starts")
}

/// The default retry policy, but with short, exact backoffs.
pub fn fast_retry() -> RetryPolicy {
    let mut p = RetryPolicy::default().without_jitter();
    p.initial_backoff = Duration::from_millis(20);
    p.max_backoff = Duration::from_millis(200);
    p.deadline = Some(Duration::from_secs(20));
    p
}

/// A client builder for `url`: quick polls, a one-minute wait limit, quick
/// retries.
pub fn builder(url: &str) -> ClientBuilder {
    Client::builder(TOKEN)
        .endpoint(url)
        .wait_interval(Duration::from_millis(25))
        .wait_time(Some(Duration::from_secs(60)))
        .retry(fast_retry())
}

pub fn client(server: &SimServer) -> Client {
    builder(server.url()).build().expect("a client")
}

/// A small droplet in nyc3.
pub fn spec() -> DropletSpec {
    DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3")
}

/// `spec()` with tags.
pub fn tagged_spec(tags: &[&str]) -> DropletSpec {
    let mut s = spec();
    s.tags = tags.iter().map(|t| t.to_string()).collect();
    s
}

/// How many droplets the simulator holds, counted with a plain listing
/// (one page, no faults on `GET /v2/droplets` in the tests that count).
pub async fn droplet_count(server: &SimServer) -> usize {
    let all: Vec<_> = client(server)
        .fetch_all_droplets()
        .try_collect()
        .await
        .expect("the droplet listing");
    all.len()
}

/// `GET` requests in the statistics, over every route.
pub fn gets(stats: &doapi_sim::Stats) -> u64 {
    stats
        .routes
        .iter()
        .filter(|(route, _)| route.starts_with("GET "))
        .map(|(_, r)| r.requests)
        .sum()
}

// --- Prism ---------------------------------------------------------------

// The conformance harness, shared with the other suites.
#[allow(unused_imports)]
pub use doapi_sim::prism::{flagged as prism_flagged, free_port, shared_dir, skip_or_fail, Prism};
