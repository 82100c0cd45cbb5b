//! `doapi request`: any API call.

use clap::Args;
use doapi_blocking::endpoints::{AsText, Raw, RawList};
use doapi_blocking::Api;
use http::Method;

use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::input::{json_arg, text_or_file};

/// `doapi request`.
#[derive(Args)]
pub struct RequestArgs {
    /// The method.
    #[arg(short = 'X', long = "request", default_value = "GET", value_parser = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], ignore_case = true)]
    method: String,
    /// The JSON body, or @FILE (@- for stdin).
    #[arg(short = 'd', long = "data", value_name = "JSON|@FILE")]
    data: Option<String>,
    /// Follow every page and print the items under KEY (GET only).
    #[arg(long, value_name = "KEY")]
    paginate: Option<String>,
    /// `/v2/...`, or a URL on the endpoint's origin.
    path: String,
}

/// Runs `doapi request`.
pub fn run(ctx: &mut Ctx, r: RequestArgs) -> Result<(), Fail> {
    let method = Method::from_bytes(r.method.to_uppercase().as_bytes())
        .map_err(|_| Fail::usage(format!("bad method {:?}", r.method)))?;
    let body = match &r.data {
        Some(d) => Some(json_arg(&text_or_file(d)?, "--data")?),
        None => None,
    };
    if let Some(key) = r.paginate {
        if method != Method::GET || body.is_some() {
            return Err(Fail::usage("--paginate only goes with GET and no --data"));
        }
        let items = ctx.client.list(AsText(RawList {
            url: r.path,
            key,
            query: Vec::new(),
        }));
        return ctx.out.stream_json(items);
    }
    // The answer as its JSON text: a tree of values would cost some twenty
    // to forty times the body.
    let answer = ctx.client.send(AsText(Raw {
        method,
        url: r.path,
        query: Vec::new(),
        body,
    }))?;
    match answer {
        Some(v) => ctx.out.json(&v),
        None => Ok(()),
    }
}
