//! Everything the account has, page by page as it is consumed: droplets,
//! images, regions, sizes, SSH keys, domains, floating IPs, tags.
//!
//! `cargo run --example list_all` runs it against the embedded simulator
//! (seeded with 450 droplets, so the droplet listing takes three pages of
//! 200); add `-- --live` for the real API (`DIGITALOCEAN_TOKEN`), or set
//! `DIGITALOCEAN_API_URL` for another endpoint.

use doapi_blocking::{Api, Error};
use doapi_examples::Target;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = Target::from_args(450)?;
    let client = target.blocking()?;

    let mut droplets = client.fetch_all_droplets();
    let mut by_status = std::collections::BTreeMap::<String, usize>::new();
    for d in droplets.by_ref() {
        *by_status.entry(d?.status.to_string()).or_default() += 1;
    }
    println!(
        "droplets: {by_status:?} (meta.total {:?})",
        client.last_meta().and_then(|m| m.total)
    );
    println!("images: {}", count(client.fetch_all_images())?);
    println!(
        "distribution images: {}",
        count(client.fetch_all_distribution_images())?
    );
    println!("regions: {}", count(client.fetch_all_regions())?);
    println!("sizes: {}", count(client.fetch_all_sizes())?);
    println!("SSH keys: {}", count(client.fetch_all_ssh_keys())?);
    println!("domains: {}", count(client.fetch_all_domains())?);
    println!("floating IPs: {}", count(client.fetch_all_floating_ips())?);
    println!("tags: {}", count(client.fetch_all_tags())?);
    let account = client.fetch_account()?;
    println!(
        "account {} (droplet limit {})",
        account.email, account.droplet_limit
    );

    let requests = target
        .requests()
        .map(|n| format!("{n} requests; "))
        .unwrap_or_default();
    if let Some(rl) = client.last_rate_limit() {
        println!(
            "{requests}rate limit: {} of {} left",
            rl.remaining, rl.limit
        );
    }
    Ok(())
}

fn count<T>(mut items: impl Iterator<Item = Result<T, Error>>) -> Result<usize, Error> {
    items.try_fold(0, |n, item| item.map(|_| n + 1))
}
