//! `doapi-sim`: the simulator as a program. Serves on 127.0.0.1 until
//! SIGINT or SIGTERM, then prints the request statistics.

use std::future::poll_fn;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::str::FromStr;
use std::task::Poll;
use std::time::Duration;

use doapi_sim::{FaultRule, SimConfig, SimServer};
use tokio::signal::unix::{signal, SignalKind};

const USAGE: &str = "\
usage: doapi-sim [options]

  --port P                 listen on 127.0.0.1:P (default 8080; 0 = any free port)
  --boot-delay SECONDS     a new droplet is `new` this long (default 1; fractions allowed)
  --action-delay SECONDS   an action is `in-progress` this long (default 0.5)
  --lb-delay SECONDS       a load balancer is `new` this long (default 3)
  --backup-interval SECONDS  time between automatic backups (default 86400)
  --seed-droplets N        start with N active droplets
  --rate-per-minute N      requests per token per minute; 0 = no limit (default 250)
  --rate-per-hour N        requests per token per hour; 0 = no limit (default 5000)
  --public-url URL         origin written into links (default: the request's Host)
  --token T                accept only this bearer token (repeatable; default: any)
  --droplet-limit N        the account's droplet limit (default 10000)
  --fail-action TYPE       actions of this type end `errored` (repeatable)
  --action-error-rate P    chance that any other action ends `errored` (default 0)
  --fault SPEC             inject a fault (repeatable), for example
                             429,retry-after=2,from=3,to=5
                             503,rate=0.1,route=POST /v2/droplets
                             latency,ms=200   drop,every=10   truncate   malformed
  --seed N                 seed of every random choice (default 1)
  --stats-json FILE        also write the statistics as JSON to FILE on exit
  -h, --help               this text

Prints `doapi-sim listening on http://127.0.0.1:PORT` when ready.
";

struct Args {
    port: u16,
    config: SimConfig,
    stats_json: Option<String>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        port: 8080,
        config: SimConfig::default(),
        stats_json: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let c = &mut args.config;
        match flag.as_str() {
            "--port" => args.port = number(&flag, &value()?)?,
            "--boot-delay" => c.boot_delay = seconds(&flag, &value()?)?,
            "--action-delay" => c.action_delay = seconds(&flag, &value()?)?,
            "--lb-delay" => c.lb_delay = seconds(&flag, &value()?)?,
            "--backup-interval" => c.backup_interval = seconds(&flag, &value()?)?,
            "--seed-droplets" => c.seed_droplets = number(&flag, &value()?)?,
            "--rate-per-minute" => c.rate_per_minute = number(&flag, &value()?)?,
            "--rate-per-hour" => c.rate_per_hour = number(&flag, &value()?)?,
            "--public-url" => c.public_url = Some(value()?),
            "--token" => c.tokens.push(value()?),
            "--droplet-limit" => c.droplet_limit = number(&flag, &value()?)?,
            "--fail-action" => c.failing_actions.push(value()?),
            "--action-error-rate" => {
                c.action_error_rate = number::<f64>(&flag, &value()?)?.clamp(0.0, 1.0)
            }
            "--fault" => c
                .faults
                .push(value()?.parse::<FaultRule>().map_err(|e| e.to_string())?),
            "--seed" => c.seed = number(&flag, &value()?)?,
            "--stats-json" => args.stats_json = Some(value()?),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(Some(args))
}

fn number<T: FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag}: {v:?} is not a valid number"))
}

fn seconds(flag: &str, v: &str) -> Result<Duration, String> {
    let s: f64 = number(flag, v)?;
    Duration::try_from_secs_f64(s).map_err(|_| format!("{flag}: {v:?} is not a duration"))
}

/// Resolves on SIGINT or SIGTERM.
async fn stop_signal() -> std::io::Result<()> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    poll_fn(|cx| {
        if term.poll_recv(cx).is_ready() || int.poll_recv(cx).is_ready() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    Ok(())
}

async fn run(args: Args) -> std::io::Result<()> {
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    let server = SimServer::bind(args.config, addr).await?;
    println!("doapi-sim listening on {}", server.url());
    stop_signal().await?;
    let stats = server.stats();
    eprint!("doapi-sim requests by route:\n{stats}");
    if let Some(path) = args.stats_json {
        std::fs::write(path, serde_json::to_vec_pretty(&stats).unwrap_or_default())?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprint!("doapi-sim: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .enable_time()
        .build();
    let result = runtime.and_then(|rt| rt.block_on(run(args)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("doapi-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
