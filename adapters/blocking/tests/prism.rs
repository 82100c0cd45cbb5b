//! The blocking client through Prism's validating proxy in front of the
//! simulator: the life cycle, a listing over pages and a multi-droplet
//! wait, with zero violations of the official spec in requests and
//! responses.
//!
//! Needs the shared folder (`$DOAPI_SHARED`, else `<repo>/../shared`) and
//! node/npm for Prism. Prints SKIPPED when they are missing, unless
//! `DOAPI_REQUIRE_SHARED=1`.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::{builder, fast_sim, prism_flagged, tagged_spec};
use doapi_blocking::models::{ActionType, DropletStatus};
use doapi_blocking::{Limits, Transport, TransportError, Until, UreqTransport};
use doapi_core::http::{Request, Response};
use doapi_sim::prism::proxied;

/// The real transport, noting every response Prism flagged.
struct Checked {
    inner: UreqTransport,
    sent: AtomicU64,
    flagged: Arc<Mutex<Vec<String>>>,
}

impl Transport for Checked {
    fn send(&self, req: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let what = format!("{} {}", req.method(), req.uri());
        self.sent.fetch_add(1, Ordering::Relaxed);
        let resp = self.inner.send(req)?;
        if prism_flagged(&resp) {
            self.flagged.lock().unwrap().push(format!(
                "{what}: {} {:?} {}",
                resp.status(),
                resp.headers().get("sl-violations"),
                String::from_utf8_lossy(resp.body())
            ));
        }
        Ok(resp)
    }
}

#[test]
fn the_life_cycle_a_listing_and_a_wait_conform_to_the_spec_through_prism() {
    let Some((server, prism)) = proxied(fast_sim()) else {
        return;
    };
    let flagged = Arc::new(Mutex::new(Vec::new()));
    let transport = Arc::new(Checked {
        inner: UreqTransport::new(Limits::default()),
        sent: AtomicU64::new(0),
        flagged: flagged.clone(),
    });
    let c = builder(&prism.url)
        .per_page(5)
        .transport(transport.clone())
        .build()
        .unwrap();

    // The life cycle.
    let d = c
        .create_droplet("prism-1", tagged_spec(&["prism"]))
        .unwrap();
    let d = c
        .wait_droplet(d.id, Until::Status(DropletStatus::Active))
        .unwrap();
    assert!(d.ip_address().is_some());
    let reboot = c.reboot(d.id).unwrap();
    assert_eq!(reboot.kind, ActionType::Reboot);
    assert!(c
        .wait_for_droplet_action(d.id)
        .unwrap()
        .unwrap()
        .is_active());
    c.power_off(d.id).unwrap();
    let off = c.wait_for_droplet_action(d.id).unwrap().unwrap();
    assert_eq!(off.status, DropletStatus::Off);
    c.snapshot(d.id, "prism-snap").unwrap();
    c.wait_for_droplet_action(d.id).unwrap();
    let snaps: Vec<_> = c
        .fetch_all_snapshots(d.id)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(snaps.len(), 1);

    // A listing over pages (links through the proxy).
    let sizes: Vec<_> = c.fetch_all_sizes().collect::<Result<_, _>>().unwrap();
    assert!(sizes.len() > 5);

    // A wait on several droplets, by tag.
    let more = c
        .create_multiple_droplets(
            vec!["prism-2".into(), "prism-3".into(), "prism-4".into()],
            tagged_spec(&["prism"]),
        )
        .unwrap();
    let active: Vec<_> = c
        .wait_droplets(more, Until::Status(DropletStatus::Active))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(active.len(), 3);
    assert!(server.stats().requests_to("GET /v2/droplets") > 0);

    c.delete_droplet(d.id).unwrap();
    assert!(c.fetch_droplet(d.id).unwrap_err().is_not_found());
    c.delete_droplets_by_tag("prism").unwrap();

    let sent = transport.sent.load(Ordering::Relaxed);
    let flagged = flagged.lock().unwrap().clone();
    let lines = prism.flagged_lines();
    eprintln!(
        "Prism: {sent} requests, {} flagged responses, {} flagged log lines",
        flagged.len(),
        lines.len()
    );
    assert!(flagged.is_empty(), "{flagged:#?}");
    assert!(lines.is_empty(), "{lines:#?}");
    assert_eq!(
        server.stats().requests,
        sent,
        "every request reached the simulator"
    );

    // The check sees a violation when there is one.
    let bad = transport.inner.send(prism.violating_create(common::TOKEN));
    let bad = bad.expect("Prism answers");
    assert!(prism_flagged(&bad), "{bad:?}");
    assert_eq!(bad.status(), 422);
    assert_eq!(server.stats().requests, sent);
}
