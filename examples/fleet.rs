//! A fleet with the async client: create 50 droplets with a tag, wait for
//! all of them at once, power-cycle them by tag, wait for those actions,
//! delete them by tag.
//!
//! `cargo run --example fleet` runs it against the embedded simulator; add
//! `-- --live` for the real API (`DIGITALOCEAN_TOKEN`), or set
//! `DIGITALOCEAN_API_URL` for another endpoint.

use std::time::Instant;

use doapi_async::endpoints::{DropletAction, DropletSpec, MAX_NAMES_PER_CREATE};
use doapi_async::models::DropletStatus;
use doapi_async::{Api, Until};
use doapi_examples::Target;
use futures::{future, TryStreamExt};

const FLEET: usize = 50;
const TAG: &str = "doapi-fleet";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = Target::from_args(0)?;
    let client = target.asynchronous()?;
    let start = Instant::now();

    client.create_tag(TAG).await?;
    let mut spec = DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3");
    spec.tags = vec![TAG.to_owned()];
    // Ten names per request, the batches sent concurrently.
    let names: Vec<String> = (0..FLEET).map(|i| format!("fleet-{i:02}")).collect();
    let batches = names.chunks(MAX_NAMES_PER_CREATE).map(|chunk| {
        let client = client.clone();
        let spec = spec.clone();
        let chunk = chunk.to_vec();
        async move { client.create_multiple_droplets(chunk, spec).await }
    });
    let droplets: Vec<_> = future::try_join_all(batches)
        .await?
        .into_iter()
        .flatten()
        .collect();
    println!("created {} droplets tagged {TAG}", droplets.len());

    // One wait for all of them: it lists the tag instead of fetching each.
    let mut active = 0;
    let mut waiting = client.wait_droplets(droplets, Until::Status(DropletStatus::Active));
    while let Some(d) = waiting.try_next().await? {
        active += 1;
        if active % 10 == 0 {
            println!("{active} active (latest: {})", d.name);
        }
    }

    let actions = client
        .act_on_tagged_droplets(TAG, DropletAction::PowerCycle)
        .await?;
    println!("power-cycling {} droplets by tag", actions.len());
    let done: Vec<_> = client.wait_actions(actions).try_collect().await?;
    println!(
        "{} power cycles completed",
        done.iter().filter(|a| a.is_completed()).count()
    );

    client.delete_droplets_by_tag(TAG).await?;
    let left: Vec<_> = client.fetch_all_tagged_droplets(TAG).try_collect().await?;
    println!("deleted by tag; {} left", left.len());
    client.delete_tag(TAG).await?;

    let requests = target
        .requests()
        .map(|n| format!(", {n} requests"))
        .unwrap_or_default();
    println!("fleet done in {:.2?}{requests}", start.elapsed());
    Ok(())
}
