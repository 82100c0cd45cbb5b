//! The machines under the fake clock and recorded responses: what they
//! send, what they yield, and how much virtual time it takes.

use std::time::Duration;

use doapi_core::endpoints::{ActionTarget, CreateDroplet, DropletSpec, GetDroplet, ListDroplets};
use doapi_core::http::Request;
use doapi_core::models::{Droplet, DropletStatus};
use doapi_core::testing::{drive, Exchange, FakeClock, Harness, Replay, ReplayError};
use doapi_core::{
    Call, Cancel, Config, Error, Machine, Paginator, RequestError, Resource, RetryPolicy, Tag,
    Target, TargetState, Token, TransportError, TransportErrorKind, Until, WaitActions,
    WaitActionsOnObjects, WaitDroplets, WaitForAction,
};
use serde_json::{json, Value};

const API: &str = "https://api.digitalocean.com";
/// `Date` of the recorded responses, and the same instant in epoch seconds.
const DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";
const DATE_EPOCH: u64 = 784_111_777;

fn config() -> Config {
    Config::new(Token::new("test-token").unwrap())
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn exact() -> RetryPolicy {
    RetryPolicy::default().without_jitter()
}

/// "METHOD path?query" of each request sent.
fn lines(sent: &[Request<Vec<u8>>]) -> Vec<String> {
    sent.iter()
        .map(|r| format!("{} {}", r.method(), r.uri().path_and_query().unwrap()))
        .collect()
}

fn droplet(id: u64, status: &str, tags: &[&str]) -> Value {
    json!({
        "id": id, "name": format!("d{id}"), "memory": 1024, "vcpus": 1, "disk": 25,
        "locked": false, "status": status, "created_at": "2020-07-21T18:37:44Z",
        "features": [], "backup_ids": [], "snapshot_ids": [], "volume_ids": [],
        "image": {"id": 63663980, "slug": "ubuntu-24-04-x64"},
        "size": {"slug": "s-1vcpu-1gb", "memory": 1024, "vcpus": 1, "disk": 25, "transfer": 1,
                 "price_monthly": 5, "price_hourly": 0.00744, "regions": ["nyc3"],
                 "available": true, "description": "Basic"},
        "size_slug": "s-1vcpu-1gb",
        "networks": {"v4": [], "v6": []},
        "region": {"name": "New York 3", "slug": "nyc3", "features": [], "available": true, "sizes": []},
        "tags": tags,
    })
}

fn droplet_value(id: u64, status: &str, tags: &[&str]) -> Droplet {
    serde_json::from_value(droplet(id, status, tags)).unwrap()
}

fn one_droplet(id: u64, status: &str) -> Value {
    json!({ "droplet": droplet(id, status, &[]) })
}

fn action(id: u64, status: &str, kind: &str) -> Value {
    json!({ "action": {"id": id, "status": status, "type": kind,
                       "resource_id": 1, "resource_type": "droplet"} })
}

fn page(key: &str, items: Vec<Value>, next: Option<&str>, total: u64) -> Value {
    let pages = match next {
        Some(n) => json!({ "next": n }),
        None => json!({}),
    };
    json!({ key: items, "links": { "pages": pages }, "meta": { "total": total } })
}

fn get_404(url: &str) -> Exchange {
    Exchange::get(url).json(
        404,
        &json!({"id": "not_found", "message": "The resource you were accessing could not be found."}),
    )
}

// ---------------------------------------------------------------- pagination

#[test]
fn three_pages_then_the_end() {
    let config = config().with_per_page(2);
    let p2 = format!("{API}/v2/droplets?page=2&per_page=2");
    let p3 = format!("{API}/v2/droplets?page=3&per_page=2");
    let d = |id| droplet(id, "active", &[]);
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/droplets?per_page=2")
                .json(200, &page("droplets", vec![d(1), d(2)], Some(&p2), 5)),
        )
        .then(Exchange::get(&p2).json(200, &page("droplets", vec![d(3), d(4)], Some(&p3), 5)))
        .then(Exchange::get(&p3).json(200, &page("droplets", vec![d(5)], None, 5)));
    let mut h = Harness::new(replay);
    let mut pages = Paginator::new(&config, ListDroplets::default());

    // Lazy: one page fetched per page taken.
    let first = h.next_output(&mut pages).unwrap().unwrap().unwrap();
    assert_eq!(first.value.items.len(), 2);
    assert_eq!(h.sent().len(), 1);
    assert_eq!(pages.page_count(), Some(3));
    assert_eq!(pages.remaining_hint(), Some(3));

    let rest = h.run(&mut pages).unwrap();
    let ids: Vec<u64> = rest
        .into_iter()
        .flat_map(|p| p.unwrap().value.items)
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, [3, 4, 5]);
    assert_eq!(
        lines(h.sent()),
        [
            "GET /v2/droplets?per_page=2",
            "GET /v2/droplets?page=2&per_page=2",
            "GET /v2/droplets?page=3&per_page=2"
        ]
    );
    assert!(pages.is_finished());
    assert_eq!(pages.remaining_hint(), Some(0));
    assert_eq!(h.elapsed(), Duration::ZERO);
}

#[test]
fn page_count_from_meta_total() {
    let next = format!("{API}/v2/droplets?page=2&per_page=200");
    let replay = Replay::new().then(
        Exchange::get("/v2/droplets?tag_name=web&per_page=200").json(
            200,
            &page(
                "droplets",
                vec![droplet(1, "active", &["web"])],
                Some(&next),
                450,
            ),
        ),
    );
    let mut h = Harness::new(replay);
    let mut pages = Paginator::new(
        &config(),
        ListDroplets {
            tag_name: Some("web".into()),
        },
    );
    assert_eq!(pages.page_count(), None);
    let first = h.next_output(&mut pages).unwrap().unwrap().unwrap();
    assert_eq!(first.value.total(), Some(450));
    assert_eq!(pages.total(), Some(450));
    assert_eq!(pages.page_count(), Some(3));
    assert_eq!(pages.pages_fetched(), 1);
    assert_eq!(pages.remaining_hint(), Some(449));
}

#[test]
fn foreign_origin_next_is_refused_without_sending_it() {
    let evil = "https://api.digitalocean.com.evil.test/v2/droplets?page=2";
    // Only the first page is recorded: had the paginator sent the second
    // request, the replay would fail with `Unexpected`.
    let replay = Replay::new().then(Exchange::get("/v2/droplets?per_page=200").json(
        200,
        &page("droplets", vec![droplet(1, "active", &[])], Some(evil), 2),
    ));
    let run = drive(
        &mut Paginator::new(&config(), ListDroplets::default()),
        replay,
    )
    .unwrap();
    assert_eq!(run.sent.len(), 1);
    assert_eq!(run.outputs.len(), 2);
    assert!(run.outputs[0].is_ok());
    match &run.outputs[1] {
        // The server's answer, not the caller's input.
        Err(Error::BadNext(RequestError::ForeignOrigin { url, .. })) => assert_eq!(url, evil),
        other => panic!("{other:?}"),
    }
}

#[test]
fn repeated_next_is_refused() {
    let p2 = format!("{API}/v2/droplets?page=2&per_page=200");
    let d = |id| droplet(id, "active", &[]);
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/droplets?per_page=200")
                .json(200, &page("droplets", vec![d(1)], Some(&p2), 3)),
        )
        .then(Exchange::get(&p2).json(200, &page("droplets", vec![d(2)], Some(&p2), 3)));
    // Following next links (pages fetched by number never repeat).
    let mut config = config();
    config.allowance.pages_in_flight = 1;
    let mut pages = Paginator::new(&config, ListDroplets::default());
    let run = drive(&mut pages, replay).unwrap();
    assert_eq!(run.sent.len(), 2);
    assert_eq!(run.outputs.len(), 3);
    assert_eq!(
        run.outputs[2].as_ref().unwrap_err(),
        &Error::RepeatedNext { url: p2 }
    );
    // The error is final: nothing more is sent, later inputs are ignored.
    assert!(pages.poll_request().is_none());
    assert!(pages.poll_timeout().is_none());
    let late = TransportError::new(TransportErrorKind::Io, "late");
    pages.handle_transport_error(FakeClock::new().now(), late);
    assert!(pages.poll_output().is_none());
}

#[test]
fn each_page_goes_through_the_retry_policy() {
    let p2 = format!("{API}/v2/droplets?page=2&per_page=200");
    let d = |id| droplet(id, "active", &[]);
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/droplets?per_page=200")
                .json(200, &page("droplets", vec![d(1)], Some(&p2), 2)),
        )
        .then(Exchange::get(&p2).respond(502, "bad gateway"))
        .then(Exchange::get(&p2).transport_error(TransportErrorKind::Io))
        .then(Exchange::get(&p2).json(200, &page("droplets", vec![d(2)], None, 2)));
    let mut pages = Paginator::new(&config().with_retry(exact()), ListDroplets::default());
    let run = drive(&mut pages, replay).unwrap();
    assert_eq!(run.outputs.len(), 2);
    assert!(run.outputs.iter().all(Result::is_ok));
    assert_eq!(run.elapsed, secs(1 + 2));
}

// --------------------------------------------------------------------- retry

#[test]
fn a_429_waits_as_long_as_retry_after_says() {
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/droplets/1")
                .respond(429, "slow down")
                .header("retry-after", "7"),
        )
        .then(Exchange::get("/v2/droplets/1").json(200, &one_droplet(1, "active")));
    let mut call = Call::new(&config(), GetDroplet { id: 1 });
    let run = drive(&mut call, replay).unwrap();
    assert_eq!(run.sent.len(), 2);
    assert_eq!(run.elapsed, secs(7));
    assert_eq!(run.outputs[0].as_ref().unwrap().value.id, 1);
    assert_eq!(call.attempts(), 2);
}

#[test]
fn a_429_without_retry_after_waits_for_the_reset_by_the_servers_date() {
    // The recorded Date is in 1994: a delay taken from the local clock
    // would be decades, not 45 s.
    let reset = (DATE_EPOCH + 45).to_string();
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/droplets/1")
                .json(
                    429,
                    &json!({"id": "too_many_requests", "message": "API Rate limit exceeded."}),
                )
                .header("date", DATE)
                .header("ratelimit-limit", "250")
                .header("ratelimit-remaining", "0")
                .header("ratelimit-reset", reset.as_str()),
        )
        .then(Exchange::get("/v2/droplets/1").json(200, &one_droplet(1, "active")));
    let run = drive(&mut Call::new(&config(), GetDroplet { id: 1 }), replay).unwrap();
    assert_eq!(run.sent.len(), 2);
    assert_eq!(run.elapsed, secs(45));
    assert!(run.outputs[0].is_ok());
}

#[test]
fn a_503_three_times_then_success_with_capped_backoff() {
    let mut policy = exact();
    policy.max_backoff = secs(2);
    let replay = || {
        Replay::new()
            .then(Exchange::get("/v2/droplets/1").respond(503, ""))
            .then(Exchange::get("/v2/droplets/1").respond(503, ""))
            .then(Exchange::get("/v2/droplets/1").respond(503, ""))
            .then(Exchange::get("/v2/droplets/1").json(200, &one_droplet(1, "active")))
    };
    let run = drive(
        &mut Call::new(&config().with_retry(policy.clone()), GetDroplet { id: 1 }),
        replay(),
    )
    .unwrap();
    assert_eq!(run.sent.len(), 4);
    assert!(run.outputs[0].is_ok());
    // 1 s, 2 s, then capped at 2 s.
    assert_eq!(run.elapsed, secs(1 + 2 + 2));

    // With jitter each delay is in its upper half, and a seed repeats it.
    policy.jitter = true;
    policy.seed = Some(99);
    let jittered = |p: &RetryPolicy| {
        drive(
            &mut Call::new(&config().with_retry(p.clone()), GetDroplet { id: 1 }),
            replay(),
        )
        .unwrap()
        .elapsed
    };
    let a = jittered(&policy);
    assert!(a >= Duration::from_millis(2500) && a <= secs(5), "{a:?}");
    assert_ne!(a, secs(5));
    assert_eq!(a, jittered(&policy));
}

fn create() -> CreateDroplet {
    CreateDroplet {
        name: "web-1".into(),
        spec: DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3"),
    }
}

#[test]
fn a_post_is_not_retried_after_a_500() {
    let body = json!({"name": "web-1", "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"});
    let replay = Replay::new().then(Exchange::post("/v2/droplets").expect_json(body).json(
        500,
        &json!({"id": "server_error", "message": "Unexpected server-side error"}),
    ));
    let run = drive(&mut Call::new(&config(), create()), replay).unwrap();
    assert_eq!(run.sent.len(), 1);
    let err = run.outputs[0].as_ref().unwrap_err();
    let api = err.api().unwrap();
    assert_eq!((api.status.as_u16(), api.attempts), (500, 1));
    assert_eq!(api.id.as_deref(), Some("server_error"));

    // Nor after a failure once the request may have been sent.
    let replay = Replay::new()
        .then(Exchange::post("/v2/droplets").transport_error(TransportErrorKind::Timeout));
    let run = drive(&mut Call::new(&config(), create()), replay).unwrap();
    assert_eq!(
        run.outputs[0].as_ref().unwrap_err(),
        &Error::Transport {
            kind: TransportErrorKind::Timeout,
            message: "replayed".into(),
            attempts: 1
        }
    );
}

#[test]
fn a_post_is_retried_after_a_429_and_after_a_failed_connect() {
    let body = json!({"name": "web-1", "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"});
    let post = || Exchange::post("/v2/droplets").expect_json(body.clone());
    let replay = Replay::new()
        .then(post().transport_error(TransportErrorKind::Connect))
        .then(post().respond(429, "").header("retry-after", "3"))
        .then(post().json(202, &one_droplet(7, "new")));
    let mut call = Call::new(&config().with_retry(exact()), create());
    let run = drive(&mut call, replay).unwrap();
    assert_eq!(run.sent.len(), 3);
    assert_eq!(run.elapsed, secs(1 + 3));
    assert_eq!(run.outputs[0].as_ref().unwrap().value.id, 7);
}

#[test]
fn the_total_deadline_ends_the_retries() {
    let mut policy = exact();
    policy.max_attempts = 10;
    policy.deadline = Some(secs(10));
    let mut replay = Replay::new();
    for _ in 0..4 {
        replay.push(Exchange::get("/v2/droplets/1").respond(503, "unavailable"));
    }
    let run = drive(
        &mut Call::new(&config().with_retry(policy), GetDroplet { id: 1 }),
        replay,
    )
    .unwrap();
    // Answers at 0, 1, 3 and 7 s; the next retry would start at 15 s.
    assert_eq!(run.sent.len(), 4);
    assert_eq!(run.elapsed, secs(7));
    match run.outputs[0].as_ref().unwrap_err() {
        err @ Error::DeadlineExceeded { attempts: 4, last } => {
            assert_eq!(last.api().unwrap().attempts, 4);
            assert_eq!(err.api().unwrap().status.as_u16(), 503);
            assert_eq!(err.attempts(), Some(4));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn attempts_run_out() {
    let mut policy = exact();
    policy.max_attempts = 3;
    let mut replay = Replay::new();
    for _ in 0..3 {
        replay.push(Exchange::get("/v2/droplets/1").transport_error(TransportErrorKind::Io));
    }
    let run = drive(
        &mut Call::new(&config().with_retry(policy), GetDroplet { id: 1 }),
        replay,
    )
    .unwrap();
    assert_eq!(
        run.outputs,
        [Err(Error::Transport {
            kind: TransportErrorKind::Io,
            message: "replayed".into(),
            attempts: 3
        })]
    );
    assert_eq!(run.elapsed, secs(1 + 2));
}

#[test]
fn spurious_timeouts_are_no_ops() {
    let mut h = Harness::new(Replay::new().then(Exchange::get("/v2/droplets/1").respond(503, "")));
    let mut call = Call::new(&config().with_retry(exact()), GetDroplet { id: 1 });
    let req = call.poll_request().unwrap();
    let (answer, _) = h.replay.answer(req).unwrap();
    call.handle_answer(h.now(), answer);
    let at = call.poll_timeout().unwrap();
    assert_eq!(at, h.now() + secs(1));
    call.handle_timeout(h.now() + Duration::from_millis(999));
    assert!(call.poll_request().is_none());
    assert_eq!(call.poll_timeout(), Some(at));
    call.handle_timeout(at);
    assert!(call.poll_request().is_some());
}

#[test]
fn an_invalid_operation_sends_nothing() {
    let mut bad = create();
    bad.name = "not a host name".into();
    let run = drive(&mut Call::new(&config(), bad), Replay::new()).unwrap();
    assert!(run.sent.is_empty());
    assert!(matches!(
        run.outputs[..],
        [Err(Error::Request(RequestError::InvalidDropletName { .. }))]
    ));
}

// ---------------------------------------------------------------------- wait

fn active() -> Until {
    Until::Status(DropletStatus::Active)
}

#[test]
fn a_new_droplet_polled_three_times_then_active() {
    let mut replay = Replay::new();
    for status in ["new", "new", "new", "active"] {
        replay.push(Exchange::get("/v2/droplets/5").json(200, &one_droplet(5, status)));
    }
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplet_ids(&config(), [5], active(), h.now());
    let out = h.run(&mut wait).unwrap();
    assert_eq!(out.len(), 1);
    assert!(out[0].as_ref().unwrap().is_active());
    assert_eq!(h.sent().len(), 4);
    assert_eq!(h.elapsed(), secs(6));
}

#[test]
fn locked_is_waited_on_too() {
    let mut locked = droplet(5, "active", &[]);
    locked["locked"] = json!(true);
    let replay = Replay::new()
        .then(Exchange::get("/v2/droplets/5").json(200, &json!({ "droplet": locked })))
        .then(Exchange::get("/v2/droplets/5").json(200, &one_droplet(5, "active")));
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplet_ids(&config(), [5], Until::Locked(false), h.now());
    let out = h.run(&mut wait).unwrap();
    assert!(!out[0].as_ref().unwrap().locked);
    assert_eq!(h.elapsed(), secs(2));
}

/// A page listing droplets `ids` with a status each.
fn listing(
    ids: std::ops::RangeInclusive<u64>,
    status: impl Fn(u64) -> &'static str,
    tags: &[&str],
) -> Value {
    let items: Vec<Value> = ids
        .clone()
        .map(|id| droplet(id, status(id), tags))
        .collect();
    let total = items.len() as u64;
    page("droplets", items, None, total)
}

#[test]
fn a_hundred_droplets_with_a_shared_tag_cost_one_listing_per_round() {
    let tagged = "/v2/droplets?tag_name=batch&per_page=200";
    let replay = Replay::new()
        .then(Exchange::get(tagged).json(200, &listing(1..=100, |_| "new", &["batch", "web"])))
        .then(Exchange::get(tagged).json(
            200,
            &listing(
                1..=100,
                |id| if id <= 50 { "active" } else { "new" },
                &["batch", "web"],
            ),
        ))
        .then(Exchange::get(tagged).json(200, &listing(1..=100, |_| "active", &["batch", "web"])));
    let droplets: Vec<Droplet> = (1..=100)
        .map(|id| droplet_value(id, "new", &["web", "batch"]))
        .collect();
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplets(&config(), droplets, active(), h.now()).with_tag("batch");
    let out = h.run(&mut wait).unwrap();
    let ids: Vec<u64> = out.iter().map(|d| d.as_ref().unwrap().id).collect();
    assert_eq!(ids, (1..=100).collect::<Vec<_>>());
    // 3 rounds, 3 requests; one GET per pending droplet would be 100 + 100 + 50.
    assert_eq!(h.sent().len(), 3);
    assert_eq!(h.elapsed(), secs(4));
}

#[test]
fn a_tag_every_droplet_carries_is_found_without_being_given() {
    let tagged = "/v2/droplets?tag_name=web&per_page=200";
    let replay = Replay::new()
        .then(Exchange::get(tagged).json(
            200,
            &listing(1..=3, |id| if id == 2 { "active" } else { "new" }, &["web"]),
        ))
        .then(Exchange::get(tagged).json(200, &listing(1..=3, |_| "active", &["web"])));
    let droplets = [
        droplet_value(1, "new", &["web", "a"]),
        droplet_value(2, "new", &["b", "web"]),
        droplet_value(3, "new", &["web"]),
    ];
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplets(&config(), droplets, active(), h.now());
    let ids: Vec<u64> = h
        .run(&mut wait)
        .unwrap()
        .into_iter()
        .map(|d| d.unwrap().id)
        .collect();
    assert_eq!(ids, [2, 1, 3]); // completion order
    assert_eq!(h.sent().len(), 2);
}

#[test]
fn a_tag_that_does_not_show_the_droplets_is_dropped() {
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/droplets?tag_name=wrong&per_page=200")
                .json(200, &page("droplets", vec![], None, 0)),
        )
        .then(Exchange::get("/v2/droplets/1").json(200, &one_droplet(1, "new")))
        .then(Exchange::get("/v2/droplets/2").json(200, &one_droplet(2, "new")))
        // The tag listing cost 1 + 2 requests, no better than two GETs: the
        // next round tries the full listing instead.
        .then(
            Exchange::get("/v2/droplets?per_page=200")
                .json(200, &listing(1..=4, |_| "active", &[])),
        );
    let mut h = Harness::new(replay);
    let mut wait =
        WaitDroplets::droplet_ids(&config(), [1, 2], active(), h.now()).with_tag("wrong");
    assert_eq!(h.run(&mut wait).unwrap().len(), 2);
    assert_eq!(h.elapsed(), secs(2));
}

#[test]
fn a_small_account_is_listed_whole() {
    let all = "/v2/droplets?per_page=200";
    let replay = Replay::new()
        .then(Exchange::get(all).json(200, &listing(1..=8, |_| "new", &[])))
        .then(Exchange::get(all).json(
            200,
            &listing(1..=8, |id| if id == 3 { "new" } else { "active" }, &[]),
        ))
        // One droplet left: a single GET costs the same and reads less.
        .then(Exchange::get("/v2/droplets/3").json(200, &one_droplet(3, "active")));
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplet_ids(&config(), [2, 3, 5, 7], active(), h.now());
    let out = h.run(&mut wait).unwrap();
    assert_eq!(out.len(), 4);
    assert_eq!(
        lines(h.sent()),
        [
            format!("GET {all}"),
            format!("GET {all}"),
            "GET /v2/droplets/3".into()
        ]
    );
}

#[test]
fn a_large_account_falls_back_to_single_gets() {
    let all = "/v2/droplets?per_page=200";
    let next = format!("{API}/v2/droplets?page=2&per_page=200");
    let others: Vec<Value> = (100..300).map(|id| droplet(id, "active", &[])).collect();
    let mut replay = Replay::new()
        .then(Exchange::get(all).json(200, &page("droplets", others, Some(&next), 1000)));
    // The first page did not show them, and four more pages cost more than
    // three GETs: single GETs from then on.
    for round in 0..2 {
        for id in 1..=3 {
            let status = if round == 1 { "active" } else { "new" };
            replay.push(
                Exchange::get(format!("/v2/droplets/{id}")).json(200, &one_droplet(id, status)),
            );
        }
    }
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplet_ids(&config(), [1, 2, 3], active(), h.now());
    assert_eq!(h.run(&mut wait).unwrap().len(), 3);
    assert_eq!(h.sent().len(), 1 + 3 + 3);
    assert_eq!(h.elapsed(), secs(2));
}

#[test]
fn fewer_requests_than_doapi_for_create_many_wait() {
    // The peer baseline's `create_many_wait` (tools/peer/README.md): 25
    // droplets just created, untagged, `new` on the first poll and `active`
    // on the second (k_d = 2). doapi makes one GET per droplet per round:
    // 50 GETs. In a small account, one listing per round does it.
    let all = "/v2/droplets?per_page=200";
    let replay = Replay::new()
        .then(Exchange::get(all).json(200, &listing(1..=25, |_| "new", &[])))
        .then(Exchange::get(all).json(200, &listing(1..=25, |_| "active", &[])));
    let created: Vec<Droplet> = (1..=25).map(|id| droplet_value(id, "new", &[])).collect();
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplets(&config(), created, active(), h.now());
    assert_eq!(h.run(&mut wait).unwrap().len(), 25);
    assert_eq!(h.sent().len(), 2);
    assert_eq!(h.elapsed(), secs(2));
}

#[test]
fn a_budget_of_ten_requests_stretches_the_poll_interval() {
    // 10 requests left for 60 s: one poll every 6 s, not every 2 s.
    let budget = |e: Exchange, remaining: u64, at: u64| {
        e.header("date", httpdate(DATE_EPOCH + at))
            .header("ratelimit-limit", "250")
            .header("ratelimit-remaining", remaining.to_string())
            .header("ratelimit-reset", (DATE_EPOCH + 60).to_string())
    };
    let get = || Exchange::get("/v2/droplets/5");
    let replay = Replay::new()
        .then(budget(get().json(200, &one_droplet(5, "new")), 10, 0))
        .then(budget(get().json(200, &one_droplet(5, "new")), 9, 6))
        .then(budget(get().json(200, &one_droplet(5, "active")), 8, 12));
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplet_ids(&config(), [5], active(), h.now());
    assert_eq!(h.run(&mut wait).unwrap().len(), 1);
    assert_eq!(h.sent().len(), 3);
    assert_eq!(h.elapsed(), secs(12));

    // With the last request of the window left, the wait sleeps until the
    // reset.
    let replay = Replay::new()
        .then(budget(get().json(200, &one_droplet(5, "new")), 1, 20))
        .then(get().json(200, &one_droplet(5, "active")));
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplet_ids(&config(), [5], active(), h.now());
    assert_eq!(h.run(&mut wait).unwrap().len(), 1);
    assert_eq!(h.elapsed(), secs(40));
}

fn httpdate(epoch: u64) -> String {
    chrono::DateTime::from_timestamp(epoch as i64, 0)
        .unwrap()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

#[test]
fn a_404_right_after_create_is_tolerated() {
    let replay = Replay::new()
        .then(get_404("/v2/droplets/5"))
        .then(get_404("/v2/droplets/5"))
        .then(Exchange::get("/v2/droplets/5").json(200, &one_droplet(5, "active")));
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplet_ids(&config(), [5], active(), h.now());
    let out = h.run(&mut wait).unwrap();
    assert!(out[0].as_ref().unwrap().is_active());
    assert_eq!(h.sent().len(), 3);
    assert_eq!(h.elapsed(), secs(4));

    // After the grace, a 404 means the droplet is gone.
    let replay = Replay::new()
        .then(get_404("/v2/droplets/5"))
        .then(get_404("/v2/droplets/5"))
        .then(get_404("/v2/droplets/5"));
    let mut h = Harness::new(replay);
    let mut wait =
        WaitDroplets::droplet_ids(&config(), [5], active(), h.now()).with_not_found_grace(secs(3));
    let out = h.run(&mut wait).unwrap();
    assert_eq!(out.len(), 1);
    assert!(out[0].as_ref().unwrap_err().is_not_found());
    assert_eq!(h.elapsed(), secs(4));
}

#[test]
fn transient_errors_while_waiting_are_retried_with_backoff() {
    let replay = Replay::new()
        .then(Exchange::get("/v2/droplets/5").json(200, &one_droplet(5, "new")))
        .then(Exchange::get("/v2/droplets/5").respond(500, ""))
        .then(Exchange::get("/v2/droplets/5").transport_error(TransportErrorKind::Connect))
        .then(Exchange::get("/v2/droplets/5").json(200, &one_droplet(5, "active")));
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplet_ids(&config().with_retry(exact()), [5], active(), h.now());
    assert!(h.run(&mut wait).unwrap()[0].is_ok());
    assert_eq!(h.elapsed(), secs(2 + 1 + 2));
}

#[test]
fn an_action_in_progress_three_times_then_completed() {
    let mut replay = Replay::new();
    for status in ["in-progress", "in-progress", "in-progress", "completed"] {
        replay.push(Exchange::get("/v2/actions/9").json(200, &action(9, status, "reboot")));
    }
    let mut h = Harness::new(replay);
    let mut wait = WaitActions::action_ids(&config(), [9], h.now());
    let out = h.run(&mut wait).unwrap();
    assert!(out[0].as_ref().unwrap().is_completed());
    assert_eq!(h.sent().len(), 4);
    assert_eq!(h.elapsed(), secs(6));
}

#[test]
fn many_actions_are_read_from_the_newest_actions() {
    let acts = |done: bool| {
        let items = (1..=12)
            .map(|id| {
                action(
                    id,
                    if done || id % 2 == 0 {
                        "completed"
                    } else {
                        "in-progress"
                    },
                    "power_cycle",
                )["action"]
                    .clone()
            })
            .collect();
        page(
            "actions",
            items,
            Some(&format!("{API}/v2/actions?page=2&per_page=200")),
            5000,
        )
    };
    let replay = Replay::new()
        .then(Exchange::get("/v2/actions?per_page=200").json(200, &acts(false)))
        .then(Exchange::get("/v2/actions?per_page=200").json(200, &acts(true)));
    let mut h = Harness::new(replay);
    let mut wait = WaitActions::action_ids(&config(), 1..=12, h.now());
    let out = h.run(&mut wait).unwrap();
    assert_eq!(out.len(), 12);
    // One request per round instead of twelve, then six.
    assert_eq!(h.sent().len(), 2);
}

#[test]
fn an_errored_action_ends_the_wait_with_the_action() {
    let replay = Replay::new()
        .then(Exchange::get("/v2/actions/9").json(200, &action(9, "in-progress", "snapshot")))
        .then(Exchange::get("/v2/actions/9").json(200, &action(9, "errored", "snapshot")));
    let mut h = Harness::new(replay);
    let mut wait = WaitActions::action_ids(&config(), [9], h.now());
    let out = h.run(&mut wait).unwrap();
    match &out[..] {
        [Err(Error::ActionFailed(a))] => assert_eq!((a.id, a.is_errored()), (9, true)),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.elapsed(), secs(2));
}

#[test]
fn an_action_of_an_unknown_status_is_waited_on_never_taken_for_done() {
    // The action wait polls it to its time limit and reports it as seen.
    let mut config = config();
    config.wait_time = Some(secs(5));
    let mut replay = Replay::new();
    for _ in 0..3 {
        replay.push(Exchange::get("/v2/actions/9").json(200, &action(9, "paused", "reboot")));
    }
    let mut h = Harness::new(replay);
    let mut wait = WaitActions::action_ids(&config, [9], h.now());
    let out = h.run(&mut wait).unwrap();
    let [Err(Error::WaitTimeout(states))] = &out[..] else {
        panic!("{out:?}");
    };
    let seen = states.pending[0].action.as_ref().expect("seen");
    assert_eq!(seen.status.as_str(), "paused");
    assert!(states.finished.is_empty());
    // doapi's wait_for_action waits on it too, rather than fetch the
    // droplet as if the action had ended: then it completes.
    let last = "/v2/droplets/5/actions?per_page=1";
    let item = |status| action(77, status, "reboot")["action"].clone();
    let replay = Replay::new()
        .then(Exchange::get(last).json(200, &page("actions", vec![item("paused")], None, 1)))
        .then(Exchange::get("/v2/actions/77").json(200, &action(77, "completed", "reboot")))
        .then(Exchange::get("/v2/droplets/5").json(200, &one_droplet(5, "active")));
    let mut h = Harness::new(replay);
    let mut wait = WaitForAction::droplet(&config, 5, h.now());
    let out = h.run(&mut wait).unwrap();
    assert!(matches!(&out[..], [Ok(Some(d))] if d.id == 5), "{out:?}");
}

#[test]
fn a_wait_ends_with_one_error_only() {
    // The page ends the wait twice over: an errored action, and a `next`
    // that repeats the page. The first error is the only output.
    let all = format!("{API}/v2/actions?per_page=200");
    let items = vec![action(1, "errored", "reboot")["action"].clone()];
    let replay =
        Replay::new().then(Exchange::get(&all).json(200, &page("actions", items, Some(&all), 9)));
    let mut h = Harness::new(replay);
    let mut wait = WaitActions::action_ids(&config(), [1, 2], h.now());
    let out = h.run(&mut wait).unwrap();
    assert!(matches!(&out[..], [Err(Error::ActionFailed(a))] if a.id == 1));
}

#[test]
fn wait_for_action_on_a_deleted_droplet_returns_nothing() {
    let replay = Replay::new()
        .then(Exchange::get("/v2/droplets/5/actions?per_page=1").json(
            200,
            &page(
                "actions",
                vec![action(77, "in-progress", "destroy")["action"].clone()],
                None,
                3,
            ),
        ))
        .then(Exchange::get("/v2/actions/77").json(200, &action(77, "completed", "destroy")))
        .then(get_404("/v2/droplets/5"));
    let mut h = Harness::new(replay);
    let mut wait = WaitForAction::droplet(&config(), 5, h.now());
    let out = h.run(&mut wait).unwrap();
    assert_eq!(out, [Ok(None)]);
    // The action was just read, so its first poll is one interval later.
    assert_eq!(h.sent().len(), 3);
    assert_eq!(h.elapsed(), secs(2));
}

#[test]
fn wait_for_action_returns_the_final_state() {
    let replay = Replay::new()
        .then(Exchange::get("/v2/droplets/5/actions?per_page=1").json(
            200,
            &page(
                "actions",
                vec![action(78, "in-progress", "power_off")["action"].clone()],
                None,
                3,
            ),
        ))
        .then(Exchange::get("/v2/actions/78").json(200, &action(78, "in-progress", "power_off")))
        .then(Exchange::get("/v2/actions/78").json(200, &action(78, "completed", "power_off")))
        .then(Exchange::get("/v2/droplets/5").json(200, &one_droplet(5, "off")));
    let mut h = Harness::new(replay);
    let mut wait = WaitForAction::droplet(&config(), 5, h.now());
    let out = h.run(&mut wait).unwrap();
    assert!(out[0].as_ref().unwrap().as_ref().unwrap().is_off());
    assert_eq!(h.elapsed(), secs(4));

    // An action already done: the resource at once.
    let replay = Replay::new()
        .then(Exchange::get("/v2/droplets/5/actions?per_page=1").json(
            200,
            &page(
                "actions",
                vec![action(78, "completed", "power_off")["action"].clone()],
                None,
                3,
            ),
        ))
        .then(Exchange::get("/v2/droplets/5").json(200, &one_droplet(5, "off")));
    let mut h = Harness::new(replay);
    let mut wait = WaitForAction::droplet(&config(), 5, h.now());
    assert!(h.run(&mut wait).unwrap()[0].as_ref().unwrap().is_some());
    assert_eq!(h.sent().len(), 2);
    assert_eq!(h.elapsed(), Duration::ZERO);
}

#[test]
fn a_timeout_carries_the_finished_and_pending_states() {
    let mut config = config();
    config.wait_time = Some(secs(5));
    let all = "/v2/droplets?per_page=200";
    let replay = Replay::new()
        .then(Exchange::get(all).json(
            200,
            &listing(1..=2, |id| if id == 1 { "active" } else { "new" }, &[]),
        ))
        .then(Exchange::get("/v2/droplets/2").json(200, &one_droplet(2, "new")))
        .then(Exchange::get("/v2/droplets/2").json(200, &one_droplet(2, "new")));
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplet_ids(&config, [1, 2], active(), h.now());
    let out = h.run(&mut wait).unwrap();
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].as_ref().unwrap().id, 1);
    match out[1].as_ref().unwrap_err() {
        Error::WaitTimeout(states) => {
            assert_eq!(
                states
                    .finished
                    .iter()
                    .map(|s| s.target.clone())
                    .collect::<Vec<_>>(),
                [Target::Droplet(1)]
            );
            match &states.pending[..] {
                [TargetState {
                    resource: Some(Resource::Droplet(d)),
                    ..
                }] => assert_eq!((d.id, d.is_new()), (2, true)),
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.elapsed(), secs(5));
    assert_eq!(h.sent().len(), 3);
}

#[test]
fn no_wait_time_means_no_request() {
    let mut config = config();
    config.wait_time = Some(Duration::ZERO);
    let mut h = Harness::new(Replay::new());
    let mut wait = WaitDroplets::droplet_ids(&config, [1, 2], active(), h.now());
    let out = h.run(&mut wait).unwrap();
    assert!(matches!(&out[..], [Err(Error::WaitTimeout(s))] if s.pending.len() == 2));
    assert!(h.sent().is_empty());
}

#[test]
fn cancel_returns_the_current_states() {
    let all = "/v2/droplets?per_page=200";
    let replay = Replay::new().then(Exchange::get(all).json(
        200,
        &listing(1..=2, |id| if id == 1 { "active" } else { "new" }, &[]),
    ));
    let mut h = Harness::new(replay);
    let mut wait = WaitDroplets::droplet_ids(&config(), [1, 2, 3], active(), h.now());
    let first = h.next_output(&mut wait).unwrap().unwrap().unwrap();
    assert_eq!(first.id, 1);
    // Droplet 3 was not in the listing: its GET is next. Cancel instead.
    wait.handle_cancel();
    let out = h.run(&mut wait).unwrap();
    match &out[..] {
        [Err(Error::Cancelled(states))] => {
            assert_eq!(states.finished.len(), 1);
            let pending: Vec<_> = states
                .pending
                .iter()
                .map(|s| (s.target.clone(), s.resource.is_none()))
                .collect();
            assert_eq!(
                pending,
                [(Target::Droplet(2), false), (Target::Droplet(3), true)]
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.sent().len(), 1);
    assert_eq!(h.elapsed(), Duration::ZERO);
}

// --------------------------------------------------- wait_actions_on_objects

/// The answer to a resource's `LastAction`: its most recent action, if any.
fn last_action(id: Option<u64>, status: &str, kind: &str) -> Value {
    let items: Vec<Value> = id
        .map(|id| action(id, status, kind)["action"].clone())
        .into_iter()
        .collect();
    let total = items.len() as u64;
    page("actions", items, None, total)
}

fn droplet_objects(ids: impl IntoIterator<Item = u64>) -> Vec<ActionTarget> {
    ids.into_iter().map(ActionTarget::Droplet).collect()
}

/// (target, action id, whether the resource was fetched) of each state.
fn summary(states: &[TargetState]) -> Vec<(Target, Option<u64>, bool)> {
    states
        .iter()
        .map(|s| {
            (
                s.target.clone(),
                s.action.as_ref().map(|a| a.id),
                s.resource.is_some(),
            )
        })
        .collect()
}

fn droplet_targets(ids: impl IntoIterator<Item = u64>) -> Vec<Target> {
    ids.into_iter().map(Target::Droplet).collect()
}

#[test]
fn wait_actions_on_objects_yields_each_resource_as_its_action_ends() {
    // Droplet 1 has no actions, droplet 2 is being destroyed (done after two
    // polls; then gone), droplet 3 is powering off (done after one).
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/droplets/1/actions?per_page=1")
                .json(200, &last_action(None, "", "")),
        )
        .then(Exchange::get("/v2/droplets/1").json(200, &one_droplet(1, "active")))
        .then(
            Exchange::get("/v2/droplets/2/actions?per_page=1")
                .json(200, &last_action(Some(20), "in-progress", "destroy")),
        )
        .then(
            Exchange::get("/v2/droplets/3/actions?per_page=1")
                .json(200, &last_action(Some(30), "in-progress", "power_off")),
        )
        // 2 s: both actions in one listing of the newest actions.
        .then(Exchange::get("/v2/actions?per_page=200").json(
            200,
            &page(
                "actions",
                vec![
                    action(30, "completed", "power_off")["action"].clone(),
                    action(20, "in-progress", "destroy")["action"].clone(),
                ],
                None,
                2,
            ),
        ))
        .then(Exchange::get("/v2/droplets/3").json(200, &one_droplet(3, "off")))
        // 4 s: one action left, one GET.
        .then(Exchange::get("/v2/actions/20").json(200, &action(20, "completed", "destroy")))
        .then(get_404("/v2/droplets/2"));
    let mut h = Harness::new(replay);
    let mut wait = WaitActionsOnObjects::new(&config(), droplet_objects([1, 2, 3]), h.now());
    let out: Vec<TargetState> = h
        .run(&mut wait)
        .unwrap()
        .into_iter()
        .map(Result::unwrap)
        .collect();

    let order: Vec<_> = out.iter().map(|o| o.target.clone()).collect();
    assert_eq!(order, droplet_targets([1, 3, 2]));
    match &out[0] {
        TargetState {
            action: None,
            resource: Some(Resource::Droplet(d)),
            ..
        } => assert!(d.is_active()),
        other => panic!("{other:?}"),
    }
    match &out[1] {
        TargetState {
            action: Some(a),
            resource: Some(Resource::Droplet(d)),
            ..
        } => assert!(a.is_completed() && a.id == 30 && d.is_off()),
        other => panic!("{other:?}"),
    }
    // Deleted by its action: no resource, like `WaitForAction`.
    assert!(out[2].resource.is_none());
    assert!(out[2].action.as_ref().unwrap().is_completed());

    // One LastAction and one GET per droplet, and 2 polls. doapi sends 11:
    // the same 3 + 3, and 5 polls (a GET per pending action per round,
    // the first round at once: 2 at 0 s, 2 at 2 s, 1 at 4 s).
    assert_eq!(h.sent().len(), 8);
    assert_eq!(h.elapsed(), secs(4));
}

#[test]
fn wait_actions_on_objects_fetches_images_and_floating_ips() {
    let ip: std::net::IpAddr = "45.55.96.47".parse().unwrap();
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/images/7/actions?per_page=1")
                .json(200, &last_action(Some(70), "completed", "transfer")),
        )
        .then(Exchange::get("/v2/images/7").json(
            200,
            &json!({"image": {"id": 7, "name": "snap", "type": "snapshot"}}),
        ))
        .then(
            Exchange::get("/v2/floating_ips/45.55.96.47/actions?per_page=1")
                .json(200, &last_action(None, "", "")),
        )
        .then(
            Exchange::get("/v2/floating_ips/45.55.96.47")
                .json(200, &json!({"floating_ip": {"ip": "45.55.96.47"}})),
        );
    let mut h = Harness::new(replay);
    let targets = [
        ActionTarget::Image(7),
        ActionTarget::FloatingIp(ip),
        ActionTarget::Image(7),
    ];
    let mut wait = WaitActionsOnObjects::new(&config(), targets, h.now());
    let out = h.run(&mut wait).unwrap();
    match &out[..] {
        [Ok(TargetState {
            resource: Some(Resource::Image(image)),
            ..
        }), Ok(TargetState {
            resource: Some(Resource::FloatingIp(fip)),
            ..
        })] => assert_eq!((image.id, fip.ip), (7, ip)),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.elapsed(), Duration::ZERO);

    // The account has actions but is not a resource.
    let mut h = Harness::new(Replay::new());
    let mut wait = WaitActionsOnObjects::new(&config(), [ActionTarget::Account], h.now());
    let out = h.run(&mut wait).unwrap();
    assert!(matches!(
        &out[..],
        [Err(Error::Request(RequestError::InvalidArgument { .. }))]
    ));
}

#[test]
fn wait_actions_on_objects_goes_through_the_retry_policy() {
    let replay = Replay::new()
        .then(Exchange::get("/v2/droplets/1/actions?per_page=1").respond(503, ""))
        .then(
            Exchange::get("/v2/droplets/1/actions?per_page=1")
                .json(200, &last_action(None, "", "")),
        )
        .then(Exchange::get("/v2/droplets/1").transport_error(TransportErrorKind::Io))
        .then(Exchange::get("/v2/droplets/1").json(200, &one_droplet(1, "active")));
    let mut h = Harness::new(replay);
    let mut wait =
        WaitActionsOnObjects::new(&config().with_retry(exact()), droplet_objects([1]), h.now());
    assert!(h.run(&mut wait).unwrap()[0].is_ok());
    // Each request's first retry, 1 s after its failure.
    assert_eq!(h.sent().len(), 4);
    assert_eq!(h.elapsed(), secs(1 + 1));
}

#[test]
fn wait_actions_on_objects_ends_on_an_errored_action() {
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/droplets/1/actions?per_page=1")
                .json(200, &last_action(Some(10), "in-progress", "snapshot")),
        )
        .then(Exchange::get("/v2/actions/10").json(200, &action(10, "errored", "snapshot")));
    let mut h = Harness::new(replay);
    let mut wait = WaitActionsOnObjects::new(&config(), droplet_objects([1]), h.now());
    let out = h.run(&mut wait).unwrap();
    match &out[..] {
        [Err(Error::ActionFailed(a))] => assert_eq!((a.id, a.is_errored()), (10, true)),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.elapsed(), secs(2));

    // An errored last action ends it before anything is polled.
    let replay = Replay::new().then(
        Exchange::get("/v2/droplets/1/actions?per_page=1")
            .json(200, &last_action(Some(11), "errored", "resize")),
    );
    let mut h = Harness::new(replay);
    let mut wait = WaitActionsOnObjects::new(&config(), droplet_objects([1, 2]), h.now());
    let out = h.run(&mut wait).unwrap();
    assert!(matches!(&out[..], [Err(Error::ActionFailed(a))] if a.id == 11));
    assert_eq!(h.sent().len(), 1);
}

#[test]
fn wait_actions_on_objects_times_out_with_the_states() {
    let mut config = config();
    config.wait_time = Some(secs(5));
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/droplets/1/actions?per_page=1")
                .json(200, &last_action(None, "", "")),
        )
        .then(Exchange::get("/v2/droplets/1").json(200, &one_droplet(1, "active")))
        .then(
            Exchange::get("/v2/droplets/2/actions?per_page=1")
                .json(200, &last_action(Some(20), "in-progress", "resize")),
        )
        .then(Exchange::get("/v2/actions/20").json(200, &action(20, "in-progress", "resize")))
        .then(Exchange::get("/v2/actions/20").json(200, &action(20, "in-progress", "resize")));
    let mut h = Harness::new(replay);
    let mut wait = WaitActionsOnObjects::new(&config, droplet_objects([1, 2]), h.now());
    let out = h.run(&mut wait).unwrap();
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].as_ref().unwrap().target, Target::Droplet(1));
    match out[1].as_ref().unwrap_err() {
        Error::WaitTimeout(states) => {
            assert_eq!(
                summary(&states.finished),
                [(Target::Droplet(1), None, true)]
            );
            assert_eq!(
                summary(&states.pending),
                [(Target::Droplet(2), Some(20), false)]
            );
            assert_eq!(states.pending[0].target, Target::Droplet(2));
        }
        other => panic!("{other:?}"),
    }
    // Polls at 2 s and 4 s; the time runs out at 5 s.
    assert_eq!(h.sent().len(), 5);
    assert_eq!(h.elapsed(), secs(5));
}

#[test]
fn wait_actions_on_objects_cancel_returns_the_states() {
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/droplets/2/actions?per_page=1")
                .json(200, &last_action(Some(20), "in-progress", "reboot")),
        )
        .then(
            Exchange::get("/v2/droplets/1/actions?per_page=1")
                .json(200, &last_action(None, "", "")),
        )
        .then(Exchange::get("/v2/droplets/1").json(200, &one_droplet(1, "active")));
    let mut h = Harness::new(replay);
    let mut wait = WaitActionsOnObjects::new(&config(), droplet_objects([2, 1, 3]), h.now());
    let first = h.next_output(&mut wait).unwrap().unwrap().unwrap();
    assert_eq!(first.target, Target::Droplet(1));
    // Droplet 3's last action is next. Cancel instead.
    doapi_core::Cancel::handle_cancel(&mut wait);
    let out = h.run(&mut wait).unwrap();
    match &out[..] {
        [Err(Error::Cancelled(states))] => {
            assert_eq!(
                summary(&states.finished),
                [(Target::Droplet(1), None, true)]
            );
            assert_eq!(
                summary(&states.pending),
                [
                    (Target::Droplet(2), Some(20), false),
                    (Target::Droplet(3), None, false)
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.sent().len(), 3);
    assert_eq!(h.elapsed(), Duration::ZERO);
}

// ------------------------------------------------------------------- testing

#[test]
fn the_replay_fails_on_unexpected_and_missing_requests() {
    let replay =
        Replay::new().then(Exchange::get("/v2/droplets/2").json(200, &one_droplet(2, "active")));
    let err = drive(&mut Call::new(&config(), GetDroplet { id: 1 }), replay).unwrap_err();
    assert_eq!(
        err,
        ReplayError::Unexpected {
            expected: Some("GET /v2/droplets/2".into()),
            got: format!("GET {API}/v2/droplets/1"),
        }
    );
    assert!(!err.to_string().contains("test-token"));

    let replay = Replay::new()
        .then(Exchange::get("/v2/droplets/1").json(200, &one_droplet(1, "active")))
        .then(Exchange::get("/v2/droplets/1").json(200, &one_droplet(1, "active")));
    let err = drive(&mut Call::new(&config(), GetDroplet { id: 1 }), replay).unwrap_err();
    assert_eq!(err, ReplayError::Missing(vec!["GET /v2/droplets/1".into()]));
}

#[test]
fn errors_never_show_the_token() {
    let replay =
        Replay::new().then(Exchange::get("/v2/droplets/1").transport_error(TransportErrorKind::Io));
    let mut call = Call::new(
        &config().with_retry(RetryPolicy::no_retries()),
        GetDroplet { id: 1 },
    );
    let run = drive(&mut call, replay).unwrap();
    let err = run.outputs[0].as_ref().unwrap_err();
    assert!(!format!("{err} {err:?}").contains("test-token"));

    // Nor does the Debug of a machine holding a request.
    let call = Call::new(&config(), GetDroplet { id: 1 });
    let pages = Paginator::new(&config(), ListDroplets::default());
    let wait = WaitForAction::droplet(&config(), 1, FakeClock::new().now());
    let shown = format!("{call:?} {pages:?} {wait:?}");
    assert!(shown.contains("authorization") && !shown.contains("test-token"));
}

#[test]
fn each_request_says_which_attempt_it_is() {
    let replay = Replay::new()
        .then(Exchange::get("/v2/droplets/7").respond(503, "busy"))
        .then(Exchange::get("/v2/droplets/7").respond(503, "busy"))
        .then(Exchange::get("/v2/droplets/7").json(200, &one_droplet(7, "active")));
    let mut call = Call::new(&config().with_retry(exact()), GetDroplet { id: 7 });
    let run = drive(&mut call, replay).unwrap();
    assert!(run.outputs[0].is_ok());
    let attempts: Vec<u32> = run.sent.iter().map(doapi_core::Attempt::of).collect();
    assert_eq!(attempts, [1, 2, 3]);
}

// ------------------------------------------------- pages fetched at once

/// A listing of `total` droplets at 2 a page, as the service gives page `n`.
fn numbered_page(n: u64, total: u64, next: bool) -> doapi_core::http::Response<Vec<u8>> {
    let items = (2 * n - 1..=(2 * n).min(total))
        .map(|id| droplet(id, "active", &[]))
        .collect();
    let link = format!("{API}/v2/droplets?page={}&per_page=2", n + 1);
    let body = page("droplets", items, next.then_some(link.as_str()), total);
    doapi_core::http::Response::new(serde_json::to_vec(&body).unwrap())
}

/// Every request the machine has ready, as URIs.
fn ready<M: Machine>(m: &mut M) -> Vec<Request<Vec<u8>>> {
    std::iter::from_fn(|| m.poll_request()).collect()
}

fn page_uris(reqs: &[Request<Vec<u8>>]) -> Vec<String> {
    reqs.iter().map(|r| r.uri().to_string()).collect()
}

fn numbered(range: std::ops::RangeInclusive<u64>) -> Vec<String> {
    range
        .map(|n| format!("{API}/v2/droplets?page={n}&per_page=2"))
        .collect()
}

fn ids_out<M: Machine<Output = doapi_core::Decoded<doapi_core::Page<Droplet>>>>(
    m: &mut M,
) -> Vec<u64> {
    std::iter::from_fn(|| m.poll_output())
        .flat_map(|p| p.unwrap().value.items)
        .map(|d| d.id)
        .collect()
}

#[test]
fn pages_after_the_first_are_fetched_eight_at_a_time_and_given_in_order() {
    let t = FakeClock::new().now();
    let mut pages = Paginator::new(&config().with_per_page(2), ListDroplets::default());
    // 25 droplets: 13 pages. The first alone, to learn how many there are.
    assert_eq!(ready(&mut pages).len(), 1);
    pages.handle_response(t, numbered_page(1, 25, true));
    assert_eq!(ids_out(&mut pages), [1, 2]);

    // Then pages 2 to 9 at once, each with its own tag.
    let reqs = ready(&mut pages);
    assert_eq!(page_uris(&reqs), numbered(2..=9));
    let tags: std::collections::HashSet<_> = reqs.iter().map(|r| Tag::of(r).unwrap()).collect();
    assert_eq!(tags.len(), 8);
    // Answered last first: nothing is given before page 2 is in.
    for (i, req) in reqs.iter().enumerate().skip(1).rev() {
        let n = i as u64 + 2;
        pages.handle_tagged(t, Tag::of(req), Ok(numbered_page(n, 25, true)));
        assert!(pages.poll_output().is_none());
    }
    pages.handle_tagged(t, Tag::of(&reqs[0]), Ok(numbered_page(2, 25, true)));
    assert_eq!(ids_out(&mut pages), (3..=18).collect::<Vec<_>>());
    assert_eq!(pages.pages_fetched(), 9);

    // The 4 pages left. Page 11 has no next link (droplets were deleted
    // meanwhile): the listing ends there, and what comes after is dropped.
    let reqs = ready(&mut pages);
    assert_eq!(page_uris(&reqs), numbered(10..=13));
    for (req, n) in reqs.iter().zip(10..) {
        let answer = numbered_page(n, 25, n != 11);
        pages.handle_tagged(t, Tag::of(req), Ok(answer));
    }
    assert_eq!(ids_out(&mut pages), (19..=22).collect::<Vec<_>>());
    assert!(pages.is_finished());
    assert!(ready(&mut pages).is_empty() && pages.poll_timeout().is_none());
}

#[test]
fn a_page_in_retry_holds_back_the_pages_after_it_and_a_grown_listing_goes_on() {
    let config = config().with_per_page(2).with_retry(exact());
    let mut clock = FakeClock::new();
    let mut pages = Paginator::new(&config, ListDroplets::default());
    let _ = ready(&mut pages);
    // 6 droplets: 3 pages.
    pages.handle_response(clock.now(), numbered_page(1, 6, true));
    assert_eq!(ids_out(&mut pages), [1, 2]);
    let reqs = ready(&mut pages);
    assert_eq!(page_uris(&reqs), numbered(2..=3));
    // Page 2 meets a 503; page 3 is in, but waits for it.
    let busy = doapi_core::http::Response::builder()
        .status(503)
        .body(Vec::new())
        .unwrap();
    pages.handle_tagged(clock.now(), Tag::of(&reqs[0]), Ok(busy));
    // Page 3 says there is a page 4: the listing grew while it was read.
    pages.handle_tagged(
        clock.now(),
        Tag::of(&reqs[1]),
        Ok(numbered_page(3, 8, true)),
    );
    assert!(pages.poll_output().is_none());
    assert!(ready(&mut pages).is_empty());
    let at = pages.poll_timeout().expect("the backoff of page 2");
    clock.jump_to(at);
    pages.handle_timeout(clock.now());
    let again = ready(&mut pages);
    assert_eq!(page_uris(&again), numbered(2..=2));
    pages.handle_tagged(
        clock.now(),
        Tag::of(&again[0]),
        Ok(numbered_page(2, 8, true)),
    );
    assert_eq!(ids_out(&mut pages), [3, 4, 5, 6]);
    // Page 4 by the link of page 3, then the end.
    let last = ready(&mut pages);
    assert_eq!(page_uris(&last), numbered(4..=4));
    pages.handle_tagged(
        clock.now(),
        Tag::of(&last[0]),
        Ok(numbered_page(4, 8, false)),
    );
    assert_eq!(ids_out(&mut pages), [7, 8]);
    assert!(pages.is_finished());
}

#[test]
fn one_page_at_a_time_when_pages_in_flight_is_one() {
    let mut config = config().with_per_page(2);
    config.allowance.pages_in_flight = 1;
    let t = FakeClock::new().now();
    let mut pages = Paginator::new(&config, ListDroplets::default());
    let _ = ready(&mut pages);
    pages.handle_response(t, numbered_page(1, 25, true));
    assert_eq!(ids_out(&mut pages), [1, 2]);
    assert_eq!(page_uris(&ready(&mut pages)), numbered(2..=2));
}
