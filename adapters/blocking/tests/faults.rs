//! Faults injected by the simulator on 127.0.0.1: each ends with the right
//! result (retried) or a typed error, never a panic, and a create that may
//! have happened is never sent twice.

mod common;

use std::time::{Duration, Instant};

use common::{builder, client, droplet_count, fast_sim, sim_with_faults, spec, start};
use doapi_blocking::endpoints::ListSizes;
use doapi_blocking::models::{ActionType, DropletStatus};
use doapi_blocking::{Client, Error, Limits, RetryPolicy, TransportErrorKind, Until};
use doapi_sim::{SimConfig, SimServer};

const GET_DROPLET: &str = "GET /v2/droplets/{id}";
const CREATE: &str = "POST /v2/droplets";

/// A simulator with one active droplet and these faults; its id.
fn with_droplet(faults: &[&str]) -> (SimServer, u64) {
    let server = start(SimConfig {
        seed_droplets: 1,
        ..sim_with_faults(faults)
    });
    let id = client(&server)
        .fetch_all_droplets()
        .next()
        .expect("the seeded droplet")
        .expect("listed")
        .id;
    (server, id)
}

fn statuses(server: &SimServer, route: &str) -> Vec<(u16, u64)> {
    server
        .stats()
        .routes
        .get(route)
        .map(|r| r.statuses.iter().map(|(s, n)| (*s, *n)).collect())
        .unwrap_or_default()
}

fn no_retries(server: &SimServer) -> Client {
    builder(server.url())
        .retry(RetryPolicy::no_retries())
        .build()
        .unwrap()
}

#[test]
fn a_429_burst_is_retried_after_retry_after() {
    let (server, id) = with_droplet(&["429,retry-after=0,from=1,to=3,route=GET /v2/droplets/{id}"]);
    let c = client(&server);
    let d = c.fetch_droplet(id).unwrap();
    assert_eq!(d.id, id);
    assert_eq!(statuses(&server, GET_DROPLET), [(200, 1), (429, 3)]);

    // Retry-After is honoured, not the (20 ms) backoff.
    let (server, id) = with_droplet(&["429,retry-after=1,from=1,to=1,route=GET /v2/droplets/{id}"]);
    let c = client(&server);
    let start = Instant::now();
    c.fetch_droplet(id).unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(statuses(&server, GET_DROPLET), [(200, 1), (429, 1)]);
}

#[test]
fn a_429_on_create_is_retried_and_creates_one_droplet() {
    let server = start(sim_with_faults(&[
        "429,retry-after=0,from=1,to=2,route=POST /v2/droplets",
    ]));
    let c = client(&server);
    let d = c.create_droplet("retried", spec()).unwrap();
    assert_eq!(d.name, "retried");
    assert_eq!(statuses(&server, CREATE), [(202, 1), (429, 2)]);
    assert_eq!(droplet_count(&server), 1);
}

#[test]
fn a_429_that_does_not_end_is_a_typed_error_after_the_last_attempt() {
    let (server, id) = with_droplet(&["429,retry-after=0,route=GET /v2/droplets/{id}"]);
    let err = client(&server).fetch_droplet(id).unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(err.attempts(), Some(5));
    assert_eq!(err.api().unwrap().id.as_deref(), Some("too_many_requests"));
    assert_eq!(server.stats().requests_to(GET_DROPLET), 5);
}

#[test]
fn runs_of_500_502_503_on_get_are_retried_to_success() {
    let (server, id) = with_droplet(&[
        "500,from=1,to=1,route=GET /v2/droplets/{id}",
        "502,from=2,to=2,route=GET /v2/droplets/{id}",
        "503,from=3,to=4,route=GET /v2/droplets/{id}",
    ]);
    let c = client(&server);
    assert_eq!(c.fetch_droplet(id).unwrap().id, id);
    assert_eq!(
        statuses(&server, GET_DROPLET),
        [(200, 1), (500, 1), (502, 1), (503, 2)]
    );

    // A page of a listing fails twice; the listing is whole all the same.
    let server = start(sim_with_faults(&["503,from=2,to=3,route=GET /v2/sizes"]));
    let c = builder(server.url()).per_page(5).build().unwrap();
    let sizes: Vec<_> = c.list(ListSizes {}).collect::<Result<_, _>>().unwrap();
    assert_eq!(sizes.len(), 22);
    assert_eq!(statuses(&server, "GET /v2/sizes"), [(200, 5), (503, 2)]);
}

#[test]
fn a_5xx_that_does_not_end_is_a_typed_error_and_501_is_not_retried() {
    let (server, id) = with_droplet(&["502,route=GET /v2/droplets/{id}"]);
    let err = client(&server).fetch_droplet(id).unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 502);
    assert!(api.is_server_error());
    assert_eq!(err.attempts(), Some(5));

    let (server, id) = with_droplet(&["501,route=GET /v2/droplets/{id}"]);
    let err = client(&server).fetch_droplet(id).unwrap_err();
    assert_eq!(err.api().map(|a| a.status.as_u16()), Some(501));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.stats().requests_to(GET_DROPLET), 1);
}

#[test]
fn a_create_that_failed_with_a_5xx_is_never_sent_twice() {
    for status in [500, 502, 503] {
        // The create happens; the client sees only the error.
        let rule = format!("{status},from=1,to=1,route=POST /v2/droplets,handled=true");
        let server = start(sim_with_faults(&[&rule]));
        let c = client(&server);
        let err = c.create_droplet("once", spec()).unwrap_err();
        assert_eq!(err.api().map(|a| a.status.as_u16()), Some(status), "{err}");
        assert_eq!(err.attempts(), Some(1), "{err}");
        assert_eq!(server.stats().requests_to(CREATE), 1);
        assert_eq!(droplet_count(&server), 1, "created once, after a {status}");
    }

    // The same for an action: a reboot is not sent twice either.
    let (server, id) =
        with_droplet(&["503,from=1,to=1,route=POST /v2/droplets/{id}/actions,handled=true"]);
    let c = client(&server);
    let err = c.reboot(id).unwrap_err();
    assert_eq!(err.attempts(), Some(1));
    let actions: Vec<_> = c
        .fetch_all_droplet_actions(id)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        actions
            .iter()
            .filter(|a| a.kind == ActionType::Reboot)
            .count(),
        1
    );
}

#[test]
fn dropped_connections() {
    // A GET is sent again.
    let (server, id) = with_droplet(&["drop,from=1,to=2,route=GET /v2/droplets/{id}"]);
    assert_eq!(client(&server).fetch_droplet(id).unwrap().id, id);
    let route = &server.stats().routes[GET_DROPLET];
    assert_eq!((route.requests, route.dropped), (3, 2));

    // A create is not: it may have happened (here it did).
    let server = start(sim_with_faults(&[
        "drop,from=1,to=1,route=POST /v2/droplets,handled=true",
    ]));
    let err = client(&server)
        .create_droplet("dropped", spec())
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Io,
                attempts: 1
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.stats().requests_to(CREATE), 1);
    assert_eq!(droplet_count(&server), 1);

    // Every connection dropped: a typed error after the last attempt.
    let (server, id) = with_droplet(&["drop,route=GET /v2/droplets/{id}"]);
    let err = client(&server).fetch_droplet(id).unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 5, .. }),
        "{err:?}"
    );
}

#[test]
fn a_connection_refused_before_sending_is_retried_even_for_a_create() {
    // Nothing listens on this port: nothing was sent, so even a POST may be
    // retried, and the error says it could not connect.
    let port = common::free_port();
    let c = builder(&format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let err = c.create_droplet("nowhere", spec()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Connect,
                attempts: 5
            }
        ),
        "{err:?}"
    );
}

#[test]
fn responses_slower_than_the_read_timeout() {
    let limits = Limits {
        read_timeout: Duration::from_millis(250),
        ..Limits::default()
    };
    // The first answer comes too late; the GET is sent again.
    let (server, id) = with_droplet(&["latency,ms=1500,from=1,to=1,route=GET /v2/droplets/{id}"]);
    let c = builder(server.url()).limits(limits).build().unwrap();
    let t0 = Instant::now();
    assert_eq!(c.fetch_droplet(id).unwrap().id, id);
    assert!(
        t0.elapsed() < Duration::from_millis(1400),
        "{:?}",
        t0.elapsed()
    );
    assert_eq!(server.stats().requests_to(GET_DROPLET), 2);

    // Always too late, without retries: a timeout error.
    let (server, id) = with_droplet(&["latency,ms=1000,route=GET /v2/droplets/{id}"]);
    let c = builder(server.url())
        .limits(limits)
        .retry(RetryPolicy::no_retries())
        .build()
        .unwrap();
    let err = c.fetch_droplet(id).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                attempts: 1
            }
        ),
        "{err:?}"
    );

    // A create answered too late happened, and is not sent again.
    let server = start(sim_with_faults(&[
        "latency,ms=1000,from=1,to=1,route=POST /v2/droplets",
    ]));
    let c = builder(server.url()).limits(limits).build().unwrap();
    let err = c.create_droplet("slow", spec()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                attempts: 1
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.stats().requests_to(CREATE), 1);
    assert_eq!(droplet_count(&server), 1);
}

#[test]
fn truncated_bodies() {
    // Cut short once: the GET is sent again.
    let (server, id) = with_droplet(&["truncate,from=1,to=1,route=GET /v2/droplets/{id}"]);
    assert_eq!(client(&server).fetch_droplet(id).unwrap().id, id);
    let route = &server.stats().routes[GET_DROPLET];
    assert_eq!((route.requests, route.dropped), (2, 1));

    // Always cut short, without retries: a transport error.
    let (server, id) = with_droplet(&["truncate,route=GET /v2/droplets/{id}"]);
    let err = no_retries(&server).fetch_droplet(id).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Io,
                attempts: 1
            }
        ),
        "{err:?}"
    );

    // A listing whose second page is cut short, without retries: the
    // items of the first page, then the error, then nothing.
    let server = start(sim_with_faults(&["truncate,from=2,route=GET /v2/sizes"]));
    let c = builder(server.url())
        .per_page(5)
        .retry(RetryPolicy::no_retries())
        .build()
        .unwrap();
    let got: Vec<_> = c.list(ListSizes {}).collect();
    assert_eq!(got.len(), 6);
    assert!(got[..5].iter().all(Result::is_ok));
    assert!(
        matches!(got[5], Err(Error::Transport { .. })),
        "{:?}",
        got[5]
    );
}

#[test]
fn malformed_bodies_are_decode_errors() {
    let (server, id) = with_droplet(&["malformed,from=1,to=1,route=GET /v2/droplets/{id}"]);
    let c = client(&server);
    let err = c.fetch_droplet(id).unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}");
    };
    assert!(!decode.snippet.is_empty());
    assert!(decode.snippet.len() <= 512);
    assert!(err.to_string().contains("cannot decode"));
    // The next call is fine.
    assert_eq!(c.fetch_droplet(id).unwrap().id, id);

    // In a listing: the error ends it.
    let server = start(sim_with_faults(&[
        "malformed,from=3,to=3,route=GET /v2/sizes",
    ]));
    let c = builder(server.url()).per_page(5).build().unwrap();
    let got: Vec<_> = c.fetch_all_sizes().collect();
    assert_eq!(got.len(), 11);
    assert!(matches!(got[10], Err(Error::Decode(_))), "{:?}", got[10]);
}

#[test]
fn waits_ride_out_faults_under_the_clients_retry_policy() {
    // 503s, drops and a 429 while polling: the wait ends all the same.
    let server = start(sim_with_faults(&[
        "503,every=3,route=GET /v2/droplets/{id}",
        "drop,every=4,route=GET /v2/droplets/{id}",
        "429,retry-after=0,from=2,to=2,route=GET /v2/droplets/{id}",
    ]));
    let c = client(&server);
    let d = c.create_droplet("bumpy", spec()).unwrap();
    let d = c
        .wait_droplet(d.id, Until::Status(DropletStatus::Active))
        .unwrap();
    assert!(d.is_active());
    assert!(server.stats().with_status(503) > 0);

    // The wait uses the client's policy: without retries, the first 503
    // ends it, typed.
    let (server, id) = with_droplet(&["503,from=1,to=1,route=GET /v2/droplets/{id}"]);
    let err = no_retries(&server)
        .wait_droplet(id, Until::Status(DropletStatus::Active))
        .unwrap_err();
    assert_eq!(err.api().map(|a| a.status.as_u16()), Some(503), "{err:?}");
    assert_eq!(server.stats().requests_to(GET_DROPLET), 1);
}

#[test]
fn a_404_right_after_a_create_is_tolerated_by_the_wait() {
    let server = start(sim_with_faults(&[
        "404,from=1,to=2,route=GET /v2/droplets/{id}",
    ]));
    let c = client(&server);
    let d = c.create_droplet("eventually", spec()).unwrap();
    let d = c
        .wait_droplet(d.id, Until::Status(DropletStatus::Active))
        .unwrap();
    assert!(d.is_active());
    assert_eq!(server.stats().routes[GET_DROPLET].statuses[&404], 2);
}

#[test]
fn a_response_over_the_size_cap_is_a_transport_error() {
    let server = start(fast_sim());
    let capped = builder(server.url())
        .limits(Limits {
            max_body: 2_000,
            ..Limits::default()
        })
        .retry(RetryPolicy::no_retries())
        .build()
        .unwrap();
    // A small answer passes; a page of 22 sizes does not.
    assert!(capped.fetch_tag("missing").unwrap_err().is_not_found());
    let err = capped.fetch_all_sizes().next().unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Io,
                attempts: 1
            }
        ),
        "{err:?}"
    );
}

#[test]
fn retries_stop_at_the_policys_deadline() {
    let (server, id) = with_droplet(&["503,route=GET /v2/droplets/{id}"]);
    let mut policy = RetryPolicy::default().without_jitter();
    policy.max_attempts = 100;
    policy.initial_backoff = Duration::from_millis(40);
    policy.deadline = Some(Duration::from_millis(300));
    let c = builder(server.url()).retry(policy).build().unwrap();
    let t0 = Instant::now();
    let err = c.fetch_droplet(id).unwrap_err();
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
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

#[test]
fn the_overall_request_timeout() {
    // Each read is within the read timeout, but the whole request is not.
    let (server, id) = with_droplet(&["latency,ms=1000,route=GET /v2/droplets/{id}"]);
    let c = builder(server.url())
        .limits(Limits {
            request_timeout: Duration::from_millis(300),
            ..Limits::default()
        })
        .retry(RetryPolicy::no_retries())
        .build()
        .unwrap();
    let err = c.fetch_droplet(id).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                attempts: 1
            }
        ),
        "{err:?}"
    );
}
