//! Domains and their DNS records.

use http::Method;
use serde::Serialize;
use serde_json::Value;

use super::common::{json, non_empty};
use crate::endpoint::decode;
use crate::endpoint::{Endpoint, PathSegment};
use crate::error::{DecodeError, RequestError};
use crate::models::{Domain, DomainRecord, RecordType};

endpoint! {
    /// Fetch a domain (doapi `fetch_domain`).
    GetDomain { /** Domain name. */ name: String } GET "/v2/domains/{name}" => one Domain, "domain";
    /// Every domain (doapi `fetch_all_domains`).
    ListDomains {} GET "/v2/domains" => page Domain, "domains";
    /// Delete a domain (doapi `Domain.delete`).
    DeleteDomain { /** Domain name. */ name: String } DELETE "/v2/domains/{name}" => empty;
    /// Fetch one record (doapi `Domain.fetch_record`).
    GetDomainRecord { /** Domain name. */ domain: String, /** Record id. */ id: u64 }
        GET "/v2/domains/{domain}/records/{id}" => one DomainRecord, "domain_record";
    /// Every record of a domain (doapi `Domain.fetch_all_records`).
    ListDomainRecords { /** Domain name. */ domain: String }
        GET "/v2/domains/{domain}/records" => page DomainRecord, "domain_records";
    /// Delete a record (doapi `DomainRecord.delete`).
    DeleteDomainRecord { /** Domain name. */ domain: String, /** Record id. */ id: u64 }
        DELETE "/v2/domains/{domain}/records/{id}" => empty;
}

/// Add a domain (doapi `create_domain`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateDomain {
    /// The domain name, such as `example.com`.
    pub name: String,
    /// Address for an apex A record, if one should be created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
}

impl Endpoint for CreateDomain {
    type Output = Domain;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        "/v2/domains".into()
    }
    fn body(&self) -> Option<Value> {
        json(self)
    }
    fn validate(&self) -> Result<(), RequestError> {
        non_empty("domain name", &self.name)
    }
    fn decode(&self, body: &[u8]) -> Result<Domain, DecodeError> {
        decode::one(body, "domain")
    }
}

/// The fields of a DNS record to create or change. For an update, absent
/// fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordFields {
    /// Record type (required to create).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<RecordType>,
    /// Host name relative to the domain, `@` for the apex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Priority (MX, SRV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<u64>,
    /// Port (SRV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u64>,
    /// Weight (SRV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u64>,
    /// TTL in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
    /// Flags (CAA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<u64>,
    /// Tag (CAA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

impl RecordFields {
    /// A record of a type, name and value; the rest unset.
    pub fn new(kind: RecordType, name: impl Into<String>, data: impl Into<String>) -> Self {
        RecordFields {
            kind: Some(kind),
            name: Some(name.into()),
            data: Some(data.into()),
            ..Default::default()
        }
    }
}

/// Add a record to a domain (doapi `Domain.create_record`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateDomainRecord {
    /// Domain name.
    pub domain: String,
    /// The record.
    pub record: RecordFields,
}

impl Endpoint for CreateDomainRecord {
    type Output = DomainRecord;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        format!("/v2/domains/{}/records", self.domain.segment())
    }
    fn body(&self) -> Option<Value> {
        json(&self.record)
    }
    fn validate(&self) -> Result<(), RequestError> {
        non_empty("domain name", &self.domain)?;
        if self.record.kind.is_none() {
            return Err(RequestError::Empty {
                what: "record type",
            });
        }
        non_empty("record name", self.record.name.as_deref().unwrap_or(""))?;
        non_empty("record data", self.record.data.as_deref().unwrap_or(""))
    }
    fn decode(&self, body: &[u8]) -> Result<DomainRecord, DecodeError> {
        decode::one(body, "domain_record")
    }
}

/// Change a record (doapi `DomainRecord.update_record`). DigitalOcean
/// requires the record's `type` in every update; the other fields are
/// changed only when set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateDomainRecord {
    /// Domain name.
    pub domain: String,
    /// Record id.
    pub id: u64,
    /// The fields to change.
    pub fields: RecordFields,
}

impl Endpoint for UpdateDomainRecord {
    type Output = DomainRecord;
    fn method(&self) -> Method {
        Method::PUT
    }
    fn path(&self) -> String {
        format!("/v2/domains/{}/records/{}", self.domain.segment(), self.id)
    }
    fn body(&self) -> Option<Value> {
        json(&self.fields)
    }
    fn validate(&self) -> Result<(), RequestError> {
        non_empty("domain name", &self.domain)?;
        if self.fields.kind.is_none() {
            return Err(RequestError::Empty {
                what: "record type (DigitalOcean requires it in an update)",
            });
        }
        Ok(())
    }
    fn decode(&self, body: &[u8]) -> Result<DomainRecord, DecodeError> {
        decode::one(body, "domain_record")
    }
}
