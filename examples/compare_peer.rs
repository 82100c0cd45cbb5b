//! Our side of the comparison with the Python doapi 0.2.0 peer
//! (`../shared/tools/peer/doapi_scenarios.py`): the same scenarios, against
//! a running simulator, printing one JSON line per run as the peer does.
//!
//! ```sh
//! target/release/doapi-sim --port 18600 --rate-per-minute 0 --rate-per-hour 0 &
//! cargo run --release -p doapi-examples --example compare_peer -- \
//!     --endpoint http://127.0.0.1:18600 create_many_wait --n 100 --wait-interval 0.25
//! ```
//!
//! Scenarios:
//!
//! - `create_many_wait`: creates N droplets in batches of ten, all with one
//!   tag, then `wait_droplets` until every one is active. Timed: the creates
//!   and the wait. The droplets are deleted by tag afterwards, untimed.
//! - `paginate_big`: lists every droplet with the lazy `fetch_all_droplets`
//!   iterator, counting them without keeping them. If fewer than N exist,
//!   setup (untimed) creates the rest; start the simulator with
//!   `--seed-droplets N` instead so setup is instant.
//!
//! `requests`, `routes` and `statuses` come from the simulator's
//! `GET /_sim/stats`, cleared (`DELETE /_sim/stats`) just before the timed
//! phase and read just after it, so other clients must not use the
//! simulator meanwhile. `peak_rss_kb` is this process's `VmHWM` at the end
//! (one process per run, so runs of different sizes compare).
//! `examples/compare_peer.sh` runs both clients and checks the figures.
//!
//! The endpoint is `--endpoint URL` or `DOAPI_SIM_URL`; it must be a
//! simulator on 127.0.0.1 (the stats are read over plain HTTP). Exit status:
//! 0 when `ok`, 1 when not, 2 on bad arguments.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use doapi_blocking::endpoints::{DropletSpec, ListDroplets};
use doapi_blocking::models::DropletStatus;
use doapi_blocking::{Allowance, Api, Client, Error, Until};
use doapi_examples::{proc_status_kb, sim_control};
use serde_json::{json, Map, Value};

const USAGE: &str = "\
usage: compare_peer [--endpoint URL] [--token T] [--n N] [--wait-interval S]
                    [--wait-time S] [--requests-per-minute N] create_many_wait|paginate_big

  --endpoint URL       the simulator, without /v2 (default: $DOAPI_SIM_URL)
  --token T            bearer token (default compare-token)
  --n N                droplets (defaults: create_many_wait 10, paginate_big 1000)
  --wait-interval S    seconds between polls (default 0.25, as the peer)
  --wait-time S        longest wait in seconds (default 300, as the peer)
  --requests-per-minute N  the client's rate budget (default 250; 0: none, for a
                       simulator whose limit is off, as the peer has none)
";

struct Args {
    endpoint: String,
    token: String,
    scenario: String,
    n: Option<u64>,
    wait_interval: Duration,
    wait_time: Duration,
    per_minute: u32,
}

fn parse_args() -> Result<Args, String> {
    let mut endpoint = std::env::var("DOAPI_SIM_URL").ok();
    let mut token = "compare-token".to_owned();
    let mut scenario = None;
    let mut n = None;
    let mut wait_interval = Duration::from_millis(250);
    let mut wait_time = Duration::from_secs(300);
    let mut per_minute = Allowance::default().per_minute;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--endpoint" => endpoint = Some(value()?),
            "--token" => token = value()?,
            "--n" => n = Some(value()?.parse().map_err(|e| format!("--n: {e}"))?),
            "--wait-interval" => wait_interval = seconds(&arg, &value()?)?,
            "--wait-time" => wait_time = seconds(&arg, &value()?)?,
            "--requests-per-minute" => {
                per_minute = value()?.parse().map_err(|e| format!("{arg}: {e}"))?;
            }
            s if !s.starts_with('-') && scenario.is_none() => scenario = Some(s.to_owned()),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let scenario = scenario.ok_or("no scenario given")?;
    if !["create_many_wait", "paginate_big"].contains(&scenario.as_str()) {
        return Err(format!("unknown scenario {scenario:?}"));
    }
    let endpoint = endpoint
        .filter(|e| !e.trim().is_empty())
        .ok_or("no endpoint: give --endpoint URL or set DOAPI_SIM_URL")?;
    Ok(Args {
        endpoint: endpoint.trim_end_matches('/').to_owned(),
        token,
        scenario,
        n,
        wait_interval,
        wait_time,
        per_minute,
    })
}

fn seconds(flag: &str, v: &str) -> Result<Duration, String> {
    v.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{flag}: not a number of seconds: {v:?}"))
}

/// One run's report, printed as one JSON line.
struct Report {
    fields: Map<String, Value>,
    detail: Map<String, Value>,
    checks: Map<String, Value>,
    error: Option<Value>,
}

impl Report {
    fn check(&mut self, name: &str, ok: bool) {
        self.checks.insert(name.to_owned(), Value::Bool(ok));
    }

    fn fail(&mut self, phase: &str, e: &Error) {
        let mut err = json!({ "type": error_type(e), "message": e.to_string(), "phase": phase });
        if let Error::Api(api) = e {
            err["status_code"] = json!(api.status.as_u16());
        }
        self.error = Some(err);
    }
}

fn error_type(e: &Error) -> &'static str {
    match e {
        Error::Api(_) => "ApiError",
        Error::Decode(_) => "DecodeError",
        Error::Request(_) => "RequestError",
        Error::Transport { .. } => "Transport",
        Error::DeadlineExceeded { .. } => "DeadlineExceeded",
        Error::WaitTimeout(_) => "WaitTimeout",
        Error::Cancelled(_) => "Cancelled",
        Error::ActionFailed(_) => "ActionFailed",
        _ => "Error",
    }
}

/// The timed phase: clock, CPU time and the simulator's statistics.
struct Timed<'a> {
    endpoint: &'a str,
    wall: Instant,
    cpu: f64,
}

impl<'a> Timed<'a> {
    fn start(endpoint: &'a str) -> Result<Self, String> {
        sim_control(endpoint, "DELETE")?;
        Ok(Timed {
            endpoint,
            wall: Instant::now(),
            cpu: cpu_seconds(),
        })
    }

    fn finish(self, report: &mut Report) -> Result<(), String> {
        let wall = self.wall.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - self.cpu;
        let stats = sim_control(self.endpoint, "GET")?;
        let stats: Value = serde_json::from_str(&stats).map_err(|e| format!("/_sim/stats: {e}"))?;
        let mut routes = Map::new();
        let mut statuses = BTreeMap::<String, u64>::new();
        if let Some(rs) = stats["routes"].as_object() {
            for (route, r) in rs {
                routes.insert(route.clone(), r["requests"].clone());
                for (status, n) in r["statuses"].as_object().into_iter().flatten() {
                    *statuses.entry(status.clone()).or_default() += n.as_u64().unwrap_or(0);
                }
            }
        }
        let f = &mut report.fields;
        f.insert("wall_s".into(), json!(round6(wall)));
        f.insert("cpu_s".into(), json!(round6(cpu)));
        f.insert("requests".into(), stats["requests"].clone());
        f.insert("routes".into(), Value::Object(routes));
        f.insert("statuses".into(), json!(statuses));
        Ok(())
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// User plus system CPU time of this process, from `/proc/self/stat`.
fn cpu_seconds() -> f64 {
    const TICKS_PER_SECOND: f64 = 100.0; // USER_HZ on Linux
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // After the command name in parentheses: state is field 3, utime 14.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(u), Some(s)) => (u + s) / TICKS_PER_SECOND,
        _ => 0.0,
    }
}

fn spec(tag: Option<&str>) -> DropletSpec {
    let mut spec = DropletSpec::new("s-1vcpu-1gb", "ubuntu-22-04-x64").region("nyc3");
    spec.tags.extend(tag.map(str::to_owned));
    spec
}

/// Creates `n` droplets in batches of ten.
fn create_batched(
    client: &Client,
    prefix: &str,
    n: u64,
    tag: Option<&str>,
) -> Result<Vec<doapi_blocking::models::Droplet>, Error> {
    let mut made = Vec::new();
    let mut start = 0;
    while start < n {
        let names = (start..n.min(start + 10))
            .map(|i| format!("{prefix}-{i}"))
            .collect();
        made.extend(client.create_multiple_droplets(names, spec(tag))?);
        start += 10;
    }
    Ok(made)
}

fn unique(prefix: &str) -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() % 1_000_000_000);
    format!("{prefix}-{ms}")
}

fn create_many_wait(client: &Client, args: &Args, r: &mut Report) -> Result<(), String> {
    let n = args.n.unwrap_or(10);
    let tag = unique("many");
    let timed = Timed::start(&args.endpoint)?;
    let mut made = 0;
    let mut active = 0;
    let mut all_active = true;
    match create_batched(client, &tag, n, Some(&tag)) {
        Ok(droplets) => {
            made = droplets.len();
            for d in client.wait_droplets(droplets, Until::Status(DropletStatus::Active)) {
                match d {
                    Ok(d) => {
                        active += 1;
                        all_active &= d.status == DropletStatus::Active;
                    }
                    Err(e) => {
                        r.fail("timed", &e);
                        break;
                    }
                }
            }
        }
        Err(e) => r.fail("timed", &e),
    }
    timed.finish(r)?;
    r.detail.insert("created".into(), json!(made));
    r.detail
        .insert("create_requests".into(), json!(n.div_ceil(10)));
    r.detail.insert("tag".into(), json!(tag));
    r.check("all_created", made as u64 == n);
    r.check("all_active", active == n && all_active);
    if let Some(rl) = client.last_rate_limit() {
        r.detail.insert(
            "last_rate_limit".into(),
            json!({ "limit": rl.limit, "remaining": rl.remaining }),
        );
    }
    // Cleanup, untimed: one request for all of them.
    if made > 0 {
        if let Err(e) = client.delete_droplets_by_tag(tag) {
            eprintln!("compare_peer: cleanup failed: {e}");
        }
    }
    Ok(())
}

fn paginate_big(client: &Client, args: &Args, r: &mut Report) -> Result<(), String> {
    let n = args.n.unwrap_or(1000);
    // Setup, untimed: how many exist (one page of one), then top up to N.
    let mut have = 0;
    match droplets_present(args) {
        Ok(total) => have = total,
        Err(e) => r.fail("setup", &e),
    }
    if r.error.is_none() && have < n {
        if let Err(e) = create_batched(client, &unique("pg"), n - have, None) {
            r.fail("setup", &e);
        }
    }
    let total = have.max(n);
    r.detail
        .insert("rss_before_kb".into(), json!(proc_status_kb("VmHWM")));
    let timed = Timed::start(&args.endpoint)?;
    let mut count = 0u64;
    // Ids come in ascending order from the simulator; counted, not kept.
    let mut ascending = true;
    let mut last_id = 0;
    if r.error.is_none() {
        for d in client.fetch_all_droplets() {
            match d {
                Ok(d) => {
                    count += 1;
                    ascending &= d.id > last_id;
                    last_id = d.id;
                }
                Err(e) => {
                    r.fail("timed", &e);
                    break;
                }
            }
        }
    }
    timed.finish(r)?;
    let meta_total = client.last_meta().and_then(|m| m.total);
    r.detail.insert("count".into(), json!(count));
    r.detail.insert("present_before".into(), json!(have));
    r.detail.insert("meta_total".into(), json!(meta_total));
    r.detail.insert("ids_ascending".into(), json!(ascending));
    r.detail
        .insert("expected_pages".into(), json!(total.div_ceil(200).max(1)));
    r.check(
        "count_matches",
        count == total && meta_total == i64::try_from(total).ok(),
    );
    Ok(())
}

/// `meta.total` of the droplet listing, from one page of one droplet.
fn droplets_present(args: &Args) -> Result<u64, Error> {
    let client = Client::builder(&args.token)
        .endpoint(&args.endpoint)
        .per_page(1)
        .build()?;
    let mut pages = client.pages(ListDroplets { tag_name: None });
    match pages.next() {
        Some(Ok(page)) => Ok(page.value.total().unwrap_or(0)),
        Some(Err(e)) => Err(e),
        None => Ok(0),
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("compare_peer: {e}");
            }
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let allowance = Allowance {
        per_minute: args.per_minute,
        ..Allowance::default()
    };
    let client = match Client::builder(&args.token)
        .endpoint(&args.endpoint)
        .wait_interval(args.wait_interval)
        .wait_time(Some(args.wait_time))
        .allowance(allowance)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("compare_peer: {e}");
            return ExitCode::from(2);
        }
    };
    let mut r = Report {
        fields: Map::new(),
        detail: Map::new(),
        checks: Map::new(),
        error: None,
    };
    let outcome = match args.scenario.as_str() {
        "create_many_wait" => create_many_wait(&client, &args, &mut r),
        _ => paginate_big(&client, &args, &mut r),
    };
    if let Err(e) = outcome {
        r.error = Some(json!({ "type": "Harness", "message": e, "phase": "harness" }));
    }
    let ok = r.error.is_none() && r.checks.values().all(|v| v == &Value::Bool(true));
    let default_n = if args.scenario == "create_many_wait" {
        10
    } else {
        1000
    };
    let mut line = Map::new();
    line.insert("scenario".into(), json!(args.scenario));
    line.insert("n".into(), json!(args.n.unwrap_or(default_n)));
    for k in ["wall_s", "cpu_s", "requests"] {
        line.insert(k.into(), r.fields.remove(k).unwrap_or(Value::Null));
    }
    line.insert("ok".into(), json!(ok));
    line.insert("error".into(), r.error.unwrap_or(Value::Null));
    line.insert("detail".into(), Value::Object(r.detail));
    line.insert("checks".into(), Value::Object(r.checks));
    line.append(&mut r.fields);
    line.insert("peak_rss_kb".into(), json!(proc_status_kb("VmHWM")));
    line.insert(
        "wait_interval".into(),
        json!(args.wait_interval.as_secs_f64()),
    );
    line.insert("client".into(), json!("doapi-blocking"));
    println!("{}", Value::Object(line));
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
