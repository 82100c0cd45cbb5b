//! `doapi domain ...`.

use std::net::IpAddr;

use clap::{Args, Subcommand};
use doapi_blocking::endpoints::RecordFields;
use doapi_blocking::models::RecordType;
use doapi_blocking::Api;

use crate::ctx::Ctx;
use crate::fail::Fail;
use crate::keyed::{each_or_all, unique};

/// The fields of a record on the command line.
#[derive(Args)]
pub struct RecordOpts {
    /// Priority (MX, SRV).
    #[arg(long)]
    priority: Option<u64>,
    /// Port (SRV).
    #[arg(long)]
    port: Option<u64>,
    /// Weight (SRV).
    #[arg(long)]
    weight: Option<u64>,
    /// Time to live, in seconds.
    #[arg(long)]
    ttl: Option<u64>,
}

impl RecordOpts {
    fn apply(self, r: &mut RecordFields) {
        r.priority = self.priority;
        r.port = self.port;
        r.weight = self.weight;
        r.ttl = self.ttl;
    }
}

/// The domain commands.
#[derive(Subcommand)]
pub enum DomainCmd {
    /// The domains given, or every domain.
    Show {
        /// Each domain's name; none for every domain.
        domains: Vec<String>,
    },
    /// Adds a domain, with an apex A record if an address is given.
    New {
        /// The domain's name.
        domain: String,
        /// The address its apex points to.
        ip: Option<IpAddr>,
    },
    /// Deletes domains.
    Delete {
        /// Each domain's name.
        #[arg(required = true)]
        domains: Vec<String>,
    },
    /// The records given, or every record of a domain.
    #[command(alias = "show-record")]
    Records {
        /// The domain's name.
        domain: String,
        /// Each record's id; none for every record.
        #[arg(value_name = "ID")]
        ids: Vec<u64>,
    },
    /// Adds a record.
    NewRecord {
        /// The domain's name.
        domain: String,
        /// The record's type, such as A, CNAME, MX.
        #[arg(value_name = "TYPE")]
        kind: String,
        /// Its name, `@` for the apex.
        name: String,
        /// Its value.
        data: String,
        #[command(flatten)]
        opts: RecordOpts,
        /// Delete the domain's other records of this type and name.
        #[arg(long)]
        delete: bool,
    },
    /// Changes a record.
    UpdateRecord {
        /// The domain's name.
        domain: String,
        /// The record's id.
        id: u64,
        /// A new type (default: the record's own).
        #[arg(long = "type", value_name = "TYPE")]
        kind: Option<String>,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new value.
        #[arg(long)]
        data: Option<String>,
        #[command(flatten)]
        opts: RecordOpts,
    },
    /// Deletes records.
    DeleteRecord {
        /// The domain's name.
        domain: String,
        /// Each record's id.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<u64>,
    },
}

/// Runs a domain command.
pub fn run(ctx: &mut Ctx, cmd: DomainCmd) -> Result<(), Fail> {
    let client = ctx.client.clone();
    match cmd {
        DomainCmd::Show { domains } => each_or_all(ctx, domains, client.fetch_all_domains(), |d| {
            client.fetch_domain(d)
        }),
        DomainCmd::New { domain, ip } => {
            let created = client.create_domain(domain, ip.map(|ip| ip.to_string()))?;
            ctx.out.one(&created)
        }
        DomainCmd::Delete { domains } => {
            for d in unique(domains) {
                client.delete_domain(d)?;
            }
            Ok(())
        }
        DomainCmd::Records { domain, ids } => {
            let all = client.fetch_all_domain_records(&domain);
            each_or_all(ctx, ids, all, |id| client.fetch_domain_record(&domain, id))
        }
        DomainCmd::NewRecord {
            domain,
            kind,
            name,
            data,
            opts,
            delete,
        } => {
            let kind = RecordType::from(kind.to_uppercase().as_str());
            let mut fields = RecordFields::new(kind.clone(), &name, data);
            opts.apply(&mut fields);
            let record = client.create_domain_record(&domain, fields)?;
            if delete {
                let others: Vec<u64> = client
                    .fetch_all_domain_records(&domain)
                    .filter_map(|r| match r {
                        Ok(r) if r.kind == kind && r.name == name && r.id != record.id => {
                            Some(Ok(r.id))
                        }
                        Ok(_) => None,
                        Err(e) => Some(Err(e)),
                    })
                    .collect::<Result<_, _>>()?;
                for id in others {
                    client.delete_domain_record(&domain, id)?;
                }
            }
            ctx.out.one(&record)
        }
        DomainCmd::UpdateRecord {
            domain,
            id,
            kind,
            name,
            data,
            opts,
        } => {
            let mut fields = RecordFields {
                kind: kind.map(|k| RecordType::from(k.to_uppercase().as_str())),
                name,
                data,
                ..RecordFields::default()
            };
            opts.apply(&mut fields);
            if fields == RecordFields::default() {
                return Err(Fail::usage("update-record: no field to change given"));
            }
            if fields.kind.is_none() {
                // DigitalOcean wants the type in every update: keep the record's.
                fields.kind = Some(client.fetch_domain_record(&domain, id)?.kind);
            }
            let record = client.update_domain_record(domain, id, fields)?;
            ctx.out.one(&record)
        }
        DomainCmd::DeleteRecord { domain, ids } => {
            for id in unique(ids) {
                client.delete_domain_record(&domain, id)?;
            }
            Ok(())
        }
    }
}
