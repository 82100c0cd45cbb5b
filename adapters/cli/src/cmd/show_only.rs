//! `doapi region show`, `doapi size show`, `doapi account show`: the
//! groups with only `show`.

use clap::Subcommand;

use crate::ctx::Ctx;
use crate::fail::Fail;
use doapi_blocking::Api;

/// Commands with only `show`.
#[derive(Subcommand)]
pub enum ShowOnly {
    /// Every one.
    Show,
}

/// Runs `doapi region show`.
pub fn region(ctx: &mut Ctx, cmd: ShowOnly) -> Result<(), Fail> {
    match cmd {
        ShowOnly::Show => {
            let regions = ctx.client.fetch_all_regions();
            ctx.out.stream(regions)
        }
    }
}

/// Runs `doapi size show`.
pub fn size(ctx: &mut Ctx, cmd: ShowOnly) -> Result<(), Fail> {
    match cmd {
        ShowOnly::Show => {
            let sizes = ctx.client.fetch_all_sizes();
            ctx.out.stream(sizes)
        }
    }
}

/// Runs `doapi account show`.
pub fn account(ctx: &mut Ctx, cmd: ShowOnly) -> Result<(), Fail> {
    match cmd {
        ShowOnly::Show => {
            let account = ctx.client.fetch_account()?;
            ctx.out.one(&account)
        }
    }
}
