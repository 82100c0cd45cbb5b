//! The life cycle of a droplet, as doapi's documentation walks it: create,
//! wait until active, print its addresses, reboot and wait for the action,
//! power off, snapshot, list the snapshots, delete.
//!
//! `cargo run --example quickstart` runs it against the embedded simulator;
//! add `-- --live` for the real API (`DIGITALOCEAN_TOKEN`), or set
//! `DIGITALOCEAN_API_URL` for another endpoint.

use std::time::Instant;

use doapi_blocking::endpoints::DropletSpec;
use doapi_blocking::models::DropletStatus;
use doapi_blocking::{Api, Error, Until};
use doapi_examples::Target;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = Target::from_args(0)?;
    let client = target.blocking()?;
    let start = Instant::now();

    let spec = DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3");
    let droplet = client.create_droplet("quickstart-1", spec)?;
    println!(
        "created droplet {} ({}), status {}",
        droplet.id, droplet.name, droplet.status
    );

    let droplet = client.wait_droplet(droplet.id, Until::Status(DropletStatus::Active))?;
    println!(
        "active: IPv4 {:?}, IPv6 {:?}, in {} from {:?}",
        droplet.ipv4_address(),
        droplet.ipv6_address(),
        droplet.region_slug(),
        droplet.image_slug()
    );

    client.reboot(droplet.id)?;
    let droplet = after_action(&client, droplet.id)?;
    println!("rebooted: status {}", droplet.status);

    client.power_off(droplet.id)?;
    let droplet = after_action(&client, droplet.id)?;
    println!("powered off: status {}", droplet.status);

    client.snapshot(droplet.id, "quickstart-snapshot")?;
    let droplet = after_action(&client, droplet.id)?;
    for snapshot in client.fetch_all_snapshots(droplet.id) {
        let snapshot = snapshot?;
        println!(
            "snapshot {} {:?}",
            snapshot.id,
            snapshot.name.unwrap_or_default()
        );
    }

    client.delete_droplet(droplet.id)?;
    match client.fetch_droplet(droplet.id) {
        Err(e) if e.is_not_found() => println!("deleted"),
        other => println!("after delete: {other:?}"),
    }

    let requests = target
        .requests()
        .map(|n| format!(", {n} requests"))
        .unwrap_or_default();
    println!("life cycle done in {:.2?}{requests}", start.elapsed());
    if let Some(rl) = client.last_rate_limit() {
        println!("rate limit: {} of {} left", rl.remaining, rl.limit);
    }
    Ok(())
}

/// Waits for the droplet's most recent action, then returns the droplet.
fn after_action(
    client: &doapi_blocking::Client,
    id: u64,
) -> Result<doapi_blocking::models::Droplet, Error> {
    client.wait_for_droplet_action(id)?.ok_or_else(|| {
        Error::Request(doapi_blocking::RequestError::InvalidArgument {
            what: "droplet",
            reason: format!("{id} was deleted while its action ran"),
        })
    })
}
