//! Each client through Prism's validating proxy in front of the simulator:
//! the life cycle, a listing over pages and a multi-droplet wait, with zero
//! violations of the official spec in requests and responses, and the
//! check shown to catch a bad request.
//!
//! Needs the shared folder (`$DOAPI_SHARED`, else `<repo>/../shared`) and
//! node/npm for Prism. Prints SKIPPED when they are missing, unless
//! `DOAPI_REQUIRE_SHARED=1`.

use doapi_conformance::{both, fast_sim, flagged_by_prism, prism, tagged_spec, Subject};
use doapi_core::endpoints::Raw;
use doapi_core::http::Method;
use doapi_core::models::{ActionType, DropletStatus};
use doapi_core::Until;

fn the_life_cycle_a_listing_and_a_wait_conform_to_the_spec_through_prism<C: Subject>() {
    let Some((server, prism)) = prism::proxied(fast_sim()) else {
        return;
    };
    // Every exchange is kept, with the response's headers.
    let (builder, cassette) = C::recording(C::builder_for(&prism.url).per_page(5));
    let c = builder.build().unwrap();

    // The life cycle.
    let d = c.ok(c.create_droplet("prism-1", tagged_spec(&["prism"])));
    let d = c.ok(c.wait_droplet(d.id, Until::Status(DropletStatus::Active)));
    assert!(d.ip_address().is_some());
    assert_eq!(c.ok(c.reboot(d.id)).kind, ActionType::Reboot);
    assert!(c.ok(c.wait_for_droplet_action(d.id)).unwrap().is_active());
    c.ok(c.power_off(d.id));
    let off = c.ok(c.wait_for_droplet_action(d.id)).unwrap();
    assert_eq!(off.status, DropletStatus::Off);
    c.ok(c.snapshot(d.id, "prism-snap"));
    c.ok(c.wait_for_droplet_action(d.id));
    assert_eq!(c.all(c.fetch_all_snapshots(d.id)).len(), 1);

    // A listing over pages (links through the proxy).
    assert!(c.all(c.fetch_all_sizes()).len() > 5);

    // A wait on several droplets, by tag.
    let names = vec!["prism-2".into(), "prism-3".into(), "prism-4".into()];
    let more = c.ok(c.create_multiple_droplets(names, tagged_spec(&["prism"])));
    let up = Until::Status(DropletStatus::Active);
    assert_eq!(c.finished(c.wait_droplets(more, up)).len(), 3);
    assert!(server.stats().requests_to("GET /v2/droplets") > 0);

    c.ok(c.delete_droplet(d.id));
    assert!(c.err(c.fetch_droplet(d.id)).is_not_found());
    c.ok(c.delete_droplets_by_tag("prism"));

    let lines = cassette.lines();
    let sent = lines.len() as u64;
    let flagged_responses: Vec<_> = lines.iter().filter(|l| flagged_by_prism(l)).collect();
    let flagged_log = prism.flagged_lines();
    let (responses, log) = (flagged_responses.len(), flagged_log.len());
    let client = C::NAME;
    eprintln!("Prism, {client}: {sent} requests, {responses}+{log} flagged");
    assert!(flagged_responses.is_empty(), "{flagged_responses:#?}");
    assert!(flagged_log.is_empty(), "{flagged_log:#?}");
    let reached = server.stats().requests;
    assert_eq!(reached, sent, "every request reached the simulator");

    // The check sees a violation when there is one: a create whose size is
    // a number, answered by Prism, never seen by the simulator.
    let body = serde_json::from_str(prism::VIOLATING_CREATE).unwrap();
    let bad = Raw {
        method: Method::POST,
        url: "/v2/droplets".into(),
        query: vec![],
        body,
    };
    let err = c.err(c.request(bad));
    assert_eq!(err.api().map(|a| a.status.as_u16()), Some(422), "{err:?}");
    let last = cassette.lines().pop().unwrap();
    assert!(flagged_by_prism(&last), "{last}");
    assert_eq!(server.stats().requests, sent);
}

both!(the_life_cycle_a_listing_and_a_wait_conform_to_the_spec_through_prism);
