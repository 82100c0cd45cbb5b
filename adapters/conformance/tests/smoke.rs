//! A first scenario: create, wait, list, delete.

use doapi_conformance::{both, fast_sim, spec, start, Subject};
use doapi_core::models::DropletStatus;
use doapi_core::Until;

fn a_droplet_is_created_waited_for_listed_and_deleted<C: Subject>() {
    let server = start(fast_sim());
    let c = C::client(&server);
    let d = c.get(c.create_droplet("web-1", spec())).unwrap();
    let up = c
        .get(c.wait_droplet(d.id, Until::Status(DropletStatus::Active)))
        .unwrap();
    assert!(up.is_active(), "{}", C::NAME);
    let all = c.all(c.fetch_all_droplets()).unwrap();
    assert_eq!(all.len(), 1);
    c.get(c.delete_droplet(d.id)).unwrap();
    assert!(c.all(c.fetch_all_droplets()).unwrap().is_empty());
}

both!(a_droplet_is_created_waited_for_listed_and_deleted);
