//! Faults injected by the simulator on 127.0.0.1: each ends with the right
//! result (retried) or a typed error, never a panic, and a create that may
//! have happened is never sent twice.

use std::time::{Duration, Instant};

use doapi_conformance::{both, fast_retry, fast_sim, prism, sim_with_faults, spec, start, Subject};
use doapi_core::endpoints::ListSizes;
use doapi_core::models::{ActionType, DropletStatus};
use doapi_core::{Error, Limits, RetryPolicy, TransportErrorKind, Until};
use doapi_sim::{SimConfig, SimServer};

const GET_DROPLET: &str = "GET /v2/droplets/{id}";
const CREATE: &str = "POST /v2/droplets";
const ACTIVE: Until = Until::Status(DropletStatus::Active);

/// The simulator with these faults, and a client of it.
fn sim<C: Subject>(faults: &[&str]) -> (SimServer, C) {
    let server = start(sim_with_faults(faults));
    let c = C::client(&server);
    (server, c)
}

/// The simulator with these faults and one active droplet, a client of
/// it, and the droplet's id.
fn with_droplet<C: Subject>(faults: &[&str]) -> (SimServer, C, u64) {
    let server = start(SimConfig {
        seed_droplets: 1,
        ..sim_with_faults(faults)
    });
    let c = C::client(&server);
    let id = c.first_droplet().id;
    (server, c, id)
}

/// The answers `route` got, by status.
fn statuses(server: &SimServer, route: &str) -> Vec<(u16, u64)> {
    let stats = server.stats();
    let statuses = stats.routes.get(route).map(|r| r.statuses.clone());
    statuses.unwrap_or_default().into_iter().collect()
}

/// How many droplets there are.
fn count<C: Subject>(c: &C) -> usize {
    c.all(c.fetch_all_droplets()).len()
}

/// A client of `server` with these limits and retry policy.
fn client_with<C: Subject>(server: &SimServer, limits: Limits, retry: RetryPolicy) -> C {
    let builder = C::builder_for(server.url()).limits(limits).retry(retry);
    builder.build().unwrap()
}

/// Whether `err` is a transport error of `kind` after `attempts`.
fn transport(err: &Error, kind: TransportErrorKind, attempts: u32) -> bool {
    matches!(err, Error::Transport { kind: k, attempts: a } if *k == kind && *a == attempts)
}

fn a_429_burst_is_retried_after_retry_after<C: Subject>() {
    let rule = "429,retry-after=0,from=1,to=3,route=GET /v2/droplets/{id}";
    let (server, c, id) = with_droplet::<C>(&[rule]);
    assert_eq!(c.ok(c.fetch_droplet(id)).id, id);
    assert_eq!(statuses(&server, GET_DROPLET), [(200, 1), (429, 3)]);

    // Retry-After is honoured, not the (20 ms) backoff.
    let rule = "429,retry-after=1,from=1,to=1,route=GET /v2/droplets/{id}";
    let (server, c, id) = with_droplet::<C>(&[rule]);
    let start = Instant::now();
    c.ok(c.fetch_droplet(id));
    let took = start.elapsed();
    assert!(took >= Duration::from_secs(1), "{took:?}");
    assert_eq!(statuses(&server, GET_DROPLET), [(200, 1), (429, 1)]);
}

fn a_429_on_create_is_retried_and_creates_one_droplet<C: Subject>() {
    let (server, c) = sim::<C>(&["429,retry-after=0,from=1,to=2,route=POST /v2/droplets"]);
    assert_eq!(c.ok(c.create_droplet("retried", spec())).name, "retried");
    assert_eq!(statuses(&server, CREATE), [(202, 1), (429, 2)]);
    assert_eq!(count(&c), 1);
}

fn a_429_that_does_not_end_is_a_typed_error_after_the_last_attempt<C: Subject>() {
    let (server, c, id) = with_droplet::<C>(&["429,retry-after=0,route=GET /v2/droplets/{id}"]);
    let err = c.err(c.fetch_droplet(id));
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(err.attempts(), Some(5));
    assert_eq!(err.api().unwrap().id.as_deref(), Some("too_many_requests"));
    assert_eq!(server.stats().requests_to(GET_DROPLET), 5);
}

fn runs_of_500_502_503_on_get_are_retried_to_success<C: Subject>() {
    let (server, c, id) = with_droplet::<C>(&[
        "500,from=1,to=1,route=GET /v2/droplets/{id}",
        "502,from=2,to=2,route=GET /v2/droplets/{id}",
        "503,from=3,to=4,route=GET /v2/droplets/{id}",
    ]);
    assert_eq!(c.ok(c.fetch_droplet(id)).id, id);
    let seen = statuses(&server, GET_DROPLET);
    assert_eq!(seen, [(200, 1), (500, 1), (502, 1), (503, 2)]);

    // A page of a listing fails twice; the listing is whole all the same.
    let server = start(sim_with_faults(&["503,from=2,to=3,route=GET /v2/sizes"]));
    let c = C::builder_for(server.url()).per_page(5).build().unwrap();
    assert_eq!(c.all(c.list(ListSizes {})).len(), 22);
    assert_eq!(statuses(&server, "GET /v2/sizes"), [(200, 5), (503, 2)]);
}

fn a_5xx_that_does_not_end_is_a_typed_error_and_501_is_not_retried<C: Subject>() {
    let (_server, c, id) = with_droplet::<C>(&["502,route=GET /v2/droplets/{id}"]);
    let err = c.err(c.fetch_droplet(id));
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 502);
    assert!(api.is_server_error());
    assert_eq!(err.attempts(), Some(5));

    let (server, c, id) = with_droplet::<C>(&["501,route=GET /v2/droplets/{id}"]);
    let err = c.err(c.fetch_droplet(id));
    assert_eq!(err.api().map(|a| a.status.as_u16()), Some(501));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.stats().requests_to(GET_DROPLET), 1);
}

fn a_create_that_failed_with_a_5xx_is_never_sent_twice<C: Subject>() {
    for status in [500, 502, 503] {
        // The create happens; the client sees only the error.
        let (server, c) = sim::<C>(&[&format!("{status},from=1,to=1,route={CREATE},handled=true")]);
        let err = c.err(c.create_droplet("once", spec()));
        assert_eq!(err.api().map(|a| a.status.as_u16()), Some(status), "{err}");
        assert_eq!(err.attempts(), Some(1), "{err}");
        assert_eq!(server.stats().requests_to(CREATE), 1);
        assert_eq!(count(&c), 1, "created once, after a {status}");
    }

    // The same for an action: a reboot is not sent twice either.
    let rule = "503,from=1,to=1,route=POST /v2/droplets/{id}/actions,handled=true";
    let (_server, c, id) = with_droplet::<C>(&[rule]);
    assert_eq!(c.err(c.reboot(id)).attempts(), Some(1));
    let actions = c.all(c.fetch_all_droplet_actions(id));
    let reboots = actions.iter().filter(|a| a.kind == ActionType::Reboot);
    assert_eq!(reboots.count(), 1);
}

fn dropped_connections<C: Subject>() {
    // A GET is sent again.
    let (server, c, id) = with_droplet::<C>(&["drop,from=1,to=2,route=GET /v2/droplets/{id}"]);
    assert_eq!(c.ok(c.fetch_droplet(id)).id, id);
    let route = &server.stats().routes[GET_DROPLET];
    assert_eq!((route.requests, route.dropped), (3, 2));

    // A create is not: it may have happened (here it did).
    let (server, c) = sim::<C>(&["drop,from=1,to=1,route=POST /v2/droplets,handled=true"]);
    let err = c.err(c.create_droplet("dropped", spec()));
    assert!(transport(&err, TransportErrorKind::Io, 1), "{err:?}");
    assert_eq!(server.stats().requests_to(CREATE), 1);
    assert_eq!(count(&c), 1);

    // Every connection dropped: a typed error after the last attempt.
    let (_server, c, id) = with_droplet::<C>(&["drop,route=GET /v2/droplets/{id}"]);
    let err = c.err(c.fetch_droplet(id));
    assert!(
        matches!(err, Error::Transport { attempts: 5, .. }),
        "{err:?}"
    );
}

fn a_connection_refused_before_sending_is_retried_even_for_a_create<C: Subject>() {
    // Nothing listens on this port: nothing was sent, so even a POST may be
    // retried, and the error says it could not connect.
    let url = format!("http://127.0.0.1:{}", prism::free_port());
    let c = C::builder_for(&url).build().unwrap();
    let err = c.err(c.create_droplet("nowhere", spec()));
    assert!(transport(&err, TransportErrorKind::Connect, 5), "{err:?}");
}

fn responses_slower_than_the_read_timeout<C: Subject>() {
    let limits = Limits {
        read_timeout: Duration::from_millis(250),
        ..Limits::default()
    };
    // The first answer comes too late; the GET is sent again.
    let rule = "latency,ms=1500,from=1,to=1,route=GET /v2/droplets/{id}";
    let (server, _, id) = with_droplet::<C>(&[rule]);
    let c: C = client_with(&server, limits, fast_retry());
    let t0 = Instant::now();
    assert_eq!(c.ok(c.fetch_droplet(id)).id, id);
    let took = t0.elapsed();
    assert!(took < Duration::from_millis(1400), "{took:?}");
    assert_eq!(server.stats().requests_to(GET_DROPLET), 2);

    // Always too late, without retries: a timeout error.
    let (server, _, id) = with_droplet::<C>(&["latency,ms=1000,route=GET /v2/droplets/{id}"]);
    let c: C = client_with(&server, limits, RetryPolicy::no_retries());
    let err = c.err(c.fetch_droplet(id));
    assert!(transport(&err, TransportErrorKind::Timeout, 1), "{err:?}");

    // A create answered too late happened, and is not sent again.
    let server = start(sim_with_faults(&[
        "latency,ms=1000,from=1,to=1,route=POST /v2/droplets",
    ]));
    let c: C = client_with(&server, limits, fast_retry());
    let err = c.err(c.create_droplet("slow", spec()));
    assert!(transport(&err, TransportErrorKind::Timeout, 1), "{err:?}");
    assert_eq!(server.stats().requests_to(CREATE), 1);
    assert_eq!(count(&c), 1);
}

fn a_request_longer_than_the_overall_timeout_is_a_timeout<C: Subject>() {
    // Headers come in time for the read timeout, but not for the whole
    // request's.
    let (server, _, id) = with_droplet::<C>(&["latency,ms=1000,route=GET /v2/droplets/{id}"]);
    let limits = Limits {
        request_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let c: C = client_with(&server, limits, RetryPolicy::no_retries());
    let t0 = Instant::now();
    let err = c.err(c.fetch_droplet(id));
    let took = t0.elapsed();
    assert!(took < Duration::from_millis(900), "{took:?}");
    assert!(transport(&err, TransportErrorKind::Timeout, 1), "{err:?}");
}

fn truncated_bodies<C: Subject>() {
    // Cut short once: the GET is sent again.
    let rule = "truncate,from=1,to=1,route=GET /v2/droplets/{id}";
    let (server, c, id) = with_droplet::<C>(&[rule]);
    assert_eq!(c.ok(c.fetch_droplet(id)).id, id);
    let route = &server.stats().routes[GET_DROPLET];
    assert_eq!((route.requests, route.dropped), (2, 1));

    // Always cut short, without retries: a transport error.
    let (server, _, id) = with_droplet::<C>(&["truncate,route=GET /v2/droplets/{id}"]);
    let c: C = client_with(&server, Limits::default(), RetryPolicy::no_retries());
    let err = c.err(c.fetch_droplet(id));
    assert!(transport(&err, TransportErrorKind::Io, 1), "{err:?}");

    // A listing whose second page is cut short, without retries: the
    // items of the first page, then the error, then nothing.
    let server = start(sim_with_faults(&["truncate,from=2,route=GET /v2/sizes"]));
    let once = RetryPolicy::no_retries();
    let c = C::builder_for(server.url())
        .per_page(5)
        .retry(once)
        .build()
        .unwrap();
    let got = c.items(c.list(ListSizes {}));
    assert_eq!(got.len(), 6);
    assert!(got[..5].iter().all(Result::is_ok));
    assert!(matches!(got[5], Err(Error::Transport { .. })), "{got:?}");
}

fn malformed_bodies_are_decode_errors<C: Subject>() {
    let rule = "malformed,from=1,to=1,route=GET /v2/droplets/{id}";
    let (_server, c, id) = with_droplet::<C>(&[rule]);
    let err = c.err(c.fetch_droplet(id));
    let Error::Decode(decode) = &err else {
        panic!("{err:?}");
    };
    assert!(!decode.snippet.is_empty());
    assert!(decode.snippet.len() <= 512);
    assert!(err.to_string().contains("cannot decode"));
    // The next call is fine.
    assert_eq!(c.ok(c.fetch_droplet(id)).id, id);

    // In a listing: the error ends it.
    let server = start(sim_with_faults(&[
        "malformed,from=3,to=3,route=GET /v2/sizes",
    ]));
    let c = C::builder_for(server.url()).per_page(5).build().unwrap();
    let got = c.items(c.fetch_all_sizes());
    assert_eq!(got.len(), 11);
    assert!(matches!(got[10], Err(Error::Decode(_))), "{got:?}");
}

fn waits_ride_out_faults_under_the_clients_retry_policy<C: Subject>() {
    // 503s, drops and a 429 while polling: the wait ends all the same.
    let (server, c) = sim::<C>(&[
        "503,every=3,route=GET /v2/droplets/{id}",
        "drop,every=4,route=GET /v2/droplets/{id}",
        "429,retry-after=0,from=2,to=2,route=GET /v2/droplets/{id}",
    ]);
    let d = c.ok(c.create_droplet("bumpy", spec()));
    assert!(c.ok(c.wait_droplet(d.id, ACTIVE)).is_active());
    assert!(server.stats().with_status(503) > 0);

    // The wait uses the client's policy: without retries, the first 503
    // ends it, typed.
    let (server, _, id) = with_droplet::<C>(&["503,from=1,to=1,route=GET /v2/droplets/{id}"]);
    let c: C = client_with(&server, Limits::default(), RetryPolicy::no_retries());
    let err = c.err(c.wait_droplet(id, ACTIVE));
    assert_eq!(err.api().map(|a| a.status.as_u16()), Some(503), "{err:?}");
    assert_eq!(server.stats().requests_to(GET_DROPLET), 1);
}

fn a_404_right_after_a_create_is_tolerated_by_the_wait<C: Subject>() {
    let (server, c) = sim::<C>(&["404,from=1,to=2,route=GET /v2/droplets/{id}"]);
    let d = c.ok(c.create_droplet("eventually", spec()));
    assert!(c.ok(c.wait_droplet(d.id, ACTIVE)).is_active());
    assert_eq!(server.stats().routes[GET_DROPLET].statuses[&404], 2);
}

fn a_response_over_the_size_cap_is_a_transport_error<C: Subject>() {
    let server = start(fast_sim());
    let limits = Limits {
        max_body: 2_000,
        ..Limits::default()
    };
    let c: C = client_with(&server, limits, RetryPolicy::no_retries());
    // A small answer passes; a page of 22 sizes does not.
    assert!(c.err(c.fetch_tag("missing")).is_not_found());
    let got = c.items(c.fetch_all_sizes());
    let [Err(err)] = &got[..] else {
        panic!("{got:?}")
    };
    assert!(transport(err, TransportErrorKind::Io, 1), "{err:?}");
}

fn retries_stop_at_the_policys_deadline<C: Subject>() {
    let (server, _, id) = with_droplet::<C>(&["503,route=GET /v2/droplets/{id}"]);
    let mut policy = RetryPolicy::default().without_jitter();
    policy.max_attempts = 100;
    policy.initial_backoff = Duration::from_millis(40);
    policy.deadline = Some(Duration::from_millis(300));
    let c: C = client_with(&server, Limits::default(), policy);
    let t0 = Instant::now();
    let err = c.err(c.fetch_droplet(id));
    let took = t0.elapsed();
    assert!(took < Duration::from_secs(2), "{took:?}");
    let Error::DeadlineExceeded { attempts, last } = &err else {
        panic!("{err:?}");
    };
    assert!((2..10).contains(attempts), "{attempts}");
    assert_eq!(last.api().map(|a| a.status.as_u16()), Some(503));
    assert_eq!(err.api().map(|a| a.status.as_u16()), Some(503));
    assert_eq!(
        server.stats().requests_to(GET_DROPLET),
        u64::from(*attempts)
    );
}

both!(
    a_429_burst_is_retried_after_retry_after,
    a_429_on_create_is_retried_and_creates_one_droplet,
    a_429_that_does_not_end_is_a_typed_error_after_the_last_attempt,
    runs_of_500_502_503_on_get_are_retried_to_success,
    a_5xx_that_does_not_end_is_a_typed_error_and_501_is_not_retried,
    a_create_that_failed_with_a_5xx_is_never_sent_twice,
    dropped_connections,
    a_connection_refused_before_sending_is_retried_even_for_a_create,
    responses_slower_than_the_read_timeout,
    a_request_longer_than_the_overall_timeout_is_a_timeout,
    truncated_bodies,
    malformed_bodies_are_decode_errors,
    waits_ride_out_faults_under_the_clients_retry_policy,
    a_404_right_after_a_create_is_tolerated_by_the_wait,
    a_response_over_the_size_cap_is_a_transport_error,
    retries_stop_at_the_policys_deadline,
);
