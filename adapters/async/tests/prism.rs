//! The async client through Prism's validating proxy in front of the
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

use common::{
    builder, fast_sim, free_port, prism_flagged, skip_or_fail, start, tagged_spec, Prism,
};
use doapi_async::models::{ActionType, DropletStatus};
use doapi_async::{Limits, ReqwestTransport, Transport, TransportError, Until};
use doapi_core::http::{Request, Response};
use doapi_sim::SimConfig;
use futures::future::BoxFuture;
use futures::TryStreamExt;

/// The real transport, noting every response Prism flagged.
struct Checked {
    inner: ReqwestTransport,
    sent: AtomicU64,
    flagged: Arc<Mutex<Vec<String>>>,
}

impl Checked {
    async fn check(&self, req: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let what = format!("{} {}", req.method(), req.uri());
        self.sent.fetch_add(1, Ordering::Relaxed);
        let resp = self.inner.send(req).await?;
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

impl Transport for Checked {
    fn send(
        &self,
        req: Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response<Vec<u8>>, TransportError>> {
        Box::pin(self.check(req))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_life_cycle_a_listing_and_a_wait_conform_to_the_spec_through_prism() {
    let prism_sh = match Prism::script() {
        Ok(p) => p,
        Err(why) => return skip_or_fail(&why),
    };
    let port = free_port();
    let server = start(SimConfig {
        // Links point at the proxy, so following them goes through it too.
        public_url: Some(format!("http://127.0.0.1:{port}")),
        ..fast_sim()
    })
    .await;
    let upstream = server.url().to_owned();
    let prism = tokio::task::spawn_blocking(move || Prism::start(&prism_sh, port, &upstream))
        .await
        .unwrap();
    let flagged = Arc::new(Mutex::new(Vec::new()));
    let transport = Arc::new(Checked {
        inner: ReqwestTransport::new(Limits::default()).unwrap(),
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
        .await
        .unwrap();
    let d = c
        .wait_droplet(d.id, Until::Status(DropletStatus::Active))
        .await
        .unwrap();
    assert!(d.ip_address().is_some());
    let reboot = c.reboot(d.id).await.unwrap();
    assert_eq!(reboot.kind, ActionType::Reboot);
    assert!(c
        .wait_for_droplet_action(d.id)
        .await
        .unwrap()
        .unwrap()
        .is_active());
    c.power_off(d.id).await.unwrap();
    let off = c.wait_for_droplet_action(d.id).await.unwrap().unwrap();
    assert_eq!(off.status, DropletStatus::Off);
    c.snapshot(d.id, "prism-snap").await.unwrap();
    c.wait_for_droplet_action(d.id).await.unwrap();
    let snaps: Vec<_> = c.fetch_all_snapshots(d.id).try_collect().await.unwrap();
    assert_eq!(snaps.len(), 1);

    // A listing over pages (links through the proxy).
    let sizes: Vec<_> = c.fetch_all_sizes().try_collect().await.unwrap();
    assert!(sizes.len() > 5);

    // A wait on several droplets, by tag.
    let more = c
        .create_multiple_droplets(
            vec!["prism-2".into(), "prism-3".into(), "prism-4".into()],
            tagged_spec(&["prism"]),
        )
        .await
        .unwrap();
    let active: Vec<_> = c
        .wait_droplets(more, Until::Status(DropletStatus::Active))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(active.len(), 3);
    assert!(server.stats().requests_to("GET /v2/droplets") > 0);

    c.delete_droplet(d.id).await.unwrap();
    assert!(c.fetch_droplet(d.id).await.unwrap_err().is_not_found());
    c.delete_droplets_by_tag("prism").await.unwrap();

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
    let bad = bad.await.expect("Prism answers");
    assert!(prism_flagged(&bad), "{bad:?}");
    assert_eq!(bad.status(), 422);
    assert_eq!(server.stats().requests, sent);
}
