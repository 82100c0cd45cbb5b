//! Faults injected by the simulator on 127.0.0.1: each ends with the right
//! result (retried) or a typed error, never a panic, and a create that may
//! have happened is never sent twice.

use std::time::{Duration, Instant};

use doapi_conformance::{both, fast_retry, fast_sim, prism, sim_with_faults, spec, start, Subject};
use doapi_core::endpoints::ListSizes;
use doapi_core::models::{ActionType, Droplet, DropletStatus, Size};
use doapi_core::{Allowance, Error, Limits, RetryPolicy, TransportErrorKind as Kind, Until};
use doapi_sim::{RouteStats, SimServer};

const GET_DROPLET: &str = "GET /v2/droplets/{id}";
const CREATE: &str = "POST /v2/droplets";
const ACTIVE: Until = Until::Status(DropletStatus::Active);

/// The simulator with these faults and one active droplet, and the
/// droplet's id.
fn with_droplet<C: Subject>(faults: &[impl AsRef<str>]) -> (SimServer, u64) {
    let mut config = sim_with_faults(faults);
    config.seed_droplets = 1;
    let server = start(config);
    let id = C::client(&server).first_droplet().id;
    (server, id)
}

/// The answers a route got, by status.
fn statuses(route: &RouteStats) -> Vec<(u16, u64)> {
    route.statuses.clone().into_iter().collect()
}

/// A client of `server` with these limits and retry policy.
fn client_with<C: Subject>(server: &SimServer, limits: Limits, retry: RetryPolicy) -> C {
    let builder = C::builder_for(server.url()).limits(limits).retry(retry);
    builder.build().unwrap()
}

/// Whether `err` is a transport error of `kind` after `attempts`.
fn transport(err: &Error, kind: Kind, attempts: u32) -> bool {
    matches!(err, Error::Transport { kind: k, attempts: a, .. } if *k == kind && *a == attempts)
}

/// The status of an API error.
fn status(err: &Error) -> Option<u16> {
    err.api().map(|a| a.status.as_u16())
}

/// What a fetch through faults gave (the droplet asked for, or an error),
/// what its route saw, and how long it took.
type Fetched = (Result<Droplet, Error>, RouteStats, Duration);

/// Fetches the one droplet of a simulator whose `GET /v2/droplets/{id}`
/// has these faults, with a client of these limits and retry policy.
fn fetch_with<C: Subject>(faults: &[&str], limits: Limits, retry: RetryPolicy) -> Fetched {
    let on_route = |f: &&str| format!("{f},route={GET_DROPLET}");
    let (server, id) = with_droplet::<C>(&faults.iter().map(on_route).collect::<Vec<_>>());
    let c: C = client_with(&server, limits, retry);
    let t0 = Instant::now();
    let got = c.get(c.fetch_droplet(id));
    let took = t0.elapsed();
    if let Ok(d) = &got {
        assert_eq!(d.id, id);
    }
    let route = server.stats().routes.remove(GET_DROPLET);
    (got, route.unwrap_or_default(), took)
}

/// [`fetch_with`] the default limits and the suite's quick retries.
fn fetch<C: Subject>(faults: &[&str]) -> Fetched {
    fetch_with::<C>(faults, Limits::default(), fast_retry())
}

/// Creates a droplet through a simulator whose `POST /v2/droplets` has
/// this fault, with a client of these limits: the create must fail, having
/// been sent once and carried out once.
#[track_caller]
fn create_fails_once<C: Subject>(fault: &str, limits: Limits) -> Error {
    let server = start(sim_with_faults(&[format!("{fault},route={CREATE}")]));
    let c: C = client_with(&server, limits, fast_retry());
    let err = c.err(c.create_droplet("once", spec()));
    assert_eq!(server.stats().requests_to(CREATE), 1, "sent once: {err:?}");
    let created = c.all(c.fetch_all_droplets()).len();
    assert_eq!(created, 1, "created once: {err:?}");
    err
}

/// Every size, five a page, through a simulator whose `GET /v2/sizes` has
/// this fault; and what that route saw.
fn sizes<C: Subject>(fault: &str, retry: RetryPolicy) -> (Vec<Result<Size, Error>>, RouteStats) {
    let server = start(sim_with_faults(&[format!("{fault},route=GET /v2/sizes")]));
    // One page at a time, so that the faults' counts of requests are pages.
    let one_by_one = Allowance {
        pages_in_flight: 1,
        ..Allowance::unlimited()
    };
    let c = C::builder_for(server.url()).per_page(5).retry(retry);
    let c = c.allowance(one_by_one);
    let (c, route) = (c.build().unwrap(), "GET /v2/sizes");
    let items = c.items(c.list(ListSizes {}));
    (items, server.stats().routes[route].clone())
}

fn a_429_burst_is_retried_after_retry_after<C: Subject>() {
    let (got, route, _) = fetch::<C>(&["429,retry-after=0,from=1,to=3"]);
    assert!(got.is_ok(), "{got:?}");
    assert_eq!(statuses(&route), [(200, 1), (429, 3)]);
    // Retry-After is honoured, not the (20 ms) backoff.
    let (got, route, took) = fetch::<C>(&["429,retry-after=1,from=1,to=1"]);
    assert!(got.is_ok(), "{got:?}");
    assert!(took >= Duration::from_secs(1), "{took:?}");
    assert_eq!(statuses(&route), [(200, 1), (429, 1)]);
}

fn a_429_on_create_is_retried_and_creates_one_droplet<C: Subject>() {
    let rule = format!("429,retry-after=0,from=1,to=2,route={CREATE}");
    let server = start(sim_with_faults(&[rule]));
    let c = C::client(&server);
    assert_eq!(c.ok(c.create_droplet("retried", spec())).name, "retried");
    let creates = statuses(&server.stats().routes[CREATE]);
    assert_eq!(creates, [(202, 1), (429, 2)]);
    assert_eq!(c.all(c.fetch_all_droplets()).len(), 1);
}

fn a_429_that_does_not_end_is_a_typed_error_after_the_last_attempt<C: Subject>() {
    let (got, route, _) = fetch::<C>(&["429,retry-after=0"]);
    let err = got.unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!((err.attempts(), route.requests), (Some(5), 5));
    assert_eq!(err.api().unwrap().id.as_deref(), Some("too_many_requests"));
}

fn runs_of_500_502_503_on_get_are_retried_to_success<C: Subject>() {
    let (got, route, _) = fetch::<C>(&["500,from=1,to=1", "502,from=2,to=2", "503,from=3,to=4"]);
    assert!(got.is_ok(), "{got:?}");
    assert_eq!(statuses(&route), [(200, 1), (500, 1), (502, 1), (503, 2)]);
    // A page of a listing fails twice; the listing is whole all the same.
    let all = sizes::<C>("503,from=1000", fast_retry()).0.len();
    let (sizes, route) = sizes::<C>("503,from=2,to=3", fast_retry());
    let sizes: Result<Vec<_>, _> = sizes.into_iter().collect();
    assert_eq!(sizes.unwrap().len(), all);
    assert_eq!(statuses(&route), [(200, 5), (503, 2)]);
}

fn a_5xx_that_does_not_end_is_a_typed_error_and_501_is_not_retried<C: Subject>() {
    let err = fetch::<C>(&["502"]).0.unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 502);
    assert!(api.is_server_error());
    assert_eq!(err.attempts(), Some(5));
    let (got, route, _) = fetch::<C>(&["501"]);
    let err = got.unwrap_err();
    assert_eq!((status(&err), err.attempts()), (Some(501), Some(1)));
    assert_eq!(route.requests, 1);
}

fn a_create_that_failed_with_a_5xx_is_never_sent_twice<C: Subject>() {
    for code in [500, 502, 503] {
        // The create happens; the client sees only the error.
        let fault = format!("{code},from=1,to=1,handled=true");
        let err = create_fails_once::<C>(&fault, Limits::default());
        assert_eq!((status(&err), err.attempts()), (Some(code), Some(1)));
    }
    // The same for an action: a reboot is not sent twice either.
    let rule = "503,from=1,to=1,route=POST /v2/droplets/{id}/actions,handled=true";
    let (server, id) = with_droplet::<C>(&[rule]);
    let c = C::client(&server);
    assert_eq!(c.err(c.reboot(id)).attempts(), Some(1));
    let actions = c.all(c.fetch_all_droplet_actions(id));
    let reboots = actions.iter().filter(|a| a.kind == ActionType::Reboot);
    assert_eq!(reboots.count(), 1);
}

fn dropped_connections<C: Subject>() {
    // A GET is sent again.
    let (got, route, _) = fetch::<C>(&["drop,from=1,to=2"]);
    assert!(got.is_ok(), "{got:?}");
    assert_eq!((route.requests, route.dropped), (3, 2));
    // A create is not: it may have happened (here it did).
    let err = create_fails_once::<C>("drop,from=1,to=1,handled=true", Limits::default());
    assert!(transport(&err, Kind::Io, 1), "{err:?}");
    // Every connection dropped: a typed error after the last attempt.
    let err = fetch::<C>(&["drop"]).0.unwrap_err();
    let Error::Transport { attempts: 5, .. } = err else {
        panic!("{err:?}");
    };
}

fn a_connection_refused_before_sending_is_retried_even_for_a_create<C: Subject>() {
    // Nothing listens on this port: nothing was sent, so even a POST may be
    // retried, and the error says it could not connect.
    let url = format!("http://127.0.0.1:{}", prism::free_port());
    let c = C::builder_for(&url).build().unwrap();
    let err = c.err(c.create_droplet("nowhere", spec()));
    assert!(transport(&err, Kind::Connect, 5), "{err:?}");
}

fn responses_slower_than_the_read_timeout<C: Subject>() {
    let limits = Limits {
        read_timeout: Duration::from_millis(250),
        ..Limits::default()
    };
    // The first answer comes too late; the GET is sent again.
    let late = "latency,ms=1500,from=1,to=1";
    let (got, route, took) = fetch_with::<C>(&[late], limits, fast_retry());
    assert!(got.is_ok(), "{got:?}");
    assert!(took < Duration::from_millis(1400), "{took:?}");
    assert_eq!(route.requests, 2);
    // Always too late, without retries: a timeout error.
    let once = RetryPolicy::no_retries();
    let (got, _, _) = fetch_with::<C>(&["latency,ms=1000"], limits, once);
    let err = got.unwrap_err();
    assert!(transport(&err, Kind::Timeout, 1), "{err:?}");
    // A create answered too late happened, and is not sent again.
    let err = create_fails_once::<C>("latency,ms=1000,from=1,to=1", limits);
    assert!(transport(&err, Kind::Timeout, 1), "{err:?}");
}

fn a_request_longer_than_the_overall_timeout_is_a_timeout<C: Subject>() {
    // Headers come in time for the read timeout, but not for the whole
    // request's.
    let limits = Limits {
        request_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let once = RetryPolicy::no_retries();
    let (got, _, took) = fetch_with::<C>(&["latency,ms=1000"], limits, once);
    assert!(took < Duration::from_millis(900), "{took:?}");
    assert!(transport(&got.unwrap_err(), Kind::Timeout, 1));
}

fn truncated_bodies<C: Subject>() {
    // Cut short once: the GET is sent again.
    let (got, route, _) = fetch::<C>(&["truncate,from=1,to=1"]);
    assert!(got.is_ok(), "{got:?}");
    assert_eq!((route.requests, route.dropped), (2, 1));
    // Always cut short, without retries: a transport error.
    let once = RetryPolicy::no_retries();
    let (got, _, _) = fetch_with::<C>(&["truncate"], Limits::default(), once);
    let err = got.unwrap_err();
    assert!(transport(&err, Kind::Io, 1), "{err:?}");
    // A listing whose second page is cut short, without retries: the
    // items of the first page, then the error, then nothing.
    let (got, _) = sizes::<C>("truncate,from=2", RetryPolicy::no_retries());
    assert_eq!(got.len(), 6);
    assert!(got[..5].iter().all(Result::is_ok));
    assert!(matches!(got[5], Err(Error::Transport { .. })), "{got:?}");
}

fn malformed_bodies_are_decode_errors<C: Subject>() {
    let (server, id) = with_droplet::<C>(&["malformed,from=1,to=1,route=GET /v2/droplets/{id}"]);
    let c = C::client(&server);
    let err = c.err(c.fetch_droplet(id));
    let Error::Decode(decode) = &err else {
        panic!("{err:?}");
    };
    assert!(!decode.snippet.is_empty());
    // At most 512 bytes of the body, then how many were left out.
    let kept = decode.snippet.split("… (").next().unwrap_or_default();
    assert!(
        kept.len() <= doapi_core::error::BODY_SNIPPET_LEN,
        "{decode:?}"
    );
    assert!(err.to_string().contains("cannot decode"));
    // The next call is fine.
    assert_eq!(c.ok(c.fetch_droplet(id)).id, id);
    // In a listing: the error ends it.
    let (got, _) = sizes::<C>("malformed,from=3,to=3", fast_retry());
    assert_eq!(got.len(), 11);
    assert!(matches!(got[10], Err(Error::Decode(_))), "{got:?}");
}

fn waits_ride_out_faults_under_the_clients_retry_policy<C: Subject>() {
    // 503s, drops and a 429 while polling: the wait ends all the same.
    let server = start(sim_with_faults(&[
        "503,every=3,route=GET /v2/droplets/{id}",
        "drop,every=4,route=GET /v2/droplets/{id}",
        "429,retry-after=0,from=2,to=2,route=GET /v2/droplets/{id}",
    ]));
    let c = C::client(&server);
    let d = c.ok(c.create_droplet("bumpy", spec()));
    assert!(c.ok(c.wait_droplet(d.id, ACTIVE)).is_active());
    assert!(server.stats().with_status(503) > 0);
    // The wait uses the client's policy: without retries, the first 503
    // ends it, typed.
    let (server, id) = with_droplet::<C>(&["503,from=1,to=1,route=GET /v2/droplets/{id}"]);
    let c: C = client_with(&server, Limits::default(), RetryPolicy::no_retries());
    let err = c.err(c.wait_droplet(id, ACTIVE));
    assert_eq!(status(&err), Some(503), "{err:?}");
    assert_eq!(server.stats().requests_to(GET_DROPLET), 1);
}

fn a_404_right_after_a_create_is_tolerated_by_the_wait<C: Subject>() {
    let rule = format!("404,from=1,to=2,route={GET_DROPLET}");
    let server = start(sim_with_faults(&[rule]));
    let c = C::client(&server);
    let d = c.ok(c.create_droplet("eventually", spec()));
    assert!(c.ok(c.wait_droplet(d.id, ACTIVE)).is_active());
    assert_eq!(server.stats().routes[GET_DROPLET].statuses[&404], 2);
}

fn a_response_over_the_size_cap_is_a_too_large_error<C: Subject>() {
    let server = start(fast_sim());
    let limits = Limits {
        max_body: 2_000,
        ..Limits::default()
    };
    let c: C = client_with(&server, limits, RetryPolicy::no_retries());
    // A small answer passes; a page of every size does not.
    assert!(c.err(c.fetch_tag("missing")).is_not_found());
    let got = c.items(c.fetch_all_sizes());
    assert!(
        matches!(&got[..], [Err(e)] if transport(e, Kind::TooLarge, 1)),
        "{got:?}"
    );
}

fn retries_stop_at_the_policys_deadline<C: Subject>() {
    let mut policy = RetryPolicy::default().without_jitter();
    policy.max_attempts = 100;
    policy.initial_backoff = Duration::from_millis(40);
    policy.deadline = Some(Duration::from_millis(300));
    let (got, route, took) = fetch_with::<C>(&["503"], Limits::default(), policy);
    assert!(took < Duration::from_secs(2), "{took:?}");
    let err = got.unwrap_err();
    let Error::DeadlineExceeded { attempts, last } = &err else {
        panic!("{err:?}");
    };
    assert!((2..10).contains(attempts), "{attempts}");
    assert_eq!((status(last), status(&err)), (Some(503), Some(503)));
    assert_eq!(route.requests, u64::from(*attempts));
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
    a_response_over_the_size_cap_is_a_too_large_error,
    retries_stop_at_the_policys_deadline,
);
