//! How waits end (cancelled while running or before they start, timed out,
//! a failed action), the offline transports (the in-process simulator on a
//! virtual clock, a recorded cassette), and the token's hygiene.

use std::sync::Arc;
use std::time::{Duration, Instant};

use doapi_conformance::{
    both, fast_sim, sim_with_faults, slow_sim, spec, start, tagged_spec, Subject, TOKEN,
};
use doapi_core::endpoints::DropletAction;
use doapi_core::models::{ActionStatus, ActionType, Droplet, DropletStatus};
use doapi_core::testing::OfflineTransport;
use doapi_core::{Error, RequestError, Resource, Target, TargetState, Until, WaitStates};
use doapi_sim::{SimConfig, SimServer};

const ACTIVE: Until = Until::Status(DropletStatus::Active);

/// A simulator where nothing finishes during a test: droplets boot and
/// actions run for a minute. One droplet is already active.
fn slow() -> Arc<SimServer> {
    Arc::new(start(slow_sim(Duration::from_secs(60))))
}

/// Whether the simulator has seen `more` requests to `route` beyond the
/// count now: then the wait is running (sleeping between rounds, most of
/// the time).
fn after_requests(server: &Arc<SimServer>, route: &'static str, more: u64) -> impl Fn() -> bool {
    let server = server.clone();
    let from = server.stats().requests_to(route);
    move || server.stats().requests_to(route) >= from + more
}

/// The states a wait's last output, `Error::Cancelled`, carries.
#[track_caller]
fn cancelled<T: std::fmt::Debug>(outputs: &mut Vec<Result<T, Error>>) -> WaitStates {
    match outputs.pop() {
        Some(Err(Error::Cancelled(states))) => *states,
        other => panic!("{other:?}"),
    }
}

/// The droplet a state holds.
#[track_caller]
fn droplet(state: &TargetState) -> &Droplet {
    match &state.resource {
        Some(Resource::Droplet(d)) => d,
        other => panic!("{other:?}"),
    }
}

fn a_wait_cancelled_while_it_runs_returns_the_current_states<C: Subject>() {
    let server = slow();
    let c = C::client(&server);
    let seeded = c.first_droplet();
    let new = c.ok(c.create_multiple_droplets(vec!["slow-1".into(), "slow-2".into()], spec()));
    let given = new.iter().cloned().chain([seeded.clone()]);
    let wait = c.session().wait_droplets(given, ACTIVE, c.now());
    // Cancelled while it runs, after three rounds.
    let start = Instant::now();
    let mut outputs = c.wait_cancelled(wait, after_requests(&server, "GET /v2/droplets", 3));
    assert!(start.elapsed() < Duration::from_secs(10));
    let states = cancelled(&mut outputs);
    // The active one came first, in completion order; nothing after the
    // error.
    let [Ok(first)] = &outputs[..] else {
        panic!("{outputs:?}");
    };
    assert_eq!(first.id, seeded.id);
    assert_eq!(states.finished.len(), 1);
    assert_eq!(states.finished[0].target, Target::Droplet(seeded.id));
    let pending: Vec<_> = states.pending.iter().map(|p| p.target.clone()).collect();
    let new_ids: Vec<_> = new.iter().map(|d| Target::Droplet(d.id)).collect();
    assert_eq!(pending, new_ids);
    for p in &states.pending {
        assert_eq!(droplet(p).status, DropletStatus::New);
    }
}

fn a_cancelled_wait_for_action_reports_the_action_in_progress<C: Subject>() {
    let server = slow();
    let c = C::client(&server);
    let id = c.first_droplet().id;
    let reboot = c.ok(c.reboot(id));
    let wait = c.session().wait_for_droplet_action(id, c.now());
    let mut outputs = c.wait_cancelled(wait, after_requests(&server, "GET /v2/actions/{id}", 2));
    let states = cancelled(&mut outputs);
    assert!(outputs.is_empty() && states.finished.is_empty());
    let [state] = &states.pending[..] else {
        panic!("{states:?}");
    };
    let action = state.action.as_ref().expect("the action as last polled");
    assert_eq!(action.id, reboot.id);
    assert_eq!(action.status, ActionStatus::InProgress);

    // A cancel that has come before the wait starts ends it before its
    // first poll: nothing is sent, and the droplet is pending, unseen.
    let off = Until::Status(DropletStatus::Off);
    let wait = c.session().wait_droplet_ids([id], off, c.now());
    let sent = server.stats().requests;
    let mut outputs = c.wait_cancelled(wait, || true);
    let states = cancelled(&mut outputs);
    assert!(outputs.is_empty() && states.finished.is_empty());
    assert_eq!(states.pending, [TargetState::unseen(Target::Droplet(id))]);
    assert_eq!(server.stats().requests, sent, "{}", server.stats());
}

fn a_wait_past_its_time_limit_is_a_timeout_with_the_states<C: Subject>() {
    let server = slow();
    let c = C::builder_for(server.url()).wait_time(Some(Duration::from_millis(300)));
    let c = c.build().unwrap();
    let d = c.ok(c.create_droplet("late", spec()));
    let start = Instant::now();
    let err = c.err(c.wait_droplet(d.id, ACTIVE));
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    let Error::WaitTimeout(states) = &err else {
        panic!("{err:?}");
    };
    let [state] = &states.pending[..] else {
        panic!("{states:?}");
    };
    assert_eq!(state.target, Target::Droplet(d.id));
    assert_eq!(droplet(state).status, DropletStatus::New);
    assert!(err.to_string().contains("1 of 1"), "{err}");
}

fn an_errored_action_ends_the_wait_with_action_failed<C: Subject>() {
    let mut config = fast_sim();
    (config.failing_actions, config.seed_droplets) = (vec!["snapshot".into()], 1);
    let server = start(config);
    let c = C::client(&server);
    let id = c.first_droplet().id;
    let snap = c.ok(c.snapshot(id, "doomed"));
    let err = c.err(c.wait_action(snap.clone()));
    let Error::ActionFailed(action) = err else {
        panic!("{err:?}");
    };
    assert_eq!((action.id, action.status), (snap.id, ActionStatus::Errored));
    assert_eq!(action.kind, ActionType::Snapshot);
    // wait_for_action says the same.
    c.ok(c.snapshot(id, "doomed-too"));
    let err = c.get(c.wait_for_droplet_action(id));
    assert!(matches!(err, Err(Error::ActionFailed(_))), "{err:?}");
}

/// A client with every default on the in-process simulator, and its
/// transport (to read the virtual time).
fn offline<C: Subject>(config: SimConfig) -> (C, Arc<OfflineTransport>) {
    let transport = Arc::new(OfflineTransport::simulator(config));
    let builder = C::offline(C::builder(TOKEN), transport.clone());
    (builder.build().unwrap(), transport)
}

fn the_in_process_simulator_runs_minutes_of_waiting_in_no_time<C: Subject>() {
    let (c, transport) = offline::<C>(SimConfig {
        boot_delay: Duration::from_secs(5 * 60),
        action_delay: Duration::from_secs(2 * 60),
        // DigitalOcean's own limits (250 a minute): the waits pace themselves.
        ..SimConfig::default()
    });
    // Every default: 2 s between polls, 30 minutes of wait time.
    let wall = Instant::now();
    let names = (0..10).map(|i| format!("virtual-{i}")).collect();
    let droplets = c.ok(c.create_multiple_droplets(names, tagged_spec(&["virtual"])));
    assert_eq!(c.finished(c.wait_droplets(droplets, ACTIVE)).len(), 10);
    let actions = c.ok(c.act_on_tagged_droplets("virtual", DropletAction::PowerOff));
    let done = c.finished(c.wait_actions(actions));
    assert!(done.iter().all(|a| a.is_completed()));
    let off = c.all(c.fetch_all_tagged_droplets("virtual"));
    assert!(off.iter().all(|d| d.is_off()));
    let limit = c.last_rate_limit().expect("the simulator's rate limit");
    assert_eq!(limit.limit, 5000, "by the hour");
    assert!(limit.remaining < 5000);

    assert!(transport.elapsed() >= Duration::from_secs(7 * 60));
    assert!(transport.elapsed() < Duration::from_secs(9 * 60));
    let took = wall.elapsed();
    assert!(took < Duration::from_secs(5), "{took:?}");
    // The virtual clock is the client's clock, minutes ahead of the wall's.
    assert!(c.now() >= wall + Duration::from_secs(6 * 60));
}

fn the_in_process_simulator_injects_faults_in_virtual_time_too<C: Subject>() {
    let (c, transport) = offline::<C>(sim_with_faults(&["503,from=1,to=3,route=GET /v2/account"]));
    // The default retry policy: backoffs of 1, 2 and 4 s, in virtual time.
    let wall = Instant::now();
    assert!(c.ok(c.fetch_account()).droplet_limit > 0);
    assert!(transport.elapsed() >= Duration::from_secs(3));
    assert!(wall.elapsed() < Duration::from_secs(2));
}

/// The session recorded and replayed below: a small life cycle.
fn taped<C: Subject>(c: &C) -> Vec<String> {
    let mut seen = Vec::new();
    let d = c.ok(c.create_droplet("taped", tagged_spec(&["tape"])));
    seen.push(format!("created {} {}", d.id, d.status));
    let d = c.ok(c.wait_droplet(d.id, ACTIVE));
    seen.push(format!("active {} {:?}", d.id, d.ip_address()));
    seen.push(format!("reboot {}", c.ok(c.reboot(d.id)).id));
    let d = c.ok(c.wait_for_droplet_action(d.id)).unwrap();
    seen.push(format!("after {} {} {}", d.id, d.status, d.locked));
    for x in c.all(c.fetch_all_tagged_droplets("tape")) {
        seen.push(format!("listed {}", x.name));
    }
    c.ok(c.delete_droplet(d.id));
    let gone = c.err(c.fetch_droplet(d.id));
    seen.push(format!("gone {}", gone.is_not_found()));
    seen
}

fn a_recorded_session_holds_no_token_and_replays_the_same<C: Subject>() {
    let server = start(fast_sim());
    let endpoint = server.url().to_owned();
    let (builder, cassette) = C::recording(C::builder_for(&endpoint));
    let recorded = taped(&builder.build().unwrap());
    let sent = server.stats().requests;
    drop(server); // The replay has nothing to talk to.

    let text = cassette.text();
    assert_eq!(text.lines().count() as u64, sent);
    assert!(!text.contains(TOKEN));
    assert!(!text.to_ascii_lowercase().contains("authorization"));
    assert!(!text.contains("Bearer"));
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["url"].as_str().unwrap().starts_with(&endpoint), "{line}");
    }

    let transport = Arc::new(OfflineTransport::from_cassette(&text).unwrap());
    let replaying = C::offline(C::builder_for(&endpoint), transport.clone());
    let wall = Instant::now();
    assert_eq!(taped(&replaying.build().unwrap()), recorded);
    transport.finish().unwrap();
    assert!(wall.elapsed() < Duration::from_secs(2));
}

fn the_token_never_shows_and_is_kept_off_plain_http<C: Subject>() {
    let server = start(SimConfig {
        tokens: vec![TOKEN.into()],
        ..fast_sim()
    });
    // Pasted with quotes and a newline: trimmed, and accepted.
    let pasted = format!(" \"{TOKEN}\"\n");
    let b = C::builder(&pasted).endpoint(server.url());
    assert!(!format!("{b:?}").contains(TOKEN));
    let c = b.build().unwrap();
    assert!(c.get(c.fetch_account()).is_ok());
    let shown = format!("{c:?} {:?} {:?}", c.config(), c.clone());
    assert!(!shown.contains(TOKEN), "{shown}");
    let public = C::new(TOKEN).unwrap();
    assert_eq!(public.config().endpoint(), doapi_core::DEFAULT_ENDPOINT);
    assert!(!format!("{public:?}").contains(TOKEN));

    // A refused token: the error does not carry it either.
    let other = C::builder("dop_v1_wrong-token-0000").endpoint(server.url());
    let other = other.build().unwrap();
    let err = other.err(other.fetch_account());
    assert_eq!(err.api().map(|a| a.status.as_u16()), Some(401));
    assert!(!format!("{err} {err:?}").contains("wrong-token"));

    // Empty tokens are refused.
    for empty in ["", "   ", "\"\"", " '' \n"] {
        let err = C::builder(empty).build().unwrap_err();
        let refused = matches!(err, Error::Request(RequestError::InvalidToken(_)));
        assert!(refused, "{empty:?}: {err:?}");
    }

    // Plain http only to loopback, unless asked for.
    for url in [
        "http://api.example.com",
        "http://10.0.0.7:8080",
        "http://[2001:db8::1]",
    ] {
        let err = C::builder(TOKEN).endpoint(url).build().unwrap_err();
        let refused = matches!(err, Error::Request(RequestError::InsecureEndpoint(_)));
        assert!(refused, "{url}: {err:?}");
        assert!(!err.to_string().contains(TOKEN));
        let insecure = C::builder(TOKEN).endpoint(url).allow_insecure_http();
        assert_eq!(insecure.build().unwrap().config().endpoint(), url);
    }
    for url in [
        "http://127.0.0.1:1",
        "http://localhost:8080",
        "http://[::1]:8080",
        "https://api.example.com",
    ] {
        assert!(C::builder(TOKEN).endpoint(url).build().is_ok(), "{url}");
    }
}

both!(
    a_wait_cancelled_while_it_runs_returns_the_current_states,
    a_cancelled_wait_for_action_reports_the_action_in_progress,
    a_wait_past_its_time_limit_is_a_timeout_with_the_states,
    an_errored_action_ends_the_wait_with_action_failed,
    the_in_process_simulator_runs_minutes_of_waiting_in_no_time,
    the_in_process_simulator_injects_faults_in_virtual_time_too,
    a_recorded_session_holds_no_token_and_replays_the_same,
    the_token_never_shows_and_is_kept_off_plain_http,
);
