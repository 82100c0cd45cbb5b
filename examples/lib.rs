//! What every example shares: where to run.
//!
//! By default an example starts the simulator in-process on 127.0.0.1:0 and
//! runs against it, so it needs no account and finishes in seconds.
//! `--live` runs it against the real API with `DIGITALOCEAN_TOKEN` (or
//! `DIGITALOCEAN_ACCESS_TOKEN`); `DIGITALOCEAN_API_URL` points it at any
//! other endpoint (a simulator elsewhere, a validating proxy).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use doapi_blocking::Api as _;
use doapi_sim::{SimConfig, SimServer};

/// Where an example runs, and the simulator it started, if any (kept alive
/// while the example runs).
pub struct Target {
    /// The endpoint, `None` for the public API.
    pub endpoint: Option<String>,
    /// The token.
    pub token: String,
    /// Time between polls of a wait.
    pub wait_interval: Duration,
    /// The embedded simulator.
    pub sim: Option<SimServer>,
}

impl Target {
    /// Reads `--live` and the environment; starts the simulator (with
    /// `seed_droplets` droplets already active) unless told otherwise.
    pub fn from_args(seed_droplets: usize) -> Result<Target, Box<dyn std::error::Error>> {
        let live = std::env::args().any(|a| a == "--live");
        let url = std::env::var("DIGITALOCEAN_API_URL")
            .ok()
            .filter(|u| !u.trim().is_empty());
        let token = ["DIGITALOCEAN_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()));
        if live || url.is_some() {
            let token = match (token, live) {
                (Some(t), _) => t,
                (None, false) => "example-token".to_owned(),
                (None, true) => {
                    return Err(
                        "--live needs DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN".into(),
                    )
                }
            };
            eprintln!(
                "running against {}",
                url.as_deref()
                    .unwrap_or("the DigitalOcean API (this creates real, billed resources)")
            );
            return Ok(Target {
                endpoint: url,
                token,
                wait_interval: Duration::from_secs(2),
                sim: None,
            });
        }
        let sim = SimServer::start_blocking(SimConfig {
            seed_droplets,
            ..SimConfig::default()
        })?;
        eprintln!("running against the embedded simulator at {}", sim.url());
        Ok(Target {
            endpoint: Some(sim.url().to_owned()),
            token: "example-token".to_owned(),
            wait_interval: Duration::from_millis(250),
            sim: Some(sim),
        })
    }

    /// A blocking client for this target.
    pub fn blocking(&self) -> Result<doapi_blocking::Client, doapi_blocking::Error> {
        let mut b = doapi_blocking::Client::builder(&self.token).wait_interval(self.wait_interval);
        if let Some(url) = &self.endpoint {
            b = b.endpoint(url);
        }
        b.build()
    }

    /// An async client for this target.
    pub fn asynchronous(&self) -> Result<doapi_async::Client, doapi_async::Error> {
        let mut b = doapi_async::Client::builder(&self.token).wait_interval(self.wait_interval);
        if let Some(url) = &self.endpoint {
            b = b.endpoint(url);
        }
        b.build()
    }

    /// The simulator's request count so far, when it is embedded.
    pub fn requests(&self) -> Option<u64> {
        self.sim.as_ref().map(|s| s.stats().requests)
    }
}

/// `GET` or `DELETE /_sim/stats` over plain HTTP/1.1; the body.
pub fn sim_control(endpoint: &str, method: &str) -> Result<String, String> {
    let host = endpoint
        .strip_prefix("http://")
        .ok_or_else(|| format!("{endpoint}: the simulator's stats need an http:// URL"))?
        .split('/')
        .next()
        .unwrap_or_default();
    let err = |e: std::io::Error| format!("{method} {endpoint}/_sim/stats: {e}");
    let mut s = TcpStream::connect(host).map_err(err)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(err)?;
    write!(
        s,
        "{method} /_sim/stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .map_err(err)?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).map_err(err)?;
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("{method} /_sim/stats: no HTTP answer"))?;
    let ok = head
        .split(' ')
        .nth(1)
        .is_some_and(|code| code.starts_with('2'));
    if !ok {
        return Err(format!("{method} /_sim/stats: {head:?}"));
    }
    Ok(body.to_owned())
}

/// A field of `/proc/self/status` in kB (`VmHWM`: peak resident set).
pub fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
