//! What only the blocking client has: one client shared by threads, its
//! iterators moved to other threads, a cancel flag set from anywhere, and
//! the iterators' own API (a listing's total, a wait's machine).

use std::collections::HashSet;

use doapi_blocking::endpoints::{DropletAction, ListSizes};
use doapi_blocking::models::DropletStatus;
use doapi_blocking::{Api, CancelFlag, Client, Error, Target, Until};
use doapi_conformance::{fast_sim, start, tagged_spec, Subject};

#[test]
fn one_client_serves_many_threads_and_its_iterators_move_between_them() -> Result<(), Error> {
    let server = start(fast_sim());
    let c = Client::client(&server);
    let up = Until::Status(DropletStatus::Active);
    let off = Until::Status(DropletStatus::Off);
    // Six threads sharing the client (it is `Sync`), each with its own
    // droplet: create, wait, reboot, wait.
    let work = |i| {
        let d = c.create_droplet(format!("thread-{i}"), tagged_spec(&["threads"]))?;
        c.reboot(c.wait_droplet(d.id, up.clone())?.id)?;
        Ok::<_, Error>(c.wait_for_droplet_action(d.id)?.expect("the droplet").id)
    };
    let ids: Result<HashSet<u64>, _> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..6).map(|i| s.spawn(move || work(i))).collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let ids = ids?;
    // A listing and a wait made here, run on other threads.
    let listing = c.fetch_all_tagged_droplets("threads");
    let listed = std::thread::spawn(move || listing.count()).join().unwrap();
    assert_eq!(listed, 6);
    // Its clone of the client shares the session: the page's meta is here.
    assert_eq!(c.last_meta().and_then(|m| m.total), Some(6));
    let wait = c.wait_droplet_ids(ids.clone(), off);
    let waiter = std::thread::spawn(move || wait.map(|d| d.map(|d| d.id)).collect());
    let power_off = DropletAction::PowerOff;
    assert_eq!(c.act_on_tagged_droplets("threads", power_off)?.len(), 6);
    let done: Result<HashSet<u64>, Error> = waiter.join().expect("the waiter");
    assert_eq!(done?, ids);
    Ok(())
}

#[test]
fn the_iterators_tell_the_listings_total_and_the_waits_states() -> Result<(), Error> {
    let mut config = fast_sim();
    config.seed_droplets = 2;
    let server = start(config);
    let c = Client::builder_for(server.url()).per_page(5).build()?;
    // A listing knows its total once the first page is in.
    let all = c.list(ListSizes {}).count();
    let mut sizes = c.list(ListSizes {});
    assert_eq!(sizes.total(), None);
    sizes.next().expect("a size")?;
    assert_eq!(sizes.total(), Some(all as u64));
    assert_eq!(sizes.size_hint(), (4, Some(all - 1)));
    let mut pages = c.pages(ListSizes {});
    assert_eq!(pages.next().expect("a page")?.value.items.len(), 5);
    assert_eq!(pages.total(), Some(all as u64));

    // A wait shows where its targets stand between its outputs.
    let ids: Vec<u64> = c.fetch_all_droplets().map(|d| d.unwrap().id).collect();
    c.power_off(ids[0])?;
    let mut wait = c.wait_droplet_ids(ids.clone(), Until::Status(DropletStatus::Off));
    assert_eq!(wait.next().expect("the first one off")?.id, ids[0]);
    let states = wait.machine().states();
    assert_eq!(states.finished[0].target, Target::Droplet(ids[0]));
    assert_eq!(states.pending[0].target, Target::Droplet(ids[1]));
    // A flag set (from any thread) before its next sleep cancels it, with
    // the same states.
    let mut wait = wait.cancel_on(CancelFlag::new(true.into()));
    let Some(Err(Error::Cancelled(cancelled))) = wait.next() else {
        panic!("not cancelled");
    };
    assert_eq!(cancelled.pending[0].target, Target::Droplet(ids[1]));
    let sent = server.stats().requests;
    assert!(wait.next().is_none(), "the wait has ended");
    assert_eq!(server.stats().requests, sent, "and sends nothing more");
    Ok(())
}
