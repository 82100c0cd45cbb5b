//! Conformance to the official spec: every operation the client knows,
//! sent through Prism's validating proxy to the simulator, with zero
//! violations in requests and responses.
//!
//! Needs the shared folder (`$DOAPI_SHARED`, else `<repo>/../shared`) and
//! node/npm for Prism (`adapters/sim/ci/conformance.sh` installs them).
//! Skipped when they are missing, unless `DOAPI_REQUIRE_SHARED=1`.

mod common;

use std::time::Duration;

use common::{drive_every_operation, fast_config, Driver, Http};
use doapi_sim::prism::{free_port, skip_or_fail, Prism};
use doapi_sim::{SimConfig, SimServer};

#[test]
fn every_operation_conforms_to_the_spec_through_prism() {
    let prism_sh = match Prism::script() {
        Ok(p) => p,
        Err(why) => return skip_or_fail(&why),
    };
    let port = free_port();
    let prism_url = format!("http://127.0.0.1:{port}");
    let server = SimServer::start_blocking(SimConfig {
        public_url: Some(prism_url.clone()),
        ..fast_config()
    })
    .unwrap();
    let prism = Prism::start(&prism_sh, port, server.url());
    assert_eq!(prism.url, prism_url);

    let mut d = Driver::new(Http, &prism_url, Duration::from_millis(25));
    let ops = drive_every_operation(&mut d, true);
    let flagged = prism.flagged_lines();
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
