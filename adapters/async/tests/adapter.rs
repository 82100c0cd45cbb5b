//! What only the async client has: a client, futures and streams that move
//! into tasks; waits that stop when their stream or future is dropped or
//! their cancel future fires; many waits and listings sharing one client on
//! tasks.

use std::collections::HashSet;
use std::time::Duration;

use doapi_async::endpoints::{DropletAction, ListSizes};
use doapi_async::models::DropletStatus;
use doapi_async::{Api, Client, Error, Until};
use doapi_conformance::{fast_sim, slow_sim, tagged_spec, Subject, TOKEN};
use doapi_sim::SimServer;
use futures::TryStreamExt;

const ACTIVE: Until = Until::Status(DropletStatus::Active);

/// The client, its streams and (with an owned clone) its futures move
/// into tasks; the client is shared.
#[test]
fn the_client_is_clone_send_sync_and_its_streams_and_futures_send() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    fn movable<T: Send + 'static>(_: &T) {}
    shareable::<Client>();
    let c = Client::new(TOKEN).unwrap();
    movable(&c.fetch_all_droplets());
    movable(&c.wait_droplet_ids([1], Until::Locked(false)));
    movable(&c.fetch_account());
    movable(&c.wait_for_droplet_action(1));
    let owned = c.clone();
    movable(&async move { owned.wait_droplet(1, Until::Locked(false)).await });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_wait_stream_or_future_stops_its_requests() -> Result<(), Error> {
    let slow = slow_sim(Duration::from_millis(600));
    let server = SimServer::start(slow).await.expect("the simulator");
    let c = Client::client(&server);
    let seeded = c.fetch_all_droplets().try_next().await?.unwrap();
    let (names, spec) = (
        vec!["drop-1".into(), "drop-2".into()],
        tagged_spec(&["drop"]),
    );
    let new = c.create_multiple_droplets(names, spec).await?;

    // Mid-way: one droplet yielded, two pending; then the stream is dropped.
    let mut wait = c.wait_droplets(new.iter().cloned().chain([seeded.clone()]), ACTIVE);
    assert_eq!(wait.try_next().await?.unwrap().id, seeded.id);
    drop(wait);
    // A wait whose cancel future has fired ends with its states; its stream
    // then ends, and sends nothing more.
    let machine = c.session().wait_droplet_ids([new[1].id], ACTIVE, c.now());
    let mut cancelled = c.wait_with_cancel(machine, std::future::ready(()));
    let first = cancelled.try_next().await;
    assert!(matches!(first, Err(Error::Cancelled(_))), "{first:?}");
    let sent = server.stats().requests;
    assert!(cancelled.try_next().await?.is_none());
    assert_eq!(server.stats().requests, sent);
    // A single wait given up by a timeout: its future is dropped.
    let single = c.wait_droplet(new[0].id, ACTIVE);
    let gave_up = tokio::time::timeout(Duration::from_millis(100), single).await;
    assert!(gave_up.is_err(), "the droplet boots for 600 ms");
    let polls = |s: &doapi_sim::Stats| {
        s.requests_to("GET /v2/droplets") + s.requests_to("GET /v2/droplets/{id}")
    };
    let before = polls(&server.stats());
    assert!(before > 0);

    // Let the boot delay pass through another wait, on another route: the
    // dropped waits sent nothing meanwhile.
    let reboot = c.reboot(seeded.id).await?;
    assert!(c.wait_action(reboot).await?.is_completed());
    let stats = server.stats();
    assert_eq!(polls(&stats), before, "{stats}");
    assert!(stats.requests_to("GET /v2/actions/{id}") > 1);
    // The droplets did boot meanwhile.
    assert!(c.fetch_droplet(new[0].id).await?.is_active());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_waits_and_listings_run_concurrently_on_tasks() -> Result<(), Error> {
    let server = SimServer::start(fast_sim()).await.expect("the simulator");
    let c = Client::builder_for(server.url()).per_page(5).build()?;
    c.create_tag("conc").await?;

    let mut tasks = tokio::task::JoinSet::new();
    // Twelve tasks, each with its own droplet: create, wait, reboot, wait.
    for i in 0..12 {
        let c = c.clone();
        tasks.spawn(async move {
            let spec = tagged_spec(&["conc"]);
            let d = c.create_droplet(format!("conc-{i}"), spec).await?;
            let d = c.wait_droplet(d.id, ACTIVE).await?;
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
    let seen: Result<Vec<String>, _> = tasks.join_all().await.into_iter().collect();
    let seen = seen?;
    let droplets: HashSet<_> = seen.iter().filter(|s| s.starts_with("droplet")).collect();
    assert_eq!(droplets.len(), 12);
    assert!(droplets.iter().all(|s| s.ends_with(" active")), "{seen:?}");
    // Every listing saw the same sizes and regions.
    let listed: Vec<_> = seen.iter().filter(|s| s.starts_with("listed ")).collect();
    assert_eq!(listed.len(), 8, "{seen:?}");
    assert!(listed.iter().all(|s| *s == listed[0]), "{seen:?}");

    // And a wait on all of them, by tag, in a task of its own, while
    // others power them off.
    let tagged = c.fetch_all_tagged_droplets("conc").map_ok(|d| d.id);
    let ids: HashSet<u64> = tagged.try_collect().await?;
    let off = Until::Status(DropletStatus::Off);
    let waiter = tokio::spawn(c.wait_droplet_ids(ids.clone(), off).try_collect::<Vec<_>>());
    let power_off = DropletAction::PowerOff;
    assert_eq!(c.act_on_tagged_droplets("conc", power_off).await?.len(), 12);
    let off = waiter.await.expect("the waiting task")?;
    assert_eq!(off.len(), 12);
    assert!(off.iter().all(|d| d.is_off()));
    assert_eq!(off.iter().map(|d| d.id).collect::<HashSet<_>>(), ids);
    let shared = c.last_response().is_some();
    assert!(shared, "clones share the last response");
    Ok(())
}
