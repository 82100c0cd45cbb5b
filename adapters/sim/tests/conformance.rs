//! Conformance to the official spec: every operation the client knows,
//! sent through Prism's validating proxy to the simulator, with zero
//! violations in requests and responses.
//!
//! Needs the shared folder (`$DOAPI_SHARED`, else `<repo>/../shared`) and
//! node/npm for Prism (`adapters/sim/ci/conformance.sh` installs them).
//! Skipped when they are missing, unless `DOAPI_REQUIRE_SHARED=1`.

mod common;

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{drive_every_operation, fast_config, shared_dir, skip_or_fail, Driver, Http};
use doapi_sim::{SimConfig, SimServer};

/// Stops the Prism process this test started.
struct Prism(Child);

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

#[test]
fn every_operation_conforms_to_the_spec_through_prism() {
    let prism_sh = shared_dir().join("tools/prism.sh");
    if !prism_sh.exists() {
        return skip_or_fail(&format!("{} not found", prism_sh.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return skip_or_fail("node is not installed (Prism needs node and npm)");
    }
    let install = Command::new("bash").arg(&prism_sh).arg("install").output();
    if !install.as_ref().is_ok_and(|o| o.status.success()) {
        let why = install.map_or_else(
            |e| e.to_string(),
            |o| String::from_utf8_lossy(&o.stderr).into_owned(),
        );
        return skip_or_fail(&format!("Prism could not be installed: {why}"));
    }
    let port = free_port();
    let prism_url = format!("http://127.0.0.1:{port}");
    let server = SimServer::start_blocking(SimConfig {
        public_url: Some(prism_url.clone()),
        ..fast_config()
    })
    .unwrap();
    let log_path = std::env::temp_dir().join(format!("doapi-sim-prism-{port}.log"));
    let log = File::create(&log_path).unwrap();
    let _prism = Prism(
        Command::new("bash")
            .arg(&prism_sh)
            .args(["proxy", &port.to_string(), server.url(), "--errors"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(300);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "Prism did not start; see {}",
            log_path.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    let mut d = Driver::new(Http, &prism_url, Duration::from_millis(25));
    let ops = drive_every_operation(&mut d, true);
    let prism_log = std::fs::read_to_string(&log_path).unwrap();
    let flagged: Vec<&str> = prism_log
        .lines()
        .filter(|l| l.contains("Violation") || l.contains("✖"))
        .collect();
    eprintln!(
        "Prism: {ops} operations, {} requests, {} flagged responses, {} flagged log lines",
        d.log.len(),
        d.violations.len(),
        flagged.len()
    );
    assert!(d.violations.is_empty(), "{:#?}", d.violations);
    assert!(flagged.is_empty(), "{flagged:#?}");
    assert_eq!(server.stats().requests as usize, d.log.len());
}
