//! The loopback server on the real clock: keep-alive, faults on the wire,
//! the statistics endpoint, both ways of embedding it.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::parse_response;
use doapi_sim::{SimConfig, SimServer};
use serde_json::Value;

/// Writes a GET on an open connection and reads one response (headers
/// and `Content-Length` bytes, or up to EOF).
fn get_on(stream: &mut TcpStream, path: &str) -> (Vec<u8>, bool) {
    let req = format!("GET {path} HTTP/1.1\r\nhost: sim\r\nauthorization: Bearer t\r\n\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        let n = stream.read(&mut buf).unwrap_or(0);
        if n == 0 {
            return (raw, true);
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .map_or(0, |v| v.trim().parse().unwrap());
            if raw.len() >= end + 4 + len {
                return (raw, false);
            }
        }
    }
}

fn connect(server: &SimServer) -> TcpStream {
    let s = TcpStream::connect(server.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

#[test]
fn one_connection_serves_many_requests() {
    let server = SimServer::start_blocking(SimConfig {
        seed_droplets: 2,
        ..SimConfig::default()
    })
    .unwrap();
    assert!(server.url().starts_with("http://127.0.0.1:"));
    let mut conn = connect(&server);
    for _ in 0..3 {
        let (raw, closed) = get_on(&mut conn, "/v2/droplets/500000001");
        assert!(!closed);
        let resp = parse_response(&raw);
        assert_eq!(resp.status(), 200);
        for h in [
            "x-request-id",
            "date",
            "ratelimit-limit",
            "ratelimit-remaining",
            "ratelimit-reset",
        ] {
            assert!(resp.headers().contains_key(h), "{h}");
        }
        let body: Value = serde_json::from_slice(resp.body()).unwrap();
        assert_eq!(body["droplet"]["status"], "active");
    }
    let (raw, _) = get_on(&mut conn, "/v2/droplets?per_page=1");
    let body: Value = serde_json::from_slice(parse_response(&raw).body()).unwrap();
    assert!(body["links"]["pages"]["next"]
        .as_str()
        .unwrap()
        .starts_with("http://sim/v2/droplets?page="));
    assert_eq!(server.stats().requests_to("GET /v2/droplets/{id}"), 3);
}

#[test]
fn faults_reach_the_wire() {
    let server = SimServer::start_blocking(SimConfig {
        seed_droplets: 1,
        faults: vec![
            "drop,route=GET /v2/account".parse().unwrap(),
            "truncate,route=GET /v2/droplets/{id}".parse().unwrap(),
            "latency,ms=150,route=GET /v2/regions".parse().unwrap(),
        ],
        ..SimConfig::default()
    })
    .unwrap();

    let (raw, closed) = get_on(&mut connect(&server), "/v2/account");
    assert!(closed && raw.is_empty(), "dropped without an answer");

    let (raw, closed) = get_on(&mut connect(&server), "/v2/droplets/500000001");
    assert!(closed, "closed in the middle of the body");
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let declared: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(raw.len() - end - 4, declared / 2);

    let t0 = Instant::now();
    let (raw, _) = get_on(&mut connect(&server), "/v2/regions");
    assert!(t0.elapsed() >= Duration::from_millis(150));
    assert_eq!(parse_response(&raw).status(), 200);

    let stats = server.stats();
    assert_eq!(stats.routes["GET /v2/account"].dropped, 1);
    assert_eq!(stats.routes["GET /v2/droplets/{id}"].dropped, 1);
}

#[test]
fn the_stats_endpoint_reads_and_clears() {
    let server = SimServer::start_blocking(SimConfig::default()).unwrap();
    let mut conn = connect(&server);
    get_on(&mut conn, "/v2/sizes");
    let (raw, _) = get_on(&mut conn, "/_sim/stats");
    let stats: Value = serde_json::from_slice(parse_response(&raw).body()).unwrap();
    assert_eq!(stats["routes"]["GET /v2/sizes"]["statuses"]["200"], 1);
    assert_eq!(stats["requests"], 1, "the stats endpoint does not count");
    conn.write_all(b"DELETE /_sim/stats HTTP/1.1\r\nhost: sim\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = conn.read(&mut buf).unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 204"));
    assert_eq!(server.stats().requests, 0);
}

#[test]
fn starts_on_a_tokio_runtime_and_exposes_the_model() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(SimServer::start(SimConfig::default())).unwrap();
    let (raw, _) = get_on(&mut connect(&server), "/v2/account");
    assert_eq!(parse_response(&raw).status(), 200);
    let regions = server.with_sim(|sim| sim.stats().requests);
    assert_eq!(regions, 1);
    drop(server);
    rt.shutdown_timeout(Duration::from_secs(1));
}

#[test]
fn start_blocking_works_inside_an_async_context() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(async { SimServer::start_blocking(SimConfig::default()) })
        .unwrap();
    let (raw, _) = get_on(&mut connect(&server), "/v2/sizes");
    assert_eq!(parse_response(&raw).status(), 200);
}
