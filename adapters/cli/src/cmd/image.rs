//! `doapi image ...`.

use clap::Subcommand;
use doapi_blocking::endpoints::{ActOnTarget, ActionTarget, ImageFilter, ListImages};
use doapi_blocking::models::{Action, Image};
use doapi_blocking::Api;
use doapi_blocking::{Client, Error};

use crate::act::{act_and_print, wait_current_actions};
use crate::args::{ActFields, ActionsView, ImageSelect, WaitOpt};
use crate::ctx::Ctx;
use crate::fail::Fail;

/// The image commands.
#[derive(Subcommand)]
pub enum ImageCmd {
    /// The images given, or every image (of a kind).
    Show {
        /// Only distribution images.
        #[arg(long, group = "kind", conflicts_with = "images")]
        distribution: bool,
        /// Only application images.
        #[arg(long, group = "kind", conflicts_with = "images")]
        application: bool,
        /// Only the account's own images.
        #[arg(long, group = "kind", conflicts_with = "images")]
        private: bool,
        /// Each image's id, slug or name; none for every image.
        #[arg(value_name = "IMAGE")]
        images: Vec<String>,
        /// Let a name stand for every image that has it.
        #[arg(short = 'M', long)]
        multiple: bool,
    },
    /// Deletes images.
    Delete(ImageSelect),
    /// Renames an image.
    Update {
        /// The image's id, slug or name.
        image: String,
        /// Its new name.
        name: String,
        /// Fail if an image already has that name.
        #[arg(long)]
        unique: bool,
    },
    /// Copies images to a region.
    Transfer {
        /// The region's slug.
        #[arg(long)]
        region: String,
        #[command(flatten)]
        sel: ImageSelect,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Converts backups to snapshots.
    Convert {
        #[command(flatten)]
        sel: ImageSelect,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// Any action, its other fields given as a JSON object.
    Act {
        #[command(flatten)]
        fields: ActFields,
        #[command(flatten)]
        sel: ImageSelect,
        #[command(flatten)]
        wait: WaitOpt,
    },
    /// The images' actions, newest first.
    Actions {
        #[command(flatten)]
        view: ActionsView,
        #[command(flatten)]
        sel: ImageSelect,
    },
    /// Waits until each image's current action ends.
    Wait(ImageSelect),
}

fn images(ctx: &mut Ctx, sel: &ImageSelect) -> Result<Vec<Image>, Fail> {
    ctx.names
        .many::<Image>(&ctx.client, &sel.images, sel.multiple)
}

/// Starts `make(image id)` on each image of `sel`.
fn act_on_images(
    ctx: &mut Ctx,
    sel: &ImageSelect,
    wait: bool,
    make: impl Fn(&Client, u64) -> Result<Action, Error>,
) -> Result<(), Fail> {
    let found = images(ctx, sel)?;
    let client = ctx.client.clone();
    act_and_print(ctx, found.iter().map(|i| Ok(make(&client, i.id)?)), wait)
}

/// Runs an image command.
pub fn run(ctx: &mut Ctx, cmd: ImageCmd) -> Result<(), Fail> {
    match cmd {
        ImageCmd::Show {
            distribution,
            application,
            private,
            images: labels,
            multiple,
        } => {
            if !labels.is_empty() {
                let found = ctx.names.many::<Image>(&ctx.client, &labels, multiple)?;
                return ctx.out.items(found);
            }
            let filter = match (distribution, application, private) {
                (true, _, _) => ImageFilter::Distribution,
                (_, true, _) => ImageFilter::Application,
                (_, _, true) => ImageFilter::Private,
                _ => ImageFilter::All,
            };
            let all = ctx.client.list(ListImages { filter });
            ctx.out.stream(all)
        }
        ImageCmd::Delete(sel) => {
            let found = images(ctx, &sel)?;
            for i in &found {
                ctx.client.delete_image(i.id)?;
            }
            Ok(())
        }
        ImageCmd::Update {
            image,
            name,
            unique,
        } => {
            ctx.check_unused::<Image>(&name, unique)?;
            let i = ctx.names.one::<Image>(&ctx.client, &image)?;
            let updated = ctx.client.update_image(i.id, name)?;
            ctx.out.one(&updated)
        }
        ImageCmd::Transfer { region, sel, wait } => act_on_images(ctx, &sel, wait.wait, |c, id| {
            c.transfer_image(id, region.clone())
        }),
        ImageCmd::Convert { sel, wait } => {
            act_on_images(ctx, &sel, wait.wait, |c, id| c.convert_image(id))
        }
        ImageCmd::Act { fields, sel, wait } => {
            let fields = fields.parse()?;
            act_on_images(ctx, &sel, wait.wait, |c, id| {
                c.send(ActOnTarget {
                    target: ActionTarget::Image(id),
                    fields: fields.clone(),
                })
            })
        }
        ImageCmd::Actions { view, sel } => {
            let found = images(ctx, &sel)?;
            let targets = found.iter().map(|i| ActionTarget::Image(i.id));
            view.print(ctx, targets)
        }
        ImageCmd::Wait(sel) => {
            let found = images(ctx, &sel)?;
            wait_current_actions(ctx, found.iter().map(|i| ActionTarget::Image(i.id)))
        }
    }
}
