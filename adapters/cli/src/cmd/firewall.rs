//! `doapi firewall ...`: doctl's `firewall` verbs. Rules are written as
//! doctl writes them: rules separated by spaces, each a comma-separated
//! list of `key:value` (`protocol:tcp,ports:22,address:0.0.0.0/0`), the
//! keys `protocol`, `ports`, `address`, `droplet_id`, `tag` and
//! `load_balancer_uid`, the last four repeatable.

use clap::{Args, Subcommand};
use doapi_blocking::specs::{FirewallSpec, Rule};
use doapi_blocking::Api;

use crate::by_id::{droplet_ids, resolve};
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::input::key_values;
use crate::keyed::unique;

/// Inbound and outbound rules, in doctl's syntax.
#[derive(Args)]
pub struct RuleArgs {
    /// Inbound rules: `protocol:tcp,ports:22,address:0.0.0.0/0 ...`.
    #[arg(long)]
    inbound_rules: Option<String>,
    /// Outbound rules, the same way (`address` is where to).
    #[arg(long)]
    outbound_rules: Option<String>,
}

impl RuleArgs {
    fn parse(&self) -> Result<(Vec<Rule>, Vec<Rule>), Fail> {
        let rules = |text: &Option<String>| -> Result<Vec<Rule>, Fail> {
            text.as_deref()
                .map_or(Ok(Vec::new()), |t| t.split_whitespace().map(rule).collect())
        };
        Ok((rules(&self.inbound_rules)?, rules(&self.outbound_rules)?))
    }
}

/// One rule in doctl's syntax.
fn rule(text: &str) -> Result<Rule, Fail> {
    let mut protocol = None;
    let mut ports = None;
    let mut r = Rule::icmp();
    for (key, value) in key_values(text)? {
        match key {
            "protocol" => protocol = Some(value.to_owned()),
            "ports" => ports = Some(value.to_owned()),
            "address" => r.addresses.push(value.to_owned()),
            "tag" => r.tags.push(value.to_owned()),
            "load_balancer_uid" => r.load_balancer_uids.push(value.to_owned()),
            "droplet_id" => r.droplet_ids.push(
                value
                    .parse()
                    .map_err(|_| Fail::usage(format!("droplet_id is a number, not {value:?}")))?,
            ),
            other => return Err(Fail::usage(format!("a rule has no key {other:?}"))),
        }
    }
    r.protocol = protocol.ok_or_else(|| Fail::usage(format!("rule {text:?} has no protocol")))?;
    r.ports = match (ports, r.protocol.as_str()) {
        (Some(p), _) => p,
        (None, "icmp") => r.ports,
        (None, _) => "all".into(),
    };
    Ok(r)
}

/// The firewall commands.
#[derive(Subcommand)]
pub enum FirewallCmd {
    /// Every firewall.
    List,
    /// The firewalls of a droplet.
    ListByDroplet {
        /// The droplet: id or name.
        droplet: String,
    },
    /// The firewalls given.
    Get {
        /// Each firewall: id or name.
        #[arg(required = true)]
        firewalls: Vec<String>,
    },
    /// Creates a firewall.
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        rules: RuleArgs,
        /// The droplets it applies to: ids or names.
        #[arg(long, value_delimiter = ',')]
        droplet_ids: Vec<String>,
        /// The tags of the droplets it applies to.
        #[arg(long, value_delimiter = ',')]
        tag_names: Vec<String>,
    },
    /// Adds rules.
    AddRules {
        /// The firewall: id or name.
        firewall: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Removes rules (each as it was added).
    RemoveRules {
        /// The firewall: id or name.
        firewall: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Applies it to droplets.
    AddDroplets {
        /// The firewall: id or name.
        firewall: String,
        /// The droplets: ids or names.
        #[arg(long, value_delimiter = ',', required = true)]
        droplet_ids: Vec<String>,
    },
    /// Removes droplets.
    RemoveDroplets {
        /// The firewall: id or name.
        firewall: String,
        /// The droplets: ids or names.
        #[arg(long, value_delimiter = ',', required = true)]
        droplet_ids: Vec<String>,
    },
    /// Applies it to the droplets with tags.
    AddTags {
        /// The firewall: id or name.
        firewall: String,
        /// The tags.
        #[arg(long, value_delimiter = ',', required = true)]
        tag_names: Vec<String>,
    },
    /// Removes tags.
    RemoveTags {
        /// The firewall: id or name.
        firewall: String,
        /// The tags.
        #[arg(long, value_delimiter = ',', required = true)]
        tag_names: Vec<String>,
    },
    /// Deletes firewalls.
    Delete {
        /// Each firewall: id or name.
        #[arg(required = true)]
        firewalls: Vec<String>,
    },
}

/// The id of the firewall a label names.
fn firewall_id(ctx: &Ctx, label: &str) -> Result<String, Fail> {
    let listing = ctx.client.fetch_all_firewalls();
    resolve("firewall", label, listing, |f| {
        (f.name.as_deref(), f.id.as_deref())
    })
}

/// Runs a firewall command.
pub fn run(ctx: &mut Ctx, cmd: FirewallCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        FirewallCmd::List => ctx.out.stream(client.fetch_all_firewalls()),
        FirewallCmd::ListByDroplet { droplet } => {
            let id = droplet_ids(ctx, &[droplet])?[0];
            ctx.out.stream(client.fetch_droplet_firewalls(id))
        }
        FirewallCmd::Get { firewalls } => {
            let ids: Result<Vec<String>, Fail> =
                firewalls.iter().map(|l| firewall_id(ctx, l)).collect();
            ctx.out
                .stream(unique(ids?).map(|id| client.fetch_firewall(id)))
        }
        FirewallCmd::Create {
            name,
            rules,
            droplet_ids: droplets,
            tag_names,
        } => {
            let (inbound, outbound) = rules.parse()?;
            let ids = if droplets.is_empty() {
                Vec::new()
            } else {
                droplet_ids(ctx, &droplets)?
            };
            let mut spec = FirewallSpec::new(name).droplets(ids).tags(tag_names);
            (spec.inbound, spec.outbound) = (inbound, outbound);
            ctx.out.one(&client.create_firewall(spec)?)
        }
        FirewallCmd::AddRules { firewall, rules } => {
            let (inbound, outbound) = rules.parse()?;
            Ok(client.add_firewall_rules(firewall_id(ctx, &firewall)?, inbound, outbound)?)
        }
        FirewallCmd::RemoveRules { firewall, rules } => {
            let (inbound, outbound) = rules.parse()?;
            let id = firewall_id(ctx, &firewall)?;
            Ok(client.remove_firewall_rules(id, inbound, outbound)?)
        }
        FirewallCmd::AddDroplets {
            firewall,
            droplet_ids: droplets,
        } => {
            let id = firewall_id(ctx, &firewall)?;
            let ids = droplet_ids(ctx, &droplets)?;
            Ok(client.add_droplets_to_firewall(id, &ids)?)
        }
        FirewallCmd::RemoveDroplets {
            firewall,
            droplet_ids: droplets,
        } => {
            let id = firewall_id(ctx, &firewall)?;
            let ids = droplet_ids(ctx, &droplets)?;
            Ok(client.remove_droplets_from_firewall(id, &ids)?)
        }
        FirewallCmd::AddTags {
            firewall,
            tag_names,
        } => Ok(client.add_tags_to_firewall(firewall_id(ctx, &firewall)?, tag_names)?),
        FirewallCmd::RemoveTags {
            firewall,
            tag_names,
        } => Ok(client.remove_tags_from_firewall(firewall_id(ctx, &firewall)?, tag_names)?),
        FirewallCmd::Delete { firewalls } => {
            for label in unique(firewalls) {
                client.delete_firewall(firewall_id(ctx, &label)?)?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_as_doctl_writes_them() {
        let r = rule("protocol:tcp,ports:22,address:0.0.0.0/0,address:::/0").expect("a rule");
        assert_eq!((r.protocol.as_str(), r.ports.as_str()), ("tcp", "22"));
        assert_eq!(r.addresses, ["0.0.0.0/0", "::/0"]);
        let r = rule("protocol:udp,droplet_id:7,tag:web").expect("a rule");
        assert_eq!(
            (r.ports.as_str(), r.droplet_ids.as_slice()),
            ("all", &[7][..])
        );
        assert_eq!(
            rule("protocol:icmp,address:0.0.0.0/0").expect("icmp").ports,
            "0"
        );
        assert!(rule("ports:22").is_err());
        assert!(rule("protocol:tcp,droplet_id:x").is_err());
        assert!(rule("protocol:tcp,colour:red").is_err());
        assert!(rule("protocol").is_err());
    }
}
