//! Testing your own code that uses doapi, without a DigitalOcean account,
//! sockets or sleeping.
//!
//! The code under test here is `power_off_tagged`: it powers off every
//! droplet with a tag and waits until they are all off. Two ways to test it:
//!
//! - against the **in-process simulator** ([`OfflineTransport::simulator`]):
//!   a real client, a stateful fake DigitalOcean, and virtual time, so a
//!   wait of minutes takes milliseconds;
//! - against a **cassette**: record a real session once with a
//!   [`Recorder`] (here against the simulator's HTTP server; in your project,
//!   against whatever you trust), then replay it with
//!   [`OfflineTransport::from_cassette`]: every request must be the one recorded,
//!   and the token is never written.
//!
//! `cargo run --example testing` shows both; `cargo test --example testing`
//! (and `cargo test --workspace`) runs them as tests.

use std::time::Duration;

use doapi_blocking::endpoints::{DropletAction, DropletSpec};
use doapi_blocking::models::{Droplet, DropletStatus};
use doapi_blocking::{
    Api, Client, Error, Limits, OfflineTransport, Recorder, Until, UreqTransport,
};
use doapi_sim::{SimConfig, SimServer};

/// The code under test: powers off every droplet tagged `tag` and returns
/// them, all `off`.
pub fn power_off_tagged(client: &Client, tag: &str) -> Result<Vec<Droplet>, Error> {
    let actions = client.act_on_tagged_droplets(tag, DropletAction::PowerOff)?;
    for action in client.wait_actions(actions) {
        action?;
    }
    let ids: Vec<u64> = client
        .fetch_all_tagged_droplets(tag)
        .map(|d| d.map(|d| d.id))
        .collect::<Result<_, _>>()?;
    client
        .wait_droplet_ids(ids, Until::Status(DropletStatus::Off))
        .collect()
}

/// Three droplets tagged `web`, created through the client.
fn create_web_droplets(client: &Client) -> Result<(), Error> {
    let mut spec = DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3");
    spec.tags = vec!["web".into()];
    client.create_tag("web")?;
    let droplets =
        client.create_multiple_droplets(vec!["a".into(), "b".into(), "c".into()], spec)?;
    for d in client.wait_droplets(droplets, Until::Status(DropletStatus::Active)) {
        d?;
    }
    Ok(())
}

/// A client on the in-process simulator, with realistic delays that cost
/// no real time.
fn simulated_client() -> Result<(Client, std::sync::Arc<OfflineTransport>), Error> {
    let transport = std::sync::Arc::new(OfflineTransport::simulator(SimConfig {
        boot_delay: Duration::from_secs(45),
        action_delay: Duration::from_secs(20),
        ..SimConfig::default()
    }));
    let client = Client::builder("test-token")
        .transport(transport.clone())
        .build()?;
    Ok((client, transport))
}

/// Records a session of `power_off_tagged` against the simulator's HTTP
/// server into `cassette`, and returns what it saw.
fn record(cassette: &std::path::Path) -> Result<Vec<Droplet>, Box<dyn std::error::Error>> {
    let server = SimServer::start_blocking(SimConfig {
        boot_delay: Duration::from_millis(100),
        action_delay: Duration::from_millis(100),
        ..SimConfig::default()
    })?;
    let setup = Client::builder("recording-token")
        .endpoint(server.url())
        .wait_interval(Duration::from_millis(50))
        .build()?;
    create_web_droplets(&setup)?;
    let recorder = Recorder::new(UreqTransport::new(Limits::default()));
    let lines = recorder.cassette();
    let client = Client::builder("recording-token")
        .endpoint(server.url())
        .wait_interval(Duration::from_millis(50))
        .transport(recorder)
        .build()?;
    let off = power_off_tagged(&client, "web")?;
    std::fs::write(cassette, lines.text())?;
    Ok(off)
}

/// Replays the cassette: the same requests must come, in the same order.
fn replay(
    cassette: &std::path::Path,
    endpoint: &str,
) -> Result<Vec<Droplet>, Box<dyn std::error::Error>> {
    let client = Client::builder("any-token")
        .endpoint(endpoint)
        .wait_interval(Duration::from_millis(50))
        .transport(OfflineTransport::from_cassette(&std::fs::read_to_string(
            cassette,
        )?)?)
        .build()?;
    Ok(power_off_tagged(&client, "web")?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, transport) = simulated_client()?;
    create_web_droplets(&client)?;
    let off = power_off_tagged(&client, "web")?;
    println!(
        "simulator: {} droplets off after {:?} of virtual time",
        off.len(),
        transport.elapsed()
    );

    let cassette = std::env::temp_dir().join(format!("doapi-example-{}.jsonl", std::process::id()));
    let recorded = record(&cassette)?;
    let lines = std::fs::read_to_string(&cassette)?.lines().count();
    println!(
        "recorded {} droplets off in {lines} exchanges to {}",
        recorded.len(),
        cassette.display()
    );
    let endpoint = recorded_endpoint(&cassette)?;
    let replayed = replay(&cassette, &endpoint)?;
    println!(
        "replayed: {} droplets off, same as recorded: {}",
        replayed.len(),
        replayed == recorded
    );
    std::fs::remove_file(&cassette)?;
    Ok(())
}

/// The endpoint a cassette was recorded against (its first URL's origin):
/// the replaying client must use it, since the token is pinned to one
/// origin.
fn recorded_endpoint(cassette: &std::path::Path) -> Result<String, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(cassette)?;
    let first: serde_json::Value =
        serde_json::from_str(text.lines().next().ok_or("empty cassette")?)?;
    let url = first["url"].as_str().ok_or("no url")?;
    let origin_end = url.match_indices('/').nth(2).map_or(url.len(), |(i, _)| i);
    Ok(url[..origin_end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_off_every_tagged_droplet_on_the_simulator() {
        let (client, transport) = simulated_client().unwrap();
        create_web_droplets(&client).unwrap();
        let off = power_off_tagged(&client, "web").unwrap();
        assert_eq!(off.len(), 3);
        assert!(off.iter().all(|d| d.status == DropletStatus::Off));
        // Boot (45 s) and power-off (20 s) happened in virtual time.
        assert!(transport.elapsed() >= Duration::from_secs(65));
    }

    #[test]
    fn a_recorded_session_replays_the_same_and_holds_no_token() {
        let cassette =
            std::env::temp_dir().join(format!("doapi-test-{}.jsonl", std::process::id()));
        let recorded = record(&cassette).unwrap();
        let text = std::fs::read_to_string(&cassette).unwrap();
        assert!(
            !text.contains("recording-token") && !text.to_lowercase().contains("authorization")
        );
        let replayed = replay(&cassette, &recorded_endpoint(&cassette).unwrap()).unwrap();
        assert_eq!(replayed, recorded);
        std::fs::remove_file(&cassette).unwrap();
    }
}
