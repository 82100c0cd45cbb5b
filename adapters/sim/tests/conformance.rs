//! Conformance to the official spec: every operation the client knows,
//! sent through Prism's validating proxy to the simulator, with zero
//! violations in requests and responses.
//!
//! Needs the shared folder (`$DOAPI_SHARED`, else `<repo>/../shared`) and
//! node/npm for Prism (`adapters/sim/ci/conformance.sh` installs them).
//! Skipped when they are missing, unless `DOAPI_REQUIRE_SHARED=1`.

mod common;

use std::time::Duration;

use common::{drive_every_operation, fast_config, stack, Driver, Http};
use doapi_sim::prism::proxied;
use doapi_sim::Sim;

#[test]
fn every_operation_conforms_to_the_spec_through_prism() {
    let Some((server, prism)) = proxied(fast_config()) else {
        return;
    };
    let prism_url = prism.url.clone();

    let mut d = Driver::new(Http, &prism_url, Duration::from_millis(25));
    let ops = drive_every_operation(&mut d, true);
    let core_requests = d.log.len();
    // The droplet's neighbours: every other route, by hand.
    stack::drive_stack(&mut d, true);
    let flagged = prism.flagged_lines();
    eprintln!(
        "Prism: {ops} operations ({core_requests} requests) and the stack ({} requests), {} flagged responses, {} flagged log lines",
        d.log.len() - core_requests,
        d.violations.len(),
        flagged.len()
    );
    assert!(d.violations.is_empty(), "{:#?}", d.violations);
    assert!(flagged.is_empty(), "{flagged:#?}");
    assert_eq!(server.stats().requests as usize, d.log.len());
    // Every route was sent but actions by tag (which no request can send
    // in conformance with the spec).
    let stats = server.stats();
    let unsent: Vec<&str> = Sim::routes()
        .filter(|r| stats.requests_to(r) == 0 && *r != "POST /v2/droplets/actions")
        .collect();
    assert!(unsent.is_empty(), "never sent: {unsent:#?}");
}
