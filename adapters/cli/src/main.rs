//! `doapi`: DigitalOcean from the shell, on `doapi-blocking`. The commands,
//! output and exit codes are described in this crate's README.
#![forbid(unsafe_code)]

mod act;
mod args;
mod by_id;
mod cmd;
mod ctx;
mod fail;
mod input;
mod keyed;
mod out;
mod resolve;
mod token;
mod waiting;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
use clap::{Args, Parser};
use doapi_blocking::Api;
use doapi_blocking::{Allowance, Client, Limits};

use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::out::Out;
use crate::resolve::Resolver;

/// DigitalOcean from the shell: JSON on stdout, one line on stderr on
/// failure.
///
/// Exit codes: 0 success; 1 DigitalOcean answered with an error or could
/// not be reached; 2 bad arguments or input; 3 a wait ran out of time; 4 an
/// action waited on ended `errored`; 130 interrupted during a wait.
#[derive(Parser)]
#[command(name = "doapi", version)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: cmd::Command,
}

/// Options every command takes.
#[derive(Args)]
struct Global {
    /// The API token (else --api-token-file, DIGITALOCEAN_TOKEN,
    /// DIGITALOCEAN_ACCESS_TOKEN, DO_API_TOKEN, ~/.doapi).
    #[arg(
        long,
        global = true,
        value_name = "TOKEN",
        conflicts_with = "api_token_file"
    )]
    api_token: Option<String>,
    /// A file holding the API token.
    #[arg(long, global = true, value_name = "FILE")]
    api_token_file: Option<PathBuf>,
    /// The API's origin; plain http only to loopback.
    #[arg(long, global = true, value_name = "URL", env = "DIGITALOCEAN_API_URL")]
    endpoint: Option<String>,
    /// The longest one attempt of an HTTP request may take, from connecting
    /// to the last byte of the body (default 120; the connect and read
    /// timeouts, 10 and 60, are capped by it). A failed GET is tried again,
    /// 5 attempts in all within 120 s of the first failure.
    #[arg(long, global = true, value_name = "SECONDS", value_parser = seconds)]
    timeout: Option<Duration>,
    /// How often a wait polls (default 2).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = seconds)]
    wait_interval: Option<Duration>,
    /// The longest a wait waits (default 1800: 30 minutes).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = seconds)]
    wait_time: Option<Duration>,
    /// The most requests this command sends in any minute, waiting rather
    /// than going over (default 250, DigitalOcean's limit; 0: no limit).
    #[arg(long, global = true, value_name = "N", default_value_t = 250)]
    requests_per_minute: u32,
    /// One line of JSON per object instead of a pretty array.
    #[arg(long, global = true)]
    compact: bool,
}

/// A number of seconds, as a duration; never panics. Its range is the
/// client builder's to check (each setting has its own).
fn seconds(text: &str) -> Result<Duration, String> {
    let n: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(n)
        .map_err(|_| format!("{text:?} is out of range: seconds are 0 or more, and finite"))
}

/// The token, as [`token::find`] looks for it.
fn token(g: &Global) -> Result<String, Fail> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    token::find(
        g.api_token.as_deref(),
        g.api_token_file.as_deref(),
        |k| std::env::var(k).ok(),
        home,
    )
}

/// The client; the builder refuses a duration out of its range.
fn client(g: &Global, token: &str) -> Result<Client, Fail> {
    let mut config =
        Client::builder(token).user_agent(concat!("doapi-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(url) = &g.endpoint {
        config = config.endpoint(url);
    }
    if let Some(d) = g.wait_interval {
        config = config.wait_interval(d);
    }
    if g.wait_time.is_some() {
        config = config.wait_time(g.wait_time);
    }
    let mut limits = Limits::default();
    if let Some(t) = g.timeout {
        limits.request_timeout = t;
        limits.connect_timeout = limits.connect_timeout.min(t);
        limits.read_timeout = limits.read_timeout.min(t);
    }
    let allowance = Allowance {
        per_minute: g.requests_per_minute,
        ..Allowance::default()
    };
    Ok(config.limits(limits).allowance(allowance).build()?)
}

fn run(cli: Cli, token: &str) -> Result<(), Fail> {
    let mut ctx = Ctx {
        client: client(&cli.global, token)?,
        out: Out::stdout(cli.global.compact),
        names: Resolver::default(),
    };
    cmd::run(&mut ctx, cli.command)
}

/// clap's message for a usage error, on one line: its first paragraph,
/// without the `error: ` prefix.
fn usage_line(text: &str) -> String {
    let para: Vec<&str> = text
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    let joined = para.join(" ");
    let message = joined.strip_prefix("error: ").unwrap_or(&joined);
    format!("{message} (see --help)")
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() || e.kind() == DisplayHelpOnMissingArgumentOrSubcommand => {
            // Help and version (and help for a bare group) as clap shows them.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { fail::EXIT_USAGE } else { 0 });
        }
        Err(e) => return Fail::usage(usage_line(&e.to_string())).report(None),
    };
    if let Some(done) = cmd::run_offline(&cli.command) {
        return done.map_or_else(|f| f.report(None), |()| ExitCode::SUCCESS);
    }
    let token = match token(&cli.global) {
        Ok(t) => t,
        Err(f) => return f.report(None),
    };
    match run(cli, &token) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => f.report(Some(&token)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_are_one_line() {
        let e = Cli::try_parse_from(["doapi", "droplet", "show", "--bogus"])
            .err()
            .expect("an unknown option is an error");
        let line = usage_line(&e.to_string());
        assert!(line.starts_with("unexpected argument '--bogus'"), "{line}");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn seconds_take_fractions_and_refuse_nonsense_without_panicking() {
        assert_eq!(seconds("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(
            seconds("1e19"),
            Ok(Duration::from_secs(10_000_000_000_000_000_000))
        );
        for bad in ["-1", "soon", "nan", "inf", "-inf", "1e300", "", "0x10"] {
            assert!(seconds(bad).is_err(), "{bad:?}");
        }
    }
}
