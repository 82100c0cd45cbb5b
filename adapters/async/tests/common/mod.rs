//! Shared by the integration tests: a fast simulator, a client pointed at
//! it, and the Prism proxy for the conformance run.
#![allow(dead_code)]

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// Quick boots and actions, no rate limit, no faults.
pub fn fast_sim() -> SimConfig {
    SimConfig {
        boot_delay: Duration::from_millis(150),
        action_delay: Duration::from_millis(60),
        backup_interval: Duration::from_millis(300),
        rate_per_minute: 0,
        rate_per_hour: 0,
        ..SimConfig::default()
    }
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

/// The shared folder: `$DOAPI_SHARED`, else `<repo>/../shared`.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("DOAPI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// Skips a test whose tools are missing: prints why, or fails when
/// `DOAPI_REQUIRE_SHARED=1` (as in CI).
pub fn skip_or_fail(why: &str) {
    if std::env::var("DOAPI_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("DOAPI_REQUIRE_SHARED=1 but {why}");
    }
    eprintln!("SKIPPED: {why} (set DOAPI_REQUIRE_SHARED=1 to make this a failure)");
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A Prism validating proxy this test started; stopped when dropped.
pub struct Prism {
    child: Child,
    pub url: String,
    pub log: PathBuf,
}

impl Prism {
    /// The script, installed; `Err(why)` when the shared folder, node or
    /// Prism is missing.
    pub fn script() -> Result<PathBuf, String> {
        let prism_sh = shared_dir().join("tools/prism.sh");
        if !prism_sh.exists() {
            return Err(format!("{} not found", prism_sh.display()));
        }
        if Command::new("node").arg("--version").output().is_err() {
            return Err("node is not installed (Prism needs node and npm)".into());
        }
        let install = Command::new("bash").arg(&prism_sh).arg("install").output();
        if !install.as_ref().is_ok_and(|o| o.status.success()) {
            let why = install.map_or_else(
                |e| e.to_string(),
                |o| String::from_utf8_lossy(&o.stderr).into_owned(),
            );
            return Err(format!("Prism could not be installed: {why}"));
        }
        Ok(prism_sh)
    }

    /// Starts `prism.sh proxy PORT UPSTREAM --errors` and waits until it
    /// accepts connections.
    pub fn start(prism_sh: &PathBuf, port: u16, upstream: &str) -> Prism {
        let log = std::env::temp_dir().join(format!("doapi-async-prism-{port}.log"));
        let file = File::create(&log).expect("the Prism log");
        let child = Command::new("bash")
            .arg(prism_sh)
            .args(["proxy", &port.to_string(), upstream, "--errors"])
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("the log"))
            .stderr(file)
            .spawn()
            .expect("Prism starts");
        let prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(300);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "Prism did not start; see {}",
                prism.log.display()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        prism
    }

    /// The lines of Prism's log that report a violation.
    pub fn flagged_lines(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("Violation") || l.contains("✖"))
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether Prism flagged a response: an `sl-violations` header, or its own
/// `application/problem+json` error.
pub fn prism_flagged(resp: &doapi_core::http::Response<Vec<u8>>) -> bool {
    resp.headers().get("sl-violations").is_some()
        || resp
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
}
