//! The model under a virtual clock: no sockets, no sleeps.

mod common;

use std::time::Duration;

use common::{drive_every_operation, fast_config, Driver, InProcess};

#[test]
fn the_client_reads_every_response() {
    let mut d = Driver::new(
        InProcess::new(fast_config()),
        "http://127.0.0.1:9",
        Duration::from_millis(20),
    );
    let ops = drive_every_operation(&mut d, false);
    assert!(ops >= 55, "{ops} operations");
    let stats = d.wire.sim.stats();
    assert_eq!(stats.requests as usize, d.log.len());
}
