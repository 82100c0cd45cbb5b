//! A service at scale against a running simulator: one client shared by many
//! tasks (or threads), one rate budget, shared polling, listings at the
//! speed of the network. One JSON line per run; `examples/scale.sh` starts
//! the simulators, runs every scenario and checks the figures.
//!
//! ```sh
//! target/release/doapi-sim --port 18700 --boot-delay 10 &
//! cargo run --release -p doapi-examples --example scale -- \
//!     --endpoint http://127.0.0.1:18700 waits --client async --n 100
//! ```
//!
//! Scenarios (every client setting is the default: 2 s between polls, 250
//! requests a minute, 8 pages in flight):
//!
//! - `waits`: N tasks (`--client async`) or threads (`--client blocking`)
//!   each create their own droplet and wait until it is active. Reports the
//!   requests, the 429s, the polls while waiting and the polling rounds
//!   (the waiting time over the interval).
//! - `mix`: for `--secs` seconds, 20 tasks list every droplet in a loop,
//!   50 create a droplet and wait on it in a loop, and 10 reboot a droplet
//!   of their own and wait for the action in a loop (async). Reports what
//!   each did, the 429s, and any wait that did not end.
//! - `list`: lists every droplet, counting them without keeping them.
//!   Reports the wall time and this process's peak memory.
//!
//! The counts come from the simulator's `/_sim/stats`, cleared before the
//! timed phase. Exit status: 0 when every operation succeeded, 1 if not,
//! 2 on bad arguments.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use doapi_async::endpoints::{DropletAction, DropletSpec};
use doapi_async::models::DropletStatus;
use doapi_async::{Allowance, Api as _, Until};
use doapi_examples::{proc_status_kb, sim_control};
use futures::TryStreamExt;
use serde_json::{json, Value};

const USAGE: &str = "\
usage: scale --endpoint URL [--client async|blocking] [--n N] [--secs S] [--unlimited]
             waits|mix|list

  --unlimited   no rate budget (for a simulator without a limit)
";

const ACTIVE: Until = Until::Status(DropletStatus::Active);

struct Args {
    endpoint: String,
    client: String,
    n: usize,
    secs: u64,
    unlimited: bool,
    scenario: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        endpoint: String::new(),
        client: "async".into(),
        n: 100,
        secs: 120,
        unlimited: false,
        scenario: String::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--endpoint" => args.endpoint = value()?,
            "--client" => args.client = value()?,
            "--n" => args.n = value()?.parse().map_err(|e| format!("--n: {e}"))?,
            "--secs" => args.secs = value()?.parse().map_err(|e| format!("--secs: {e}"))?,
            "--unlimited" => args.unlimited = true,
            s if !s.starts_with('-') && args.scenario.is_empty() => args.scenario = s.into(),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.endpoint.is_empty() || args.scenario.is_empty() {
        return Err("--endpoint and a scenario are needed".into());
    }
    if !["async", "blocking"].contains(&args.client.as_str()) {
        return Err(format!("--client {}: async or blocking", args.client));
    }
    Ok(args)
}

impl Args {
    /// The allowance: the default, or none.
    fn allowance(&self) -> Allowance {
        if self.unlimited {
            Allowance::unlimited()
        } else {
            Allowance::default()
        }
    }

    fn async_client(&self) -> Result<doapi_async::Client, String> {
        doapi_async::Client::builder("scale-token")
            .endpoint(&self.endpoint)
            .allowance(self.allowance())
            .build()
            .map_err(|e| e.to_string())
    }

    fn blocking_client(&self) -> Result<doapi_blocking::Client, String> {
        doapi_blocking::Client::builder("scale-token")
            .endpoint(&self.endpoint)
            .allowance(self.allowance())
            .build()
            .map_err(|e| e.to_string())
    }
}

fn spec() -> DropletSpec {
    DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3")
}

/// The simulator's statistics since they were last cleared.
fn stats(endpoint: &str) -> Result<Value, String> {
    let body = sim_control(endpoint, "GET")?;
    serde_json::from_str(&body).map_err(|e| format!("/_sim/stats: {e}"))
}

fn route(stats: &Value, name: &str) -> u64 {
    stats["routes"][name]["requests"].as_u64().unwrap_or(0)
}

fn count_429(stats: &Value) -> u64 {
    let routes = stats["routes"].as_object().into_iter().flatten();
    routes
        .filter_map(|(_, r)| r["statuses"]["429"].as_u64())
        .sum()
}

/// The polls of droplet waits: listings and single GETs.
fn droplet_polls(stats: &Value) -> u64 {
    route(stats, "GET /v2/droplets") + route(stats, "GET /v2/droplets/{id}")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// When each task started waiting and saw its droplet active.
type Spans = Vec<Result<(Instant, Instant), String>>;

fn waits_async(args: &Args) -> Spans {
    let rt = runtime();
    rt.block_on(async {
        let c = args.async_client().expect("a client");
        let tasks: Vec<_> = (0..args.n)
            .map(|i| {
                let c = c.clone();
                tokio::spawn(async move {
                    let d = c.create_droplet(format!("scale-{i}"), spec()).await?;
                    let from = Instant::now();
                    c.wait_droplet(d.id, ACTIVE).await?;
                    Ok::<_, doapi_async::Error>((from, Instant::now()))
                })
            })
            .collect();
        let mut spans = Vec::new();
        for t in tasks {
            spans.push(match t.await {
                Ok(r) => r.map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            });
        }
        spans
    })
}

fn waits_blocking(args: &Args) -> Spans {
    let c = args.blocking_client().expect("a client");
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..args.n)
            .map(|i| {
                let c = c.clone();
                s.spawn(move || {
                    use doapi_blocking::Api as _;
                    let d = c.create_droplet(format!("scale-{i}"), spec())?;
                    let from = Instant::now();
                    c.wait_droplet(d.id, ACTIVE)?;
                    Ok::<_, doapi_blocking::Error>((from, Instant::now()))
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| match t.join() {
                Ok(r) => r.map_err(|e| e.to_string()),
                Err(_) => Err("the thread panicked".to_owned()),
            })
            .collect()
    })
}

fn waits(args: &Args, line: &mut BTreeMap<&'static str, Value>) -> Result<bool, String> {
    sim_control(&args.endpoint, "DELETE")?;
    let started = Instant::now();
    let spans = if args.client == "async" {
        waits_async(args)
    } else {
        waits_blocking(args)
    };
    let elapsed = started.elapsed();
    let st = stats(&args.endpoint)?;
    let ok: Vec<_> = spans.iter().filter_map(|s| s.as_ref().ok()).collect();
    let errors: Vec<_> = spans.iter().filter_map(|s| s.as_ref().err()).collect();
    // The waiting phase: from the first wait's start to the last's end.
    let first = ok.iter().map(|(from, _)| *from).min();
    let last = ok.iter().map(|(_, to)| *to).max();
    let waiting = match (first, last) {
        (Some(f), Some(l)) => l - f,
        _ => Duration::ZERO,
    };
    let rounds = (waiting.as_secs_f64() / 2.0).ceil().max(1.0);
    let polls = droplet_polls(&st);
    line.insert("ok", json!(ok.len()));
    line.insert("errors", json!(errors.iter().take(3).collect::<Vec<_>>()));
    line.insert("seconds", json!(round3(elapsed.as_secs_f64())));
    line.insert("waiting_seconds", json!(round3(waiting.as_secs_f64())));
    line.insert("requests", st["requests"].clone());
    line.insert("creates", json!(route(&st, "POST /v2/droplets")));
    line.insert("polls", json!(polls));
    line.insert("rounds", json!(rounds));
    line.insert("polls_per_round", json!(round3(polls as f64 / rounds)));
    line.insert("429", json!(count_429(&st)));
    Ok(errors.is_empty())
}

#[derive(Default)]
struct Mix {
    listings: AtomicU64,
    listed: AtomicU64,
    waits: AtomicU64,
    actions: AtomicU64,
    errors: AtomicU64,
}

fn mix(args: &Args, line: &mut BTreeMap<&'static str, Value>) -> Result<bool, String> {
    let rt = runtime();
    let counts = Arc::new(Mix::default());
    let (secs, endpoint) = (args.secs, args.endpoint.clone());
    let c = args.async_client()?;
    let started = rt.block_on(async {
        // The actors' droplets, made before the clock starts.
        let mut own = Vec::new();
        for i in 0..10 {
            let d = c.create_droplet(format!("actor-{i}"), spec()).await;
            let d = d.map_err(|e| e.to_string())?;
            own.push(
                c.wait_droplet(d.id, ACTIVE)
                    .await
                    .map_err(|e| e.to_string())?,
            );
        }
        sim_control(&endpoint, "DELETE")?;
        let started = Instant::now();
        let until = started + Duration::from_secs(secs);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let (c, n) = (c.clone(), counts.clone());
            tasks.spawn(async move {
                while Instant::now() < until {
                    match c
                        .fetch_all_droplets()
                        .try_fold(0, |k, _| async move { Ok(k + 1) })
                        .await
                    {
                        Ok(k) => {
                            n.listings.fetch_add(1, Ordering::Relaxed);
                            n.listed.fetch_add(k, Ordering::Relaxed);
                        }
                        Err(_) => _ = n.errors.fetch_add(1, Ordering::Relaxed),
                    }
                }
            });
        }
        for i in 0..50 {
            let (c, n) = (c.clone(), counts.clone());
            tasks.spawn(async move {
                let mut k = 0;
                while Instant::now() < until {
                    k += 1;
                    let name = format!("waiter-{i}-{k}");
                    let done = async {
                        let d = c.create_droplet(name, spec()).await?;
                        c.wait_droplet(d.id, ACTIVE).await
                    };
                    match done.await {
                        Ok(_) => _ = n.waits.fetch_add(1, Ordering::Relaxed),
                        Err(_) => _ = n.errors.fetch_add(1, Ordering::Relaxed),
                    }
                }
            });
        }
        for d in own {
            let (c, n) = (c.clone(), counts.clone());
            tasks.spawn(async move {
                while Instant::now() < until {
                    let done = async {
                        let a = c.act_on_droplet(d.id, DropletAction::Reboot).await?;
                        c.wait_action(a).await
                    };
                    match done.await {
                        Ok(_) => _ = n.actions.fetch_add(1, Ordering::Relaxed),
                        Err(_) => _ = n.errors.fetch_add(1, Ordering::Relaxed),
                    }
                }
            });
        }
        while tasks.join_next().await.is_some() {}
        Ok::<_, String>(started)
    })?;
    let elapsed = started.elapsed();
    let st = stats(&args.endpoint)?;
    let n = |a: &AtomicU64| a.load(Ordering::Relaxed);
    line.insert("seconds", json!(round3(elapsed.as_secs_f64())));
    line.insert("listings", json!(n(&counts.listings)));
    line.insert("listed", json!(n(&counts.listed)));
    line.insert("waits_ended", json!(n(&counts.waits)));
    line.insert("actions_ended", json!(n(&counts.actions)));
    line.insert("errors", json!(n(&counts.errors)));
    line.insert("requests", st["requests"].clone());
    let per_minute = st["requests"].as_f64().unwrap_or(0.0) * 60.0 / elapsed.as_secs_f64();
    line.insert("requests_per_minute", json!(round3(per_minute)));
    line.insert("429", json!(count_429(&st)));
    Ok(n(&counts.errors) == 0)
}

fn list(args: &Args, line: &mut BTreeMap<&'static str, Value>) -> Result<bool, String> {
    sim_control(&args.endpoint, "DELETE")?;
    let started = Instant::now();
    let counted: Result<u64, String> = if args.client == "async" {
        let c = args.async_client()?;
        runtime().block_on(async {
            let all = c.fetch_all_droplets();
            all.try_fold(0, |k, _| async move { Ok(k + 1) })
                .await
                .map_err(|e| e.to_string())
        })
    } else {
        use doapi_blocking::Api as _;
        let c = args.blocking_client()?;
        c.fetch_all_droplets()
            .try_fold(0, |k, d| d.map(|_| k + 1))
            .map_err(|e| e.to_string())
    };
    let elapsed = started.elapsed();
    let st = stats(&args.endpoint)?;
    line.insert("seconds", json!(round3(elapsed.as_secs_f64())));
    line.insert("requests", st["requests"].clone());
    line.insert("peak_rss_kb", json!(proc_status_kb("VmHWM")));
    match counted {
        Ok(k) => {
            line.insert("droplets", json!(k));
            Ok(true)
        }
        Err(e) => {
            line.insert("error", json!(e));
            Ok(false)
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("scale: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut line = BTreeMap::new();
    line.insert("scenario", json!(args.scenario));
    line.insert("client", json!(args.client));
    let run = match args.scenario.as_str() {
        "waits" => {
            line.insert("n", json!(args.n));
            waits(&args, &mut line)
        }
        "mix" => mix(&args, &mut line),
        "list" => list(&args, &mut line),
        other => Err(format!("unknown scenario {other}\n{USAGE}")),
    };
    let ok = match run {
        Ok(ok) => ok,
        Err(e) => {
            line.insert("error", json!(e));
            false
        }
    };
    line.insert("ok", json!(ok));
    println!("{}", json!(line));
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
