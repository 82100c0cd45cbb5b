//! The conformance harness (feature `prism`): Stoplight Prism's validating
//! proxy (`shared/tools/prism.sh proxy UPSTREAM --errors`) in front of the
//! simulator, so a test suite can check that what its client sends, and
//! what the simulator answers, is DigitalOcean as the official spec says;
//! and Prism's mock of the spec (`prism.sh mock`), which validates requests
//! and answers from the spec's examples or made-up data.
//!
//! The shared folder is `$DOAPI_SHARED`, else `shared/` beside the
//! repository. A test whose tools are missing calls [`skip_or_fail`]: it
//! prints `SKIPPED`, or fails when `DOAPI_REQUIRE_SHARED=1` (as in CI).
//!
//! A harness for tests: where it cannot go on, it panics, as a test must.
#![allow(clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::config::SimConfig;
use crate::server::SimServer;

/// The shared folder: `$DOAPI_SHARED`, else `shared/` beside the repository.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("DOAPI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// Skips a test whose tools are missing: prints why, or panics when
/// `DOAPI_REQUIRE_SHARED=1`.
pub fn skip_or_fail(why: &str) {
    if std::env::var("DOAPI_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("DOAPI_REQUIRE_SHARED=1 but {why}");
    }
    eprintln!("SKIPPED: {why} (set DOAPI_REQUIRE_SHARED=1 to make this a failure)");
}

/// A free TCP port on 127.0.0.1 (panics if there is none).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// A simulator with `config`, and a Prism proxy in front of it to which
/// the simulator's links point (so following them goes through the proxy
/// too). `None`, after [`skip_or_fail`], when Prism cannot run here.
pub fn proxied(config: SimConfig) -> Option<(SimServer, Prism)> {
    let prism_sh = Prism::script_or_skip()?;
    let port = free_port();
    let server = SimServer::start_blocking(SimConfig {
        public_url: Some(format!("http://127.0.0.1:{port}")),
        ..config
    })
    .expect("the simulator starts");
    let prism = Prism::start(&prism_sh, port, server.url());
    Some((server, prism))
}

/// The body of [`Prism::violating_create`].
pub const VIOLATING_CREATE: &str = r#"{"name":"bad","size":5,"image":"ubuntu-24-04-x64"}"#;

/// A Prism validating proxy; stopped when dropped.
pub struct Prism {
    child: Child,
    /// Where it listens: `http://127.0.0.1:PORT`.
    pub url: String,
    /// Its log.
    pub log: PathBuf,
}

impl Prism {
    /// The script, with Prism installed; `Err(why)` when the shared folder,
    /// node or Prism is missing.
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

    /// [`Prism::script`], or `None` after [`skip_or_fail`].
    pub fn script_or_skip() -> Option<PathBuf> {
        Prism::script().map_err(|why| skip_or_fail(&why)).ok()
    }

    /// Starts `prism.sh proxy PORT UPSTREAM --errors` and waits (at most
    /// five minutes) until it accepts connections. Panics if it does not.
    pub fn start(prism_sh: &Path, port: u16, upstream: &str) -> Prism {
        Prism::run(
            prism_sh,
            port,
            &["proxy", &port.to_string(), upstream, "--errors"],
        )
    }

    /// Starts Prism's mock of the spec, `prism.sh mock PORT --errors` and
    /// `flags` (`--dynamic`: answers made up from the schemas, new on each
    /// request, instead of the spec's examples), and waits as
    /// [`Prism::start`] does. It validates each request and flags what
    /// violates the spec (an `sl-violations` header, and a 422 or other
    /// error answer). `None`, after [`skip_or_fail`], when Prism cannot run
    /// here.
    pub fn mock(flags: &[&str]) -> Option<Prism> {
        let prism_sh = Prism::script_or_skip()?;
        let port = free_port();
        let mut args = vec!["mock".to_owned(), port.to_string(), "--errors".to_owned()];
        args.extend(flags.iter().map(|f| (*f).to_owned()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Some(Prism::run(&prism_sh, port, &args))
    }

    /// Runs `prism.sh ARGS`, listening on `port`, until it accepts
    /// connections (at most five minutes; panics if it does not).
    fn run(prism_sh: &Path, port: u16, args: &[&str]) -> Prism {
        let log =
            std::env::temp_dir().join(format!("doapi-prism-{}-{port}.log", std::process::id()));
        let file = File::create(&log).expect("the Prism log");
        let child = Command::new("bash")
            .arg(prism_sh)
            .args(args)
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("the Prism log"))
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

    /// A request Prism must flag, to show a suite's check can fail: a
    /// droplet create whose `size` is a number (Prism answers it 422; the
    /// simulator never sees it).
    pub fn violating_create(&self, token: &str) -> http::Request<Vec<u8>> {
        http::Request::post(format!("{}/v2/droplets", self.url))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(VIOLATING_CREATE.as_bytes().to_vec())
            .expect("a valid request")
    }

    /// The log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The lines of the log that report a violation.
    pub fn flagged_lines(&self) -> Vec<String> {
        self.log_text()
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
pub fn flagged<B>(resp: &http::Response<B>) -> bool {
    resp.headers().get("sl-violations").is_some()
        || resp
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
}
