//! `doapi ssh-key ...`.

use clap::Subcommand;
use doapi_blocking::models::SshKey;
use doapi_blocking::Api;

use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::input::text_or_file;

/// The SSH key commands.
#[derive(Subcommand)]
pub enum SshKeyCmd {
    /// The keys given, or every key.
    Show {
        /// Each key's id, fingerprint or name; none for every key.
        #[arg(value_name = "KEY")]
        keys: Vec<String>,
        /// Let a name stand for every key that has it.
        #[arg(short = 'M', long)]
        multiple: bool,
    },
    /// Registers a public key.
    New {
        /// The key's name.
        name: String,
        /// The public key file (default: stdin).
        file: Option<String>,
        /// Fail if a key already has that name.
        #[arg(long)]
        unique: bool,
    },
    /// Renames a key.
    Update {
        /// The key's id, fingerprint or name.
        key: String,
        /// Its new name.
        name: String,
        /// Fail if a key already has that name.
        #[arg(long)]
        unique: bool,
    },
    /// Deletes keys.
    Delete {
        /// Each key's id, fingerprint or name.
        #[arg(required = true, value_name = "KEY")]
        keys: Vec<String>,
        /// Let a name stand for every key that has it.
        #[arg(short = 'M', long)]
        multiple: bool,
    },
}

/// Runs an SSH key command.
pub fn run(ctx: &mut Ctx, cmd: SshKeyCmd) -> Result<(), Fail> {
    match cmd {
        SshKeyCmd::Show { keys, multiple } => {
            if keys.is_empty() {
                return ctx.out.stream(ctx.client.fetch_all_ssh_keys());
            }
            let found = ctx.names.many::<SshKey>(&ctx.client, &keys, multiple)?;
            ctx.out.items(found)
        }
        SshKeyCmd::New { name, file, unique } => {
            ctx.check_unused::<SshKey>(&name, unique)?;
            let text = text_or_file(&format!("@{}", file.as_deref().unwrap_or("-")))?;
            let key = ctx.client.create_ssh_key(name, text.trim())?;
            ctx.out.one(&key)
        }
        SshKeyCmd::Update { key, name, unique } => {
            ctx.check_unused::<SshKey>(&name, unique)?;
            let k = ctx.names.one::<SshKey>(&ctx.client, &key)?;
            let updated = ctx.client.update_ssh_key(k.id, name)?;
            ctx.out.one(&updated)
        }
        SshKeyCmd::Delete { keys, multiple } => {
            let found = ctx.names.many::<SshKey>(&ctx.client, &keys, multiple)?;
            for k in &found {
                ctx.client.delete_ssh_key(k.id)?;
            }
            Ok(())
        }
    }
}
