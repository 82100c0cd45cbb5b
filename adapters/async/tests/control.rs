//! How async waits end (a cancel future, a dropped stream or future, a
//! time limit, a failed action), sharing one client across many tasks, the
//! offline transports (the in-process simulator on a virtual clock, a
//! recorded cassette), and the token's hygiene.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{builder, client, fast_retry, fast_sim, spec, start, tagged_spec, TOKEN};
use doapi_async::endpoints::{DropletAction, ListSizes};
use doapi_async::models::{ActionStatus, ActionType, DropletStatus};
use doapi_async::{
    Client, Error, Limits, OfflineTransport, Recorder, RequestError, ReqwestTransport, TargetState,
    Until, Wait, WaitForAction,
};
use doapi_sim::{SimConfig, SimServer};
use futures::{StreamExt, TryStreamExt};
use tokio::sync::oneshot;

/// The client, its streams and (with an owned clone) its futures move
/// into tasks; the client is shared.
#[test]
fn the_client_is_clone_send_sync_and_its_streams_and_futures_send() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    fn movable<T: Send + 'static>(_: &T) {}
    fn sendable<T: Send>(_: &T) {}
    shareable::<Client>();
    let c = Client::new(TOKEN).unwrap();
    movable(&c.fetch_all_droplets());
    movable(&c.wait_droplet_ids([1], Until::Locked(false)));
    sendable(&c.fetch_account());
    sendable(&c.wait_for_droplet_action(1));
    let owned = c.clone();
    movable(&async move { owned.wait_droplet(1, Until::Locked(false)).await });
}

/// A simulator where nothing finishes during a test: droplets boot and
/// actions run for a minute. One droplet is already active.
async fn slow_sim() -> SimServer {
    start(SimConfig {
        boot_delay: Duration::from_secs(60),
        action_delay: Duration::from_secs(60),
        seed_droplets: 1,
        ..fast_sim()
    })
    .await
}

/// A future that completes once the simulator has seen `more` requests to
/// `route` beyond the count now: the wait is then running.
fn after_requests(
    server: &Arc<SimServer>,
    route: &'static str,
    more: u64,
) -> oneshot::Receiver<()> {
    let (tx, rx) = oneshot::channel();
    let server = server.clone();
    let from = server.stats().requests_to(route);
    tokio::spawn(async move {
        let deadline = Instant::now() + Duration::from_secs(20);
        while server.stats().requests_to(route) < from + more {
            assert!(Instant::now() < deadline, "the wait never polled");
            // Polls a condition; it does not stand in for one.
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let _ = tx.send(());
    });
    rx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_cancelled_by_a_future_returns_the_current_states() {
    let server = Arc::new(slow_sim().await);
    let c = client(&server);
    let seeded = c.fetch_all_droplets().try_next().await.unwrap().unwrap();
    let new = c
        .create_multiple_droplets(vec!["slow-1".into(), "slow-2".into()], spec())
        .await
        .unwrap();

    let wait = Wait::droplets(
        c.config(),
        new.iter().cloned().chain([seeded.clone()]),
        Until::Status(DropletStatus::Active),
        c.now(),
    )
    .with_retry(fast_retry());
    let cancel = after_requests(&server, "GET /v2/droplets", 3);
    let mut wait = c.wait_with_cancel(wait, async move {
        let _ = cancel.await;
    });
    // The active one comes first, in completion order.
    assert_eq!(wait.try_next().await.unwrap().unwrap().id, seeded.id);
    let start = Instant::now();
    let err = wait.next().await.unwrap().unwrap_err();
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
    // The stream has ended, and nothing more is sent.
    let sent = server.stats().requests;
    assert!(wait.next().await.is_none());
    assert_eq!(server.stats().requests, sent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_wait_for_action_reports_the_action_in_progress() {
    let server = Arc::new(slow_sim().await);
    let c = client(&server);
    let id = c.fetch_all_droplets().try_next().await.unwrap().unwrap().id;
    let reboot = c.reboot(id).await.unwrap();

    let cancel = after_requests(&server, "GET /v2/actions/{id}", 2);
    let wait = WaitForAction::droplet(c.config(), id, c.now()).with_retry(fast_retry());
    let err = c
        .wait_with_cancel(wait, async move {
            let _ = cancel.await;
        })
        .next()
        .await
        .unwrap()
        .unwrap_err();
    let Error::Cancelled(states) = err else {
        panic!("{err:?}");
    };
    assert!(states.finished.is_empty());
    let [TargetState::Action(a)] = &states.pending[..] else {
        panic!("{states:?}");
    };
    assert_eq!(a.id, reboot.id);
    assert_eq!(a.status, ActionStatus::InProgress);

    // A cancel future that is already complete ends the wait before its
    // first poll.
    let sent = server.stats().requests;
    let wait = Wait::droplet_ids(c.config(), [id], Until::Status(DropletStatus::Off), c.now());
    let err = c
        .wait_with_cancel(wait, futures::future::ready(()))
        .next()
        .await
        .unwrap()
        .unwrap_err();
    let Error::Cancelled(states) = err else {
        panic!("{err:?}");
    };
    assert_eq!(states.pending, [TargetState::Unseen { id }]);
    assert_eq!(server.stats().requests, sent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_wait_stream_or_future_stops_its_requests() {
    let server = start(SimConfig {
        boot_delay: Duration::from_millis(600),
        action_delay: Duration::from_millis(600),
        seed_droplets: 1,
        ..fast_sim()
    })
    .await;
    let c = client(&server);
    let seeded = c.fetch_all_droplets().try_next().await.unwrap().unwrap();
    let new = c
        .create_multiple_droplets(
            vec!["drop-1".into(), "drop-2".into()],
            tagged_spec(&["drop"]),
        )
        .await
        .unwrap();

    // Mid-way: one droplet yielded, two pending; then the stream is dropped.
    let mut wait = c.wait_droplets(
        new.iter().cloned().chain([seeded.clone()]),
        Until::Status(DropletStatus::Active),
    );
    assert_eq!(wait.try_next().await.unwrap().unwrap().id, seeded.id);
    drop(wait);
    // A single wait given up by a timeout: its future is dropped.
    let gave_up = tokio::time::timeout(
        Duration::from_millis(100),
        c.wait_droplet(new[0].id, Until::Status(DropletStatus::Active)),
    )
    .await;
    assert!(gave_up.is_err(), "the droplet boots for 600 ms");
    let stats = server.stats();
    let (listings, singles) = (
        stats.requests_to("GET /v2/droplets"),
        stats.requests_to("GET /v2/droplets/{id}"),
    );
    assert!(listings + singles > 0);

    // Let the boot delay pass through another wait, on another route: the
    // dropped waits sent nothing meanwhile.
    let reboot = c.reboot(seeded.id).await.unwrap();
    assert!(c.wait_action(reboot).await.unwrap().is_completed());
    let stats = server.stats();
    assert_eq!(stats.requests_to("GET /v2/droplets"), listings, "{stats}");
    assert_eq!(
        stats.requests_to("GET /v2/droplets/{id}"),
        singles,
        "{stats}"
    );
    assert!(stats.requests_to("GET /v2/actions/{id}") > 1);
    // The droplets did boot meanwhile.
    assert!(c.fetch_droplet(new[0].id).await.unwrap().is_active());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_waits_and_listings_run_concurrently_on_tasks() {
    let server = start(fast_sim()).await;
    let c = builder(server.url()).per_page(5).build().unwrap();
    c.create_tag("conc").await.unwrap();

    let mut tasks = tokio::task::JoinSet::new();
    // Twelve tasks, each with its own droplet: create, wait, reboot, wait.
    for i in 0..12 {
        let c = c.clone();
        tasks.spawn(async move {
            let d = c
                .create_droplet(format!("conc-{i}"), tagged_spec(&["conc"]))
                .await?;
            let d = c
                .wait_droplet(d.id, Until::Status(DropletStatus::Active))
                .await?;
            c.reboot(d.id).await?;
            let d = c.wait_for_droplet_action(d.id).await?.expect("the droplet");
            Ok::<_, Error>(format!("droplet {} {}", d.name, d.status))
        });
    }
    // Eight tasks listing over pages at the same time.
    for _ in 0..8 {
        let c = c.clone();
        tasks.spawn(async move {
            let sizes: Vec<_> = c.list(ListSizes {}).try_collect().await?;
            let regions: Vec<_> = c.fetch_all_regions().try_collect().await?;
            Ok(format!("listed {} {}", sizes.len(), regions.len()))
        });
    }
    let mut seen = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        seen.push(joined.unwrap().unwrap());
    }
    let droplets: HashSet<_> = seen.iter().filter(|s| s.starts_with("droplet")).collect();
    assert_eq!(droplets.len(), 12);
    assert!(droplets.iter().all(|s| s.ends_with(" active")));
    assert_eq!(
        seen.iter().filter(|s| s.starts_with("listed 22 ")).count(),
        8,
        "{seen:?}"
    );

    // And a wait on all of them, by tag, in a task of its own, while
    // others power them off.
    let ids: Vec<u64> = c
        .fetch_all_tagged_droplets("conc")
        .map_ok(|d| d.id)
        .try_collect()
        .await
        .unwrap();
    let waiter = {
        let c = c.clone();
        let ids = ids.clone();
        tokio::spawn(async move {
            c.wait_droplet_ids(ids, Until::Status(DropletStatus::Off))
                .try_collect::<Vec<_>>()
                .await
        })
    };
    let actions = c
        .act_on_tagged_droplets("conc", DropletAction::PowerOff)
        .await
        .unwrap();
    assert_eq!(actions.len(), 12);
    let off = waiter.await.unwrap().unwrap();
    assert_eq!(off.len(), 12);
    assert!(off.iter().all(|d| d.is_off()));
    assert_eq!(
        off.iter().map(|d| d.id).collect::<HashSet<_>>(),
        ids.into_iter().collect()
    );
    assert!(
        c.last_response().is_some(),
        "clones share the last response"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_past_its_time_limit_is_a_timeout_with_the_states() {
    let server = slow_sim().await;
    let c = builder(server.url())
        .wait_time(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let d = c.create_droplet("late", spec()).await.unwrap();
    let start = Instant::now();
    let err = c
        .wait_droplet(d.id, Until::Status(DropletStatus::Active))
        .await
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_errored_action_ends_the_wait_with_action_failed() {
    let server = start(SimConfig {
        failing_actions: vec!["snapshot".into()],
        seed_droplets: 1,
        ..fast_sim()
    })
    .await;
    let c = client(&server);
    let id = c.fetch_all_droplets().try_next().await.unwrap().unwrap().id;
    let snap = c.snapshot(id, "doomed").await.unwrap();
    let err = c.wait_action(snap.clone()).await.unwrap_err();
    let Error::ActionFailed(action) = err else {
        panic!("{err:?}");
    };
    assert_eq!(action.id, snap.id);
    assert_eq!(action.status, ActionStatus::Errored);
    assert_eq!(action.kind, ActionType::Snapshot);
    c.snapshot(id, "doomed-too").await.unwrap();
    assert!(matches!(
        c.wait_for_droplet_action(id).await,
        Err(Error::ActionFailed(_))
    ));
}

#[tokio::test]
async fn the_in_process_simulator_runs_minutes_of_waiting_in_no_time() {
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
        .await
        .unwrap();
    let active: Vec<_> = c
        .wait_droplets(droplets, Until::Status(DropletStatus::Active))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(active.len(), 10);
    let actions = c
        .act_on_tagged_droplets("virtual", DropletAction::PowerOff)
        .await
        .unwrap();
    let done: Vec<_> = c.wait_actions(actions).try_collect().await.unwrap();
    assert!(done.iter().all(|a| a.is_completed()));
    let off: Vec<_> = c
        .fetch_all_tagged_droplets("virtual")
        .try_collect()
        .await
        .unwrap();
    assert!(off.iter().all(|d| d.is_off()));

    assert!(transport.elapsed() >= Duration::from_secs(7 * 60));
    assert!(transport.elapsed() < Duration::from_secs(9 * 60));
    assert!(
        wall.elapsed() < Duration::from_secs(5),
        "{:?}",
        wall.elapsed()
    );
    assert!(c.now() >= wall);
}

#[tokio::test]
async fn the_in_process_simulator_injects_faults_in_virtual_time_too() {
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
    assert!(c.fetch_account().await.unwrap().droplet_limit > 0);
    assert!(transport.elapsed() >= Duration::from_secs(3));
    assert!(wall.elapsed() < Duration::from_secs(2));
}

/// The session recorded and replayed below: a small life cycle.
async fn session(c: &Client) -> Vec<String> {
    let mut seen = Vec::new();
    let d = c
        .create_droplet("taped", tagged_spec(&["tape"]))
        .await
        .unwrap();
    seen.push(format!("created {} {}", d.id, d.status));
    let d = c
        .wait_droplet(d.id, Until::Status(DropletStatus::Active))
        .await
        .unwrap();
    seen.push(format!("active {} {:?}", d.id, d.ip_address()));
    let reboot = c.reboot(d.id).await.unwrap();
    seen.push(format!("reboot {}", reboot.id));
    let d = c.wait_for_droplet_action(d.id).await.unwrap().unwrap();
    seen.push(format!("after {} {} {}", d.id, d.status, d.locked));
    let mut listed = c.fetch_all_tagged_droplets("tape");
    while let Some(x) = listed.try_next().await.unwrap() {
        seen.push(format!("listed {}", x.name));
    }
    c.delete_droplet(d.id).await.unwrap();
    let gone = c.fetch_droplet(d.id).await.unwrap_err();
    seen.push(format!("gone {}", gone.is_not_found()));
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_session_holds_no_token_and_replays_the_same() {
    let cassette =
        std::env::temp_dir().join(format!("doapi-async-cassette-{}.jsonl", std::process::id()));
    let server = start(fast_sim()).await;
    let endpoint = server.url().to_owned();
    let real = ReqwestTransport::new(Limits::default()).unwrap();
    let recorder = Recorder::new(real, &cassette).unwrap();
    let recording = builder(&endpoint).transport(recorder).build().unwrap();
    let recorded = session(&recording).await;
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
    let replayed = session(&replaying).await;
    assert_eq!(replayed, recorded);
    transport.finish().unwrap();
    assert!(wall.elapsed() < Duration::from_secs(2));
    std::fs::remove_file(&cassette).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_shows_and_is_kept_off_plain_http() {
    let server = start(SimConfig {
        tokens: vec![TOKEN.into()],
        ..fast_sim()
    })
    .await;
    // Pasted with quotes and a newline: trimmed, and accepted.
    let pasted = format!(" \"{TOKEN}\"\n");
    let b = Client::builder(&pasted).endpoint(server.url());
    assert!(!format!("{b:?}").contains(TOKEN));
    let c = b.build().unwrap();
    assert!(c.fetch_account().await.is_ok());
    let shown = format!("{c:?} {:?} {:?}", c.config(), c.clone());
    assert!(!shown.contains(TOKEN), "{shown}");

    // A refused token: the error does not carry it either.
    let other = Client::builder("dop_v1_wrong-token-0000")
        .endpoint(server.url())
        .build()
        .unwrap();
    let err = other.fetch_account().await.unwrap_err();
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
