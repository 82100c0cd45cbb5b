//! The blocking client as a script uses it, against the simulator over
//! 127.0.0.1: a droplet created, waited for, rebooted, found in the
//! listing and deleted.

use doapi_blocking::models::DropletStatus;
use doapi_blocking::{Api, Client, Error, Until};
use doapi_conformance::{spec, Subject};
use doapi_sim::{SimConfig, SimServer};

#[test]
fn a_droplet_is_created_rebooted_listed_and_deleted() -> Result<(), Error> {
    let server = SimServer::start_blocking(SimConfig::fast()).expect("the simulator");
    let c = Client::builder_for(server.url()).build()?;
    let droplet = c.create_droplet("smoke-1", spec())?;
    let droplet = c.wait_droplet(droplet.id, Until::Status(DropletStatus::Active))?;
    c.reboot(droplet.id)?;
    let rebooted = c.wait_for_droplet_action(droplet.id)?;
    assert!(rebooted.is_some_and(|d| d.is_active() && !d.locked));
    let names: Result<Vec<_>, _> = c.fetch_all_droplets().map(|d| d.map(|d| d.name)).collect();
    assert_eq!(names?, ["smoke-1"]);
    c.delete_droplet(droplet.id)?;
    assert!(c.fetch_droplet(droplet.id).unwrap_err().is_not_found());
    Ok(())
}
