//! How waits end (cancelled from another thread, timed out, a failed
//! action), the offline transports (the in-process simulator on a virtual
//! clock, a recorded cassette), and the token's hygiene.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{builder, client, fast_sim, spec, start, tagged_spec, TOKEN};
use doapi_blocking::models::{ActionStatus, ActionType, DropletStatus};
use doapi_blocking::{
    CancelFlag, Client, Error, Limits, OfflineTransport, Recorder, RequestError, TargetState,
    Until, UreqTransport, WaitForAction,
};
use doapi_sim::{SimConfig, SimServer};

/// A simulator where nothing finishes during a test: droplets boot and
/// actions run for a minute. One droplet is already active.
fn slow_sim() -> SimServer {
    start(SimConfig {
        boot_delay: Duration::from_secs(60),
        action_delay: Duration::from_secs(60),
        seed_droplets: 1,
        ..fast_sim()
    })
}

/// Runs `wait` on this thread while another thread sets `flag` once the
/// simulator has seen `more` requests to `route` beyond the count now:
/// the wait is then running (sleeping between rounds, most of the time).
fn cancelled_while_running<T>(
    server: &SimServer,
    route: &str,
    more: u64,
    flag: CancelFlag,
    wait: impl FnOnce() -> T,
) -> T {
    let from = server.stats().requests_to(route);
    std::thread::scope(|s| {
        s.spawn(|| {
            let deadline = Instant::now() + Duration::from_secs(20);
            while server.stats().requests_to(route) < from + more {
                assert!(Instant::now() < deadline, "the wait never polled");
                // Polls a condition; it does not stand in for one.
                std::thread::sleep(Duration::from_millis(2));
            }
            flag.store(true, Ordering::Relaxed);
        });
        wait()
    })
}

#[test]
fn a_blocking_wait_cancelled_from_another_thread_returns_the_current_states() {
    let server = slow_sim();
    let c = client(&server);
    let seeded = c.fetch_all_droplets().next().unwrap().unwrap();
    let new = c
        .create_multiple_droplets(vec!["slow-1".into(), "slow-2".into()], spec())
        .unwrap();

    let flag: CancelFlag = Arc::new(AtomicBool::new(false));
    let mut wait = c
        .wait_droplets(
            new.iter().cloned().chain([seeded.clone()]),
            Until::Status(DropletStatus::Active),
        )
        .cancel_on(flag.clone());
    // The active one comes first, in completion order.
    assert_eq!(wait.next().unwrap().unwrap().id, seeded.id);

    // Cancelled while it runs, after two more rounds.
    let start = Instant::now();
    let err = cancelled_while_running(&server, "GET /v2/droplets", 2, flag, || {
        wait.next().unwrap().unwrap_err()
    });
    assert!(start.elapsed() < Duration::from_secs(10));
    let Error::Cancelled(states) = err else {
        panic!("{err:?}");
    };
    assert_eq!(states.finished.len(), 1);
    assert_eq!(states.finished[0].id(), seeded.id);
    assert_eq!(
        states
            .pending
            .iter()
            .map(TargetState::id)
            .collect::<Vec<_>>(),
        new.iter().map(|d| d.id).collect::<Vec<_>>()
    );
    for p in &states.pending {
        let TargetState::Droplet(d) = p else {
            panic!("{p:?}")
        };
        assert_eq!(d.status, DropletStatus::New);
    }
    // The iterator has ended, and nothing more is sent.
    let sent = server.stats().requests;
    assert!(wait.next().is_none());
    assert_eq!(server.stats().requests, sent);
}

#[test]
fn a_cancelled_wait_for_action_reports_the_action_in_progress() {
    let server = slow_sim();
    let c = client(&server);
    let id = c.fetch_all_droplets().next().unwrap().unwrap().id;
    let reboot = c.reboot(id).unwrap();

    let flag: CancelFlag = Arc::new(AtomicBool::new(false));
    let wait = WaitForAction::droplet(c.config(), id, c.now());
    let mut wait = c.wait_iter(wait).cancel_on(flag.clone());
    let err = cancelled_while_running(&server, "GET /v2/actions/{id}", 2, flag, || {
        wait.next().unwrap().unwrap_err()
    });
    let Error::Cancelled(states) = err else {
        panic!("{err:?}");
    };
    assert!(states.finished.is_empty());
    let [TargetState::Action(a)] = &states.pending[..] else {
        panic!("{states:?}");
    };
    assert_eq!(a.id, reboot.id);
    assert_eq!(a.status, ActionStatus::InProgress);

    // A flag set before the wait starts cancels it at once.
    let set: CancelFlag = Arc::new(AtomicBool::new(true));
    let err = c
        .wait_droplet_ids([id], Until::Status(DropletStatus::Off))
        .cancel_on(set)
        .next()
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled(_)), "{err:?}");
}

#[test]
fn a_wait_past_its_time_limit_is_a_timeout_with_the_states() {
    let server = slow_sim();
    let c = builder(server.url())
        .wait_time(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let d = c.create_droplet("late", spec()).unwrap();
    let start = Instant::now();
    let err = c
        .wait_droplet(d.id, Until::Status(DropletStatus::Active))
        .unwrap_err();
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert!(start.elapsed() < Duration::from_secs(5));
    let Error::WaitTimeout(states) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(states.pending.len(), 1);
    assert_eq!(states.pending[0].id(), d.id);
    assert!(err.to_string().contains("1 of 1"), "{err}");
}

#[test]
fn an_errored_action_ends_the_wait_with_action_failed() {
    let server = start(SimConfig {
        failing_actions: vec!["snapshot".into()],
        seed_droplets: 1,
        ..fast_sim()
    });
    let c = client(&server);
    let id = c.fetch_all_droplets().next().unwrap().unwrap().id;
    let snap = c.snapshot(id, "doomed").unwrap();
    let err = c.wait_action(snap.clone()).unwrap_err();
    let Error::ActionFailed(action) = err else {
        panic!("{err:?}");
    };
    assert_eq!(action.id, snap.id);
    assert_eq!(action.status, ActionStatus::Errored);
    assert_eq!(action.kind, ActionType::Snapshot);
    // wait_for_action says the same.
    c.snapshot(id, "doomed-too").unwrap();
    assert!(matches!(
        c.wait_for_droplet_action(id),
        Err(Error::ActionFailed(_))
    ));
}

#[test]
fn the_in_process_simulator_runs_minutes_of_waiting_in_no_time() {
    let transport = Arc::new(OfflineTransport::simulator(SimConfig {
        boot_delay: Duration::from_secs(5 * 60),
        action_delay: Duration::from_secs(2 * 60),
        // DigitalOcean's own limits (250 a minute): the waits pace themselves.
        ..SimConfig::default()
    }));
    // Every default: 2 s between polls, 30 minutes of wait time.
    let c = Client::builder(TOKEN)
        .transport(transport.clone())
        .build()
        .unwrap();
    let wall = Instant::now();
    let names = (0..10).map(|i| format!("virtual-{i}")).collect();
    let droplets = c
        .create_multiple_droplets(names, tagged_spec(&["virtual"]))
        .unwrap();
    let active: Vec<_> = c
        .wait_droplets(droplets, Until::Status(DropletStatus::Active))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(active.len(), 10);
    let actions = c
        .act_on_tagged_droplets(
            "virtual",
            doapi_blocking::endpoints::DropletAction::PowerOff,
        )
        .unwrap();
    let done: Vec<_> = c.wait_actions(actions).collect::<Result<_, _>>().unwrap();
    assert!(done.iter().all(|a| a.is_completed()));
    let off = c
        .fetch_all_tagged_droplets("virtual")
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert!(off.iter().all(|d| d.is_off()));

    assert!(transport.elapsed() >= Duration::from_secs(7 * 60));
    assert!(transport.elapsed() < Duration::from_secs(9 * 60));
    assert!(
        wall.elapsed() < Duration::from_secs(5),
        "{:?}",
        wall.elapsed()
    );
    // The virtual clock is the client's clock.
    assert!(c.now() >= wall);
}

#[test]
fn the_in_process_simulator_injects_faults_in_virtual_time_too() {
    let transport = Arc::new(OfflineTransport::simulator(SimConfig {
        faults: vec![common::parse_fault("503,from=1,to=3,route=GET /v2/account")],
        ..fast_sim()
    }));
    // The default retry policy: backoffs of 1, 2 and 4 s, in virtual time.
    let c = Client::builder(TOKEN)
        .transport(transport.clone())
        .build()
        .unwrap();
    let wall = Instant::now();
    assert!(c.fetch_account().unwrap().droplet_limit > 0);
    assert!(transport.elapsed() >= Duration::from_secs(3));
    assert!(wall.elapsed() < Duration::from_secs(2));
}

/// The session recorded and replayed below: a small life cycle.
fn session(c: &Client) -> Vec<String> {
    let mut seen = Vec::new();
    let d = c.create_droplet("taped", tagged_spec(&["tape"])).unwrap();
    seen.push(format!("created {} {}", d.id, d.status));
    let d = c
        .wait_droplet(d.id, Until::Status(DropletStatus::Active))
        .unwrap();
    seen.push(format!("active {} {:?}", d.id, d.ip_address()));
    let reboot = c.reboot(d.id).unwrap();
    seen.push(format!("reboot {}", reboot.id));
    let d = c.wait_for_droplet_action(d.id).unwrap().unwrap();
    seen.push(format!("after {} {} {}", d.id, d.status, d.locked));
    for x in c.fetch_all_tagged_droplets("tape") {
        seen.push(format!("listed {}", x.unwrap().name));
    }
    c.delete_droplet(d.id).unwrap();
    let gone = c.fetch_droplet(d.id).unwrap_err();
    seen.push(format!("gone {}", gone.is_not_found()));
    seen
}

#[test]
fn a_recorded_session_holds_no_token_and_replays_the_same() {
    let cassette = std::env::temp_dir().join(format!(
        "doapi-blocking-cassette-{}.jsonl",
        std::process::id()
    ));
    let server = start(fast_sim());
    let endpoint = server.url().to_owned();
    let recorder = Recorder::new(UreqTransport::new(Limits::default()), &cassette).unwrap();
    let recording = builder(&endpoint).transport(recorder).build().unwrap();
    let recorded = session(&recording);
    let sent = server.stats().requests;
    drop(recording);
    drop(server); // The replay has nothing to talk to.

    let text = std::fs::read_to_string(&cassette).unwrap();
    assert_eq!(text.lines().count() as u64, sent);
    assert!(!text.contains(TOKEN));
    assert!(!text.to_ascii_lowercase().contains("authorization"));
    assert!(!text.contains("Bearer"));
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["url"].as_str().unwrap().starts_with(&endpoint), "{line}");
    }

    let transport = Arc::new(OfflineTransport::cassette(&cassette).unwrap());
    let replaying = builder(&endpoint)
        .transport(transport.clone())
        .build()
        .unwrap();
    let wall = Instant::now();
    let replayed = session(&replaying);
    assert_eq!(replayed, recorded);
    transport.finish().unwrap();
    assert!(wall.elapsed() < Duration::from_secs(2));
    std::fs::remove_file(&cassette).unwrap();
}

#[test]
fn the_token_never_shows_and_is_kept_off_plain_http() {
    let server = start(SimConfig {
        tokens: vec![TOKEN.into()],
        ..fast_sim()
    });
    // Pasted with quotes and a newline: trimmed, and accepted.
    let pasted = format!(" \"{TOKEN}\"\n");
    let b = Client::builder(&pasted).endpoint(server.url());
    assert!(!format!("{b:?}").contains(TOKEN));
    let c = b.build().unwrap();
    assert!(c.fetch_account().is_ok());
    let shown = format!("{c:?} {:?} {:?}", c.config(), c.clone());
    assert!(!shown.contains(TOKEN), "{shown}");

    // A refused token: the error does not carry it either.
    let other = Client::builder("dop_v1_wrong-token-0000")
        .endpoint(server.url())
        .build()
        .unwrap();
    let err = other.fetch_account().unwrap_err();
    assert_eq!(err.api().map(|a| a.status.as_u16()), Some(401));
    assert!(!format!("{err} {err:?}").contains("wrong-token"));

    // Empty tokens are refused.
    for empty in ["", "   ", "\"\"", " '' \n"] {
        let err = Client::builder(empty).build().unwrap_err();
        assert!(
            matches!(err, Error::Request(RequestError::InvalidToken(_))),
            "{empty:?}: {err:?}"
        );
    }

    // Plain http only to loopback, unless asked for.
    for url in [
        "http://api.example.com",
        "http://10.0.0.7:8080",
        "http://[2001:db8::1]",
    ] {
        let err = Client::builder(TOKEN).endpoint(url).build().unwrap_err();
        assert!(
            matches!(err, Error::Request(RequestError::InsecureEndpoint(_))),
            "{url}: {err:?}"
        );
        assert!(!err.to_string().contains(TOKEN));
        let c = Client::builder(TOKEN)
            .endpoint(url)
            .allow_insecure_http()
            .build()
            .unwrap();
        assert_eq!(c.config().endpoint(), url);
    }
    for url in [
        "http://127.0.0.1:1",
        "http://localhost:8080",
        "http://[::1]:8080",
        "https://api.example.com",
    ] {
        assert!(
            Client::builder(TOKEN).endpoint(url).build().is_ok(),
            "{url}"
        );
    }
}
