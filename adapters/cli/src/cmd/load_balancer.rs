//! `doapi load-balancer ...`: doctl's `load-balancer` verbs. Forwarding
//! rules and the health check are written as doctl writes them:
//! `entry_protocol:http,entry_port:80,target_protocol:http,target_port:8080`
//! (rules separated by spaces) and `protocol:http,port:8080,path:/health`.

use clap::Subcommand;
use doapi_blocking::specs::LoadBalancerSpec;
use doapi_blocking::Api;

use crate::by_id::{droplet_ids, resolve};
use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::input::key_values;
use crate::keyed::unique;

/// The load balancer commands.
#[derive(Subcommand)]
pub enum LoadBalancerCmd {
    /// Every load balancer.
    List,
    /// The load balancers given.
    Get {
        /// Each load balancer: id or name.
        #[arg(required = true)]
        load_balancers: Vec<String>,
    },
    /// Creates a load balancer.
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        /// Its region.
        #[arg(long)]
        region: String,
        /// Its forwarding rules.
        #[arg(long, required = true)]
        forwarding_rules: String,
        /// Its health check.
        #[arg(long)]
        health_check: Option<String>,
        /// Its droplets: ids or names.
        #[arg(long, value_delimiter = ',', conflicts_with = "tag_name")]
        droplet_ids: Vec<String>,
        /// Or every droplet with this tag.
        #[arg(long)]
        tag_name: Option<String>,
        /// The VPC it goes in.
        #[arg(long)]
        vpc_uuid: Option<String>,
        /// Wait until it is active; print it then.
        #[arg(short, long)]
        wait: bool,
    },
    /// Waits until load balancers are active, printing each.
    Wait {
        /// Each load balancer: id or name.
        #[arg(required = true)]
        load_balancers: Vec<String>,
    },
    /// Puts droplets behind a load balancer.
    AddDroplets {
        /// The load balancer: id or name.
        load_balancer: String,
        /// The droplets: ids or names.
        #[arg(long, value_delimiter = ',', required = true)]
        droplet_ids: Vec<String>,
    },
    /// Takes droplets from behind a load balancer.
    RemoveDroplets {
        /// The load balancer: id or name.
        load_balancer: String,
        /// The droplets: ids or names.
        #[arg(long, value_delimiter = ',', required = true)]
        droplet_ids: Vec<String>,
    },
    /// Deletes load balancers.
    Delete {
        /// Each load balancer: id or name.
        #[arg(required = true)]
        load_balancers: Vec<String>,
    },
}

/// A number of a rule or check: a port.
fn port(key: &str, value: &str) -> Result<u16, Fail> {
    value
        .parse()
        .map_err(|_| Fail::usage(format!("{key} is a port, not {value:?}")))
}

/// The spec with the forwarding rules of `text` added.
fn forwarding_rules(mut spec: LoadBalancerSpec, text: &str) -> Result<LoadBalancerSpec, Fail> {
    for rule in text.split_whitespace() {
        let (mut entry, mut target) = ((None, None), (None, None));
        for (key, value) in key_values(rule)? {
            match key {
                "entry_protocol" => entry.0 = Some(value),
                "entry_port" => entry.1 = Some(port(key, value)?),
                "target_protocol" => target.0 = Some(value),
                "target_port" => target.1 = Some(port(key, value)?),
                other => return Err(Fail::usage(format!("a forwarding rule has no {other:?}"))),
            }
        }
        let ((Some(ep), Some(e)), (Some(tp), Some(t))) = (entry, target) else {
            return Err(Fail::usage(format!(
                "forwarding rule {rule:?} needs entry_protocol, entry_port, target_protocol and target_port"
            )));
        };
        spec = spec.forward(ep, e, tp, t);
    }
    Ok(spec)
}

/// The spec with the health check of `text`.
fn health_check(spec: LoadBalancerSpec, text: &str) -> Result<LoadBalancerSpec, Fail> {
    let (mut protocol, mut at, mut path) = (None, None, None);
    for (key, value) in key_values(text)? {
        match key {
            "protocol" => protocol = Some(value),
            "port" => at = Some(port(key, value)?),
            "path" => path = Some(value),
            other => return Err(Fail::usage(format!("a health check has no {other:?}"))),
        }
    }
    match (protocol, at) {
        (Some(protocol), Some(at)) => Ok(spec.health_check(protocol, at, path)),
        _ => Err(Fail::usage("a health check needs protocol and port")),
    }
}

/// The id of the load balancer a label names.
fn lb_id(ctx: &Ctx, label: &str) -> Result<String, Fail> {
    let listing = ctx.client.fetch_all_load_balancers();
    resolve("load balancer", label, listing, |lb| {
        (lb.name.as_deref(), lb.id.as_deref())
    })
}

/// The ids of the load balancers the labels name, each once.
fn lb_ids(ctx: &Ctx, labels: Vec<String>) -> Result<Vec<String>, Fail> {
    let ids: Result<Vec<String>, Fail> = labels.iter().map(|l| lb_id(ctx, l)).collect();
    Ok(unique(ids?).collect())
}

/// Runs a load balancer command.
pub fn run(ctx: &mut Ctx, cmd: LoadBalancerCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        LoadBalancerCmd::List => ctx.out.stream(client.fetch_all_load_balancers()),
        LoadBalancerCmd::Get { load_balancers } => {
            let ids = lb_ids(ctx, load_balancers)?;
            ctx.out
                .stream(ids.into_iter().map(|id| client.fetch_load_balancer(id)))
        }
        LoadBalancerCmd::Create {
            name,
            region,
            forwarding_rules: rules,
            health_check: check,
            droplet_ids: droplets,
            tag_name,
            vpc_uuid,
            wait,
        } => {
            let mut spec = forwarding_rules(LoadBalancerSpec::new(name, region), &rules)?;
            if let Some(check) = check {
                spec = health_check(spec, &check)?;
            }
            if !droplets.is_empty() {
                spec = spec.droplets(droplet_ids(ctx, &droplets)?);
            }
            (spec.tag, spec.vpc_uuid) = (tag_name, vpc_uuid);
            let lb = client.create_load_balancer(spec)?;
            match (wait, lb.id.clone()) {
                (true, Some(id)) => ctx.out.one(&client.wait_load_balancer(id)?),
                _ => ctx.out.one(&lb),
            }
        }
        LoadBalancerCmd::Wait { load_balancers } => {
            let ids = lb_ids(ctx, load_balancers)?;
            ctx.out
                .stream(ids.into_iter().map(|id| client.wait_load_balancer(id)))
        }
        LoadBalancerCmd::AddDroplets {
            load_balancer,
            droplet_ids: droplets,
        } => {
            let id = lb_id(ctx, &load_balancer)?;
            let ids = droplet_ids(ctx, &droplets)?;
            Ok(client.add_droplets_to_load_balancer(id, &ids)?)
        }
        LoadBalancerCmd::RemoveDroplets {
            load_balancer,
            droplet_ids: droplets,
        } => {
            let id = lb_id(ctx, &load_balancer)?;
            let ids = droplet_ids(ctx, &droplets)?;
            Ok(client.remove_droplets_from_load_balancer(id, &ids)?)
        }
        LoadBalancerCmd::Delete { load_balancers } => {
            for id in lb_ids(ctx, load_balancers)? {
                client.delete_load_balancer(id)?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_and_checks_read_as_doctl_writes_them() {
        let text = "entry_protocol:http,entry_port:80,target_protocol:http,target_port:8080 \
                    entry_protocol:tcp,entry_port:22,target_protocol:tcp,target_port:22";
        let spec = forwarding_rules(LoadBalancerSpec::new("lb", "nyc3"), text).expect("rules");
        assert_eq!(spec.rules.len(), 2);
        assert_eq!(spec.rules[0], ("http".into(), 80, "http".into(), 8080));
        let spec = health_check(spec, "protocol:http,port:8080,path:/health").expect("a check");
        assert_eq!(
            spec.health_check,
            Some(("http".into(), 8080, Some("/health".into())))
        );
        let lb = || LoadBalancerSpec::new("lb", "nyc3");
        assert!(forwarding_rules(lb(), "entry_protocol:http,entry_port:80").is_err());
        assert!(forwarding_rules(lb(), "entry_port:99999").is_err());
        assert!(health_check(lb(), "protocol:http").is_err());
    }
}
