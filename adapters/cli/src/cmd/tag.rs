//! `doapi tag ...`.

use clap::Subcommand;
use doapi_blocking::endpoints::validate_tag_name;
use doapi_blocking::Api;
use doapi_blocking::Error;

use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::keyed::{each_or_all, unique};

/// The tag commands.
#[derive(Subcommand)]
pub enum TagCmd {
    /// The tags given, or every tag.
    Show {
        /// Each tag's name; none for every tag.
        tags: Vec<String>,
    },
    /// Creates tags.
    New {
        /// Each tag's name.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Deletes tags.
    Delete {
        /// Each tag's name.
        #[arg(required = true)]
        tags: Vec<String>,
    },
}

/// Runs a tag command.
pub fn run(ctx: &mut Ctx, cmd: TagCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        TagCmd::Show { tags } => {
            each_or_all(ctx, tags, client.fetch_all_tags(), |t| client.fetch_tag(t))
        }
        TagCmd::New { names } => {
            // Every name is checked before the first tag is made.
            for n in &names {
                validate_tag_name(n).map_err(Error::Request)?;
            }
            ctx.out.stream(unique(names).map(|n| client.create_tag(n)))
        }
        TagCmd::Delete { tags } => {
            for t in unique(tags) {
                client.delete_tag(t)?;
            }
            Ok(())
        }
    }
}
