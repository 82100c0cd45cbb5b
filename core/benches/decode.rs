//! Decoding a page of 200 droplets into the typed, lossless models and into
//! `serde_json::Value`, in the same run. Target: typed ≤ 0.45 × Value
//! (0.54 before the body was read as a `str` and timestamps in
//! DigitalOcean's form were read directly; about 0.4 since).
//!
//! The page is built from the official single-droplet example
//! (`../shared/openapi/examples/droplets_get.200.json`), with distinct ids
//! and names. Run: `cargo bench -p doapi-core --bench decode`.
//!
//! Counted in instructions, which the machine's load does not change:
//! `valgrind --tool=callgrind target/release/deps/decode-<hash> --bench
//! none` (criterion then runs nothing, only the ratio's loop), and
//! `callgrind_annotate --inclusive=yes` gives `decode::typed` and
//! `decode::value`.

// A benchmark measures wall time; the core's no-clock rule is for the library.
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use doapi_core::endpoint::decode;
use doapi_core::models::Droplet;
use serde_json::{json, Value};

fn page_of_200() -> Option<Vec<u8>> {
    let shared = std::env::var_os("DOAPI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    let path = shared.join("openapi/examples/droplets_get.200.json");
    let Ok(text) = std::fs::read(&path) else {
        eprintln!(
            "SKIPPED: {} is absent; the decode bench needs it",
            path.display()
        );
        return None;
    };
    let one: Value = serde_json::from_slice(&text).expect("the example is JSON");
    let droplets: Vec<Value> = (0..200u64)
        .map(|i| {
            let mut d = one["droplet"].clone();
            d["id"] = json!(3164444 + i);
            d["name"] = json!(format!("web-{i:03}.example.com"));
            d
        })
        .collect();
    let page = json!({
        "droplets": droplets,
        "links": {"pages": {"next": "https://api.digitalocean.com/v2/droplets?page=2&per_page=200",
                            "last": "https://api.digitalocean.com/v2/droplets?page=3&per_page=200"}},
        "meta": {"total": 600}
    });
    Some(serde_json::to_vec(&page).expect("encodes"))
}

fn typed(body: &[u8]) -> usize {
    decode::page::<Droplet>(body, "droplets")
        .expect("decodes")
        .items
        .len()
}

fn value(body: &[u8]) -> usize {
    let v: Value = serde_json::from_slice(body).expect("decodes");
    v["droplets"].as_array().map_or(0, Vec::len)
}

/// Best-of-N mean time per call, both decoders interleaved so they share
/// the machine's state.
fn ratio(body: &[u8]) -> f64 {
    let time = |f: fn(&[u8]) -> usize| {
        let start = Instant::now();
        for _ in 0..20 {
            black_box(f(black_box(body)));
        }
        start.elapsed()
    };
    let (mut t, mut v) = (Duration::MAX, Duration::MAX);
    for _ in 0..30 {
        t = t.min(time(typed));
        v = v.min(time(value));
    }
    t.as_secs_f64() / v.as_secs_f64()
}

fn main() {
    let Some(body) = page_of_200() else { return };
    assert_eq!(typed(&body), 200);
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("decode_200_droplets");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("typed_lossless", |b| b.iter(|| typed(black_box(&body))));
    g.bench_function("serde_json_value", |b| b.iter(|| value(black_box(&body))));
    g.finish();
    c.final_summary();
    if std::env::args().any(|a| a == "--profile-time") {
        return;
    }
    let r = ratio(&body);
    println!(
        "typed/Value time ratio: {r:.3} (target <= 0.45) on a {} KiB page",
        body.len() / 1024
    );
}
