//! `doapi call`: any operation of the official spec by its id, its
//! parameters checked against the registry of the core
//! (`doapi_core::api::registry`) before anything is sent.

use std::io::{self, BufWriter, Write};

use clap::{ArgAction, Args, CommandFactory, Parser};
use doapi_blocking::api::registry::{
    self, Body, Implementation, Location, Operation, ParamKind, Params, Prepared,
};
use doapi_blocking::Api;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::input::text_or_file;

/// `doapi call`.
#[derive(Args)]
#[command(disable_help_flag = true)]
pub struct CallArgs {
    /// Print every operation id with its method and path, one per line.
    #[arg(long, conflicts_with_all = ["operation", "param", "data"])]
    list: bool,
    /// A parameter of the operation, path, query or header (once per
    /// value for an array parameter).
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    param: Vec<String>,
    /// The JSON body, or @FILE (@- for stdin).
    #[arg(short = 'd', long = "data", value_name = "JSON|@FILE")]
    data: Option<String>,
    /// Print help; after OPERATION_ID, that operation's parameters.
    #[arg(short = 'h', long, action = ArgAction::SetTrue)]
    help: bool,
    /// The operation's id, as `--list` prints it.
    #[arg(value_name = "OPERATION_ID", required_unless_present_any = ["list", "help"])]
    operation: Option<String>,
}

/// `doapi call` alone, for its help.
#[derive(Parser)]
#[command(name = "doapi call", about = "Any operation of the API by its id")]
struct CallCommand {
    #[command(flatten)]
    args: CallArgs,
}

/// What needs no client or token: `--list`, and `--help`. `None` for a
/// call.
pub fn offline(c: &CallArgs) -> Option<Result<(), Fail>> {
    if c.list {
        let lines = registry::OPERATIONS
            .iter()
            .filter(|op| offered(op))
            .map(|op| format!("{} {} {}", op.id, op.method, op.path));
        return Some(print_lines(lines));
    }
    if !c.help {
        return None;
    }
    Some(match &c.operation {
        None => {
            let help = CallCommand::command().render_long_help().to_string();
            print_lines([help.trim_end().to_owned()])
        }
        Some(id) => find(id).and_then(|op| print_lines(describe(op))),
    })
}

/// Runs `doapi call OPERATION_ID ...`.
pub fn run(ctx: &mut Ctx, c: CallArgs) -> Result<(), Fail> {
    if let Some(done) = offline(&c) {
        return done;
    }
    let Some(id) = c.operation else {
        return Err(Fail::usage("an OPERATION_ID, or --list"));
    };
    let op = find(&id)?;
    let mut params = Params::new();
    for pair in &c.param {
        params
            .push_pair(pair)
            .map_err(|e| Fail::usage(format!("--param: {e}")))?;
    }
    if let Some(d) = &c.data {
        params.set_body(text_or_file(d)?);
    }
    let prepared = registry::prepare(op.id, &params)
        .map_err(|e| Fail::usage(format!("{}: {e} (see doapi call {} --help)", op.id, op.id)))?;
    match prepared {
        Prepared::One(one) => match ctx.client.send(one)? {
            Value::Null => Ok(()),
            answer => ctx.out.one(&answer),
        },
        Prepared::List(list) => {
            let items = ctx.client.list(list);
            ctx.out.stream(items)
        }
    }
}

/// Whether the operation can be called.
fn offered(op: &Operation) -> bool {
    !matches!(op.implementation, Implementation::Skipped(_))
}

/// The operation of an id, or a usage failure.
fn find(id: &str) -> Result<&'static Operation, Fail> {
    registry::find(id).ok_or_else(|| {
        Fail::usage(format!(
            "no operation {id:?} (doapi call --list prints them)"
        ))
    })
}

/// The lines of `doapi call OPERATION_ID --help`.
fn describe(op: &'static Operation) -> Vec<String> {
    let mut lines = vec![format!("{}: {} {}", op.id, op.method, op.path)];
    lines.push(format!("Group: {} (feature {})", op.tag, op.feature));
    lines.push(match op.implementation {
        Implementation::Generated(path) => format!("Type: doapi_core::api::{path}"),
        Implementation::Handmade(types) => {
            format!("Type: doapi_core::endpoints::{}", types.join(", "))
        }
        Implementation::Skipped(reason) => format!("Not offered: {reason}"),
    });
    if let Some(key) = op.list_key {
        lines.push(format!(
            "A listing: every page is fetched, the items under {key:?} printed as they come"
        ));
    }
    lines.push(String::new());
    if op.params.is_empty() {
        lines.push("Parameters: none".into());
    } else {
        let rows: Vec<[String; 4]> = op
            .params
            .iter()
            .map(|p| {
                let location = match p.location {
                    Location::Path => "path",
                    Location::Query => "query",
                    Location::Header => "header",
                };
                let required = if p.required { "required" } else { "optional" };
                [
                    p.name.to_owned(),
                    location.to_owned(),
                    kind(&p.kind),
                    required.to_owned(),
                ]
            })
            .collect();
        let header = ["NAME", "IN", "TYPE", "REQUIRED"].map(str::to_owned);
        let widths: Vec<usize> = (0..3)
            .map(|i| {
                rows.iter()
                    .chain([&header])
                    .map(|r| r[i].len())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        lines.push("Parameters (--param NAME=VALUE):".into());
        for row in [&header].into_iter().chain(&rows) {
            let line = format!(
                "  {:w0$}  {:w1$}  {:w2$}  {}",
                row[0],
                row[1],
                row[2],
                row[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2]
            );
            lines.push(line);
        }
    }
    lines.push(match op.body {
        Body::None => "Body: none".into(),
        Body::Optional => "Body: optional JSON (-d JSON|@FILE)".into(),
        Body::Required => "Body: required JSON (-d JSON|@FILE)".into(),
    });
    lines
}

/// A parameter's type, as `--help` shows it.
fn kind(k: &ParamKind) -> String {
    match k {
        ParamKind::Integer { min, max } => match (min, max) {
            (None, None) => "integer".into(),
            (Some(a), None) => format!("integer >= {a}"),
            (None, Some(b)) => format!("integer <= {b}"),
            (Some(a), Some(b)) => format!("integer {a}..={b}"),
        },
        ParamKind::Number => "number".into(),
        ParamKind::Boolean => "boolean".into(),
        ParamKind::String { values, .. } if !values.is_empty() => {
            format!("one of {}", values.join("|"))
        }
        ParamKind::String {
            format: Some(f), ..
        } => format!("string ({f})"),
        ParamKind::String { .. } => "string".into(),
        ParamKind::Array(k) => format!("{}, repeatable", kind(k)),
    }
}

/// Prints lines of text on stdout.
fn print_lines(lines: impl IntoIterator<Item = String>) -> Result<(), Fail> {
    let mut w = BufWriter::new(io::stdout().lock());
    for line in lines {
        writeln!(w, "{line}")?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_s_help_lists_its_parameters() {
        let op = registry::find("droplets_list").expect("in the spec");
        let text = describe(op).join("\n");
        assert!(
            text.starts_with("droplets_list: GET /v2/droplets\n"),
            "{text}"
        );
        let row = text
            .lines()
            .find(|l| l.trim_start().starts_with("tag_name "))
            .expect("tag_name");
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cells, ["tag_name", "query", "string", "optional"]);
        assert!(text.contains("one of droplets|gpus"), "{text}");
        assert!(text.contains("Body: none"), "{text}");
        let get = describe(registry::find("droplets_get").expect("in the spec")).join("\n");
        assert!(
            get.contains("droplet_id  path  integer >= 1  required"),
            "{get}"
        );
    }

    #[test]
    fn the_call_command_is_consistent() {
        CallCommand::command().debug_assert();
        let parsed = CallCommand::try_parse_from(["doapi call", "x", "-p", "a=1", "-p", "b=2"])
            .expect("parses");
        assert_eq!(parsed.args.param, ["a=1", "b=2"]);
        assert!(CallCommand::try_parse_from(["doapi call"]).is_err());
        assert!(CallCommand::try_parse_from(["doapi call", "--list", "x"]).is_err());
    }
}
