//! Waits started independently from many threads of one client share their
//! polling: about one listing a round between them, not a GET per droplet.

use std::time::{Duration, Instant};

use doapi_conformance::{both, start, tagged_spec, Subject};
use doapi_core::models::DropletStatus;
use doapi_core::Until;
use doapi_sim::SimConfig;

const ACTIVE: Until = Until::Status(DropletStatus::Active);

/// `tasks` threads, each creating its own droplet and waiting on it alone;
/// the polls the waits sent, and the rounds the waiting took.
fn create_and_wait_each<C: Subject>(tasks: usize, boot: Duration) -> (u64, u64) {
    let server = start(SimConfig {
        boot_delay: boot,
        ..SimConfig::fast()
    });
    let c = C::client(&server);
    let interval = c.session().config().wait_interval;
    let started = Instant::now();
    let statuses: Vec<DropletStatus> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..tasks)
            .map(|i| {
                let c = c.clone();
                s.spawn(move || {
                    let spec = tagged_spec(&[&format!("own-{i}")]);
                    let d = c.ok(c.create_droplet(format!("shared-{i}"), spec));
                    c.ok(c.wait_droplet(d.id, ACTIVE)).status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(statuses.len(), tasks);
    assert!(statuses.iter().all(|s| *s == DropletStatus::Active));
    let stats = server.stats();
    assert_eq!(stats.requests_to("POST /v2/droplets"), tasks as u64);
    let polls = stats.requests_to("GET /v2/droplets") + stats.requests_to("GET /v2/droplets/{id}");
    let rounds = (started.elapsed().as_millis() / interval.as_millis()) as u64 + 1;
    (polls, rounds)
}

fn forty_waits_on_their_own_droplets_share_one_listing_a_round<C: Subject>() {
    let (polls, rounds) = create_and_wait_each::<C>(40, Duration::from_millis(600));
    println!("{}: {polls} polls in {rounds} rounds", C::NAME);
    // Alone, each would GET its droplet every round: 40 a round. Shared,
    // a listing a round, and a GET of a droplet a listing has not shown yet.
    assert!(polls <= 2 * rounds + 40, "{polls} polls in {rounds} rounds");
    assert!(polls < 10 * rounds, "{polls} polls in {rounds} rounds");
}

both!(forty_waits_on_their_own_droplets_share_one_listing_a_round);
