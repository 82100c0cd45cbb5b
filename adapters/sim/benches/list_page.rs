//! What one page of a listing over every droplet costs the simulator, by
//! account size: a page must cost about the same at 100,000 droplets as at
//! 1,000, so that the simulator stays out of a client's listing benchmark.
//!
//! `cargo bench -p doapi-sim --bench list_page` prints, for each account
//! size, the mean time of a first, a middle and a last page of 200 of the
//! droplets (with and without a tag filter), of the default project's
//! resources (the droplets land there) and of every droplet's backup
//! policy, and the ratio of the largest account's time to the smallest's.

use std::time::{Duration, Instant};

use doapi_sim::{Sim, SimConfig};
use http::Request;

fn send(sim: &mut Sim, method: &str, uri: &str, body: Vec<u8>, now: Instant) -> Vec<u8> {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", "Bearer bench-token")
        .header("content-type", "application/json")
        .body(body)
        .expect("a request");
    let served = sim.handle(&req, now);
    assert!(served.response.status().is_success(), "{method} {uri}");
    served.response.into_body()
}

fn get(sim: &mut Sim, uri: &str, now: Instant) -> usize {
    send(sim, "GET", uri, Vec::new(), now).len()
}

/// Tags every droplet of the account `seed`.
fn tag_all(sim: &mut Sim, n: usize, now: Instant) {
    let mut ids = Vec::new();
    for page in 1..=n.div_ceil(200) {
        let uri = format!("http://sim.test/v2/droplets?page={page}&per_page=200");
        let body: serde_json::Value =
            serde_json::from_slice(&send(sim, "GET", &uri, Vec::new(), now)).expect("json");
        ids.extend(
            body["droplets"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| d["id"].clone()),
        );
    }
    let tag = serde_json::json!({"name": "seed"}).to_string().into_bytes();
    send(sim, "POST", "http://sim.test/v2/tags", tag, now);
    for chunk in ids.chunks(1000) {
        let resources: Vec<_> = chunk
            .iter()
            .map(
                |id| serde_json::json!({"resource_id": id.to_string(), "resource_type": "droplet"}),
            )
            .collect();
        let body = serde_json::json!({ "resources": resources })
            .to_string()
            .into_bytes();
        send(
            sim,
            "POST",
            "http://sim.test/v2/tags/seed/resources",
            body,
            now,
        );
    }
}

/// Mean time of one `GET uri`, over enough runs to take about 0.2 s.
fn time(sim: &mut Sim, uri: &str, now: Instant) -> Duration {
    get(sim, uri, now);
    let mut runs = 0u32;
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(200) || runs < 5 {
        get(sim, uri, now);
        runs += 1;
    }
    start.elapsed() / runs
}

fn main() {
    let sizes = [1_000usize, 10_000, 100_000];
    let mut worst = Vec::new();
    for &n in &sizes {
        let now = Instant::now();
        let config = SimConfig {
            seed_droplets: n,
            rate_per_minute: 0,
            rate_per_hour: 0,
            ..SimConfig::default()
        };
        let mut sim = Sim::new(config, now);
        tag_all(&mut sim, n, now);
        let pages = n.div_ceil(200);
        let mut row = Vec::new();
        for page in [1, pages / 2 + 1, pages] {
            for listing in [
                "droplets?",
                "droplets?tag_name=seed&",
                "projects/default/resources?",
                "droplets/backups/policies?",
            ] {
                let uri = format!("http://sim.test/v2/{listing}page={page}&per_page=200");
                row.push(time(&mut sim, &uri, now));
            }
        }
        let max = row.iter().copied().max().unwrap_or_default();
        println!(
            "{n:>7} droplets: page 1 / middle / last of droplets, tagged, project resources, backup policies: {}; slowest {:.2} ms",
            row.iter()
                .map(|d| format!("{:.2}", d.as_secs_f64() * 1e3))
                .collect::<Vec<_>>()
                .join(" "),
            max.as_secs_f64() * 1e3
        );
        worst.push(max);
    }
    let ratio = worst[worst.len() - 1].as_secs_f64() / worst[0].as_secs_f64();
    println!(
        "slowest page at {} droplets / at {}: {ratio:.2}x (a page costs what the page costs: want < 2x)",
        sizes[sizes.len() - 1],
        sizes[0]
    );
}
