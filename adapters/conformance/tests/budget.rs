//! The rate budget a client shares across its tasks: against the in-process
//! simulator keeping DigitalOcean's limit of 250 requests a minute, in
//! virtual time (minutes of pacing take no time).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use doapi_conformance::{both, Subject, TOKEN};
use doapi_core::testing::OfflineTransport;
use doapi_core::{Allowance, Error};
use doapi_sim::{Delivery, Sim, SimConfig};

/// What the simulator saw: when each request came, and its status.
type Log = Arc<Mutex<Vec<(Instant, u16)>>>;

/// The in-process simulator with DigitalOcean's limits (250 a minute, 5,000
/// an hour), logging every request.
fn logged_sim() -> (Arc<OfflineTransport>, Log) {
    let log = Log::default();
    let seen = log.clone();
    let mut sim: Option<Sim> = None;
    let transport = OfflineTransport::new(move |req, now| {
        let sim = sim.get_or_insert_with(|| Sim::new(SimConfig::default(), now));
        let served = sim.handle(req, now);
        assert!(matches!(served.delivery, Delivery::Whole));
        let status = served.response.status().as_u16();
        seen.lock().unwrap().push((now, status));
        (Ok(served.response), served.delay)
    });
    (Arc::new(transport), log)
}

/// A client on `transport` keeping to `allowance`, with every other default.
fn client<C: Subject>(transport: &Arc<OfflineTransport>, allowance: Allowance) -> C {
    C::offline(C::builder(TOKEN), transport.clone())
        .allowance(allowance)
        .build()
        .unwrap()
}

/// The most requests the log holds in any 60 seconds.
fn busiest_minute(log: &[(Instant, u16)]) -> usize {
    let mut times: Vec<Instant> = log.iter().map(|(t, _)| *t).collect();
    times.sort();
    let mut first = 0;
    let mut most = 0;
    for (i, t) in times.iter().enumerate() {
        while t.duration_since(times[first]) >= Duration::from_secs(60) {
            first += 1;
        }
        most = most.max(i + 1 - first);
    }
    most
}

fn count_429(log: &[(Instant, u16)]) -> usize {
    log.iter().filter(|(_, s)| *s == 429).count()
}

/// `n` account fetches on each of `threads` clones of `c` at once.
fn fetch_accounts<C: Subject>(c: &C, threads: usize, n: usize) -> Vec<Result<(), Error>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let c = c.clone();
                s.spawn(move || {
                    (0..n)
                        .map(|_| c.get(c.fetch_account()).map(drop))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

fn threads_of_a_client_share_one_budget_and_never_meet_a_429<C: Subject>() {
    let (transport, log) = logged_sim();
    // On the virtual clock, a thread's sleep moves time for all: a request
    // counted at one instant may reach the simulator at a later one, one
    // such request per thread at most. The allowance leaves room for them.
    const THREADS: usize = 4;
    let allowance = Allowance {
        per_minute: 250 - THREADS as u32,
        ..Allowance::default()
    };
    let c: C = client(&transport, allowance);
    let results = fetch_accounts(&c, THREADS, 150);
    assert_eq!(results.len(), 600);
    assert!(results.iter().all(Result::is_ok));
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 600, "one request each: none was refused");
    assert_eq!(count_429(&log), 0);
    assert!(busiest_minute(&log) <= 250, "{}", busiest_minute(&log));
    // 600 requests at 250 a (counted, 61 s) minute: the third minute.
    assert!(transport.elapsed() >= Duration::from_secs(122));
    assert!(transport.elapsed() < Duration::from_secs(190));
}

fn without_a_budget_the_same_work_runs_into_the_limit<C: Subject>() {
    // The control: the same work with the budget off meets 429s (which the
    // retry policy then waits out).
    let (transport, log) = logged_sim();
    let c: C = client(&transport, Allowance::unlimited());
    let results = fetch_accounts(&c, 4, 150);
    assert!(results.iter().all(Result::is_ok));
    let log = log.lock().unwrap();
    assert!(count_429(&log) > 0);
    assert!(log.len() > 600);
}

fn a_smaller_allowance_is_kept_too<C: Subject>() {
    let (transport, log) = logged_sim();
    let allowance = Allowance {
        per_minute: 30,
        ..Allowance::default()
    };
    let c: C = client(&transport, allowance);
    let results = fetch_accounts(&c, 2, 45);
    assert!(results.iter().all(Result::is_ok));
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 90);
    assert!(busiest_minute(&log) <= 30, "{}", busiest_minute(&log));
    assert!(transport.elapsed() >= Duration::from_secs(122));
}

both!(
    threads_of_a_client_share_one_budget_and_never_meet_a_429,
    without_a_budget_the_same_work_runs_into_the_limit,
    a_smaller_allowance_is_kept_too,
);
