//! Starting actions and printing them, or waiting for them; printing what
//! was done before a failure.

use doapi_blocking::endpoints::ActionTarget;
use doapi_blocking::models::Action;
use doapi_blocking::Api;
use serde::Serialize;

use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::waiting;

/// Prints what was done before a failure, then gives the failure.
pub fn print_partial<T: Serialize>(ctx: &mut Ctx, done: &[T], fail: Fail) -> Result<(), Fail> {
    if !done.is_empty() {
        ctx.out.items(done)?;
    }
    Err(fail)
}

/// Starts the actions (all, or until one fails), then prints them, or with
/// `wait`, waits for them and prints each as it ends. Actions started
/// before a failure are printed before the failure is reported.
pub fn act_and_print(
    ctx: &mut Ctx,
    actions: impl IntoIterator<Item = Result<Action, Fail>>,
    wait: bool,
) -> Result<(), Fail> {
    let mut started = Vec::new();
    for a in actions {
        match a {
            Ok(a) => started.push(a),
            Err(e) if started.is_empty() => return Err(e),
            Err(e) => {
                let n = started.len();
                let fail = e.after(format!("after starting {n} action(s), printed"));
                return print_partial(ctx, &started, fail);
            }
        }
    }
    if !wait {
        return ctx.out.items(&started);
    }
    let n = started.len();
    let wait = ctx.client.wait_actions(started);
    waiting::run(&mut ctx.out, wait, n, "actions")
}

/// Waits for the action in progress on each target, if any.
pub fn wait_current_actions(
    ctx: &mut Ctx,
    targets: impl IntoIterator<Item = ActionTarget>,
) -> Result<(), Fail> {
    let mut current = Vec::new();
    for t in targets {
        if let Some(a) = ctx.client.fetch_current_action(t)? {
            current.push(a);
        }
    }
    act_and_print(ctx, current.into_iter().map(Ok), true)
}
