//! Decodes every example body of the official OpenAPI spec (read at run time
//! from `../shared/openapi/examples`) into its typed model, checks that
//! encoding gives back the same JSON, that every error example becomes an
//! `ApiError`, and that every truncated prefix of every body is an error.

use std::path::PathBuf;

use doapi_core::endpoint::decode;
use doapi_core::http::{Response, StatusCode};
use doapi_core::models::*;
use doapi_core::{ApiError, ResponseInfo};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// The examples folder, or `None` (with a message) when `../shared` is
/// absent. With `DOAPI_REQUIRE_SHARED=1` (as CI sets) absence is a failure.
fn examples_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("DOAPI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    let dir = shared.join("openapi/examples");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("DOAPI_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("{} is absent and DOAPI_REQUIRE_SHARED=1", dir.display());
    }
    eprintln!(
        "SKIPPED: {} is absent; the spec example tests did not run",
        dir.display()
    );
    None
}

/// Every example file: (name, body).
fn examples() -> Vec<(String, Vec<u8>)> {
    let Some(dir) = examples_dir() else {
        return Vec::new();
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() > 30,
        "expected the spec examples in {}",
        dir.display()
    );
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// How one example decodes.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// An object under a key.
    One(&'static str, Model),
    /// A page of items under a key.
    Page(&'static str, Model),
    /// An error body with this status.
    Error(u16),
}

#[derive(Clone, Copy, Debug)]
enum Model {
    Account,
    Action,
    Domain,
    DomainRecord,
    Droplet,
    Droplets,
    FloatingIp,
    Image,
    Kernel,
    Region,
    Size,
    SshKey,
    Tag,
    Volume,
}

fn kind_of(name: &str) -> Kind {
    use Kind::*;
    let stem = name.split('.').next().unwrap();
    match stem {
        "account_get" => One("account", Model::Account),
        "actions_get" | "dropletActions_get" | "dropletActions_post" => {
            One("action", Model::Action)
        }
        "actions_list" | "dropletActions_list" => Page("actions", Model::Action),
        "domains_create_record" => One("domain_record", Model::DomainRecord),
        "domains_get" => One("domain", Model::Domain),
        "domains_list" => Page("domains", Model::Domain),
        "droplets_create" if name.contains(".multiple.") => One("droplets", Model::Droplets),
        "droplets_create" | "droplets_get" => One("droplet", Model::Droplet),
        "droplets_list" | "droplets_list_neighbors" => Page("droplets", Model::Droplet),
        "droplets_list_backups" => Page("backups", Model::Image),
        "droplets_list_kernels" => Page("kernels", Model::Kernel),
        "droplets_list_snapshots" => Page("snapshots", Model::Image),
        "floatingIPs_list" => Page("floating_ips", Model::FloatingIp),
        "reservedIPs_list" => Page("reserved_ips", Model::FloatingIp),
        "images_get" => One("image", Model::Image),
        "images_list" => Page("images", Model::Image),
        "regions_list" => Page("regions", Model::Region),
        "sizes_list" => Page("sizes", Model::Size),
        "sshKeys_list" => Page("ssh_keys", Model::SshKey),
        "sshKeys_create" => One("ssh_key", Model::SshKey),
        "tags_get" => One("tag", Model::Tag),
        "tags_list" => Page("tags", Model::Tag),
        "volumes_list" => Page("volumes", Model::Volume),
        "error" => {
            let status = name.split('.').nth(1).unwrap();
            Error(status.parse().unwrap_or(500))
        }
        other => panic!("no model is mapped for the example {other:?} ({name}): map it"),
    }
}

/// Decodes `body` as `kind`, and checks that what decoded re-encodes to the
/// JSON it came from. Returns what the value is, for the log.
fn check(kind: Kind, body: &[u8]) -> Result<String, String> {
    match kind {
        Kind::One(key, model) => dispatch(model, |m| m.one(key, body)),
        Kind::Page(key, model) => dispatch(model, |m| m.page(key, body)),
        Kind::Error(status) => {
            let resp = Response::builder()
                .status(status)
                .header("x-request-id", "hdr-id")
                .body(body.to_vec())
                .unwrap();
            let info = ResponseInfo::new(resp.status(), resp.headers());
            let err = ApiError::from_response(&info, resp.body());
            let want: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
            if err.id.as_deref() != want["id"].as_str()
                || Some(err.message.as_str()) != want["message"].as_str()
            {
                return Err(format!("error body decoded wrong: {err:?}"));
            }
            let want_request_id = want["request_id"].as_str().unwrap_or("hdr-id");
            if err.request_id.as_deref() != Some(want_request_id)
                || err.status != StatusCode::from_u16(status).unwrap()
            {
                return Err(format!("request id or status wrong: {err:?}"));
            }
            Ok(format!("ApiError {}", err))
        }
    }
}

/// Calls `f` with a decoder for the model's Rust type.
fn dispatch(
    model: Model,
    f: impl FnOnce(&dyn Decoder) -> Result<String, String>,
) -> Result<String, String> {
    match model {
        Model::Account => f(&As::<Account>::default()),
        Model::Action => f(&As::<Action>::default()),
        Model::Domain => f(&As::<Domain>::default()),
        Model::DomainRecord => f(&As::<DomainRecord>::default()),
        Model::Droplet => f(&As::<Droplet>::default()),
        Model::Droplets => f(&As::<Vec<Droplet>>::default()),
        Model::FloatingIp => f(&As::<FloatingIp>::default()),
        Model::Image => f(&As::<Image>::default()),
        Model::Kernel => f(&As::<Kernel>::default()),
        Model::Region => f(&As::<Region>::default()),
        Model::Size => f(&As::<Size>::default()),
        Model::SshKey => f(&As::<SshKey>::default()),
        Model::Tag => f(&As::<Tag>::default()),
        Model::Volume => f(&As::<Volume>::default()),
    }
}

trait Decoder {
    fn one(&self, key: &'static str, body: &[u8]) -> Result<String, String>;
    fn page(&self, key: &'static str, body: &[u8]) -> Result<String, String>;
}

struct As<T>(std::marker::PhantomData<T>);

impl<T> Default for As<T> {
    fn default() -> Self {
        As(std::marker::PhantomData)
    }
}

impl<T: DeserializeOwned + Serialize> Decoder for As<T> {
    fn one(&self, key: &'static str, body: &[u8]) -> Result<String, String> {
        let original: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let value: T = decode::one(body, key).map_err(|e| e.to_string())?;
        same(&original[key], &serde_json::to_value(&value).unwrap(), key)?;
        Ok(format!("{} under {key:?}", std::any::type_name::<T>()))
    }

    fn page(&self, key: &'static str, body: &[u8]) -> Result<String, String> {
        let original: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let page = decode::page::<T>(body, key).map_err(|e| e.to_string())?;
        let mut back = serde_json::Map::new();
        back.insert(key.into(), serde_json::to_value(&page.items).unwrap());
        if let Some(l) = &page.links {
            back.insert("links".into(), serde_json::to_value(l).unwrap());
        }
        if let Some(m) = &page.meta {
            back.insert("meta".into(), serde_json::to_value(m).unwrap());
        }
        for (k, v) in page.extra.iter() {
            back.insert(k.into(), serde_json::from_str(v.get()).unwrap());
        }
        same(&original, &Value::Object(back), key)?;
        Ok(format!(
            "{} page of {} (total {:?}, next {:?})",
            std::any::type_name::<T>(),
            page.items.len(),
            page.total(),
            page.next()
        ))
    }
}

fn same(original: &Value, back: &Value, at: &str) -> Result<(), String> {
    if original == back {
        Ok(())
    } else {
        Err(format!(
            "round trip under {at:?} changed the JSON:\n original: {original}\n encoded:  {back}"
        ))
    }
}

/// The `tags_get` example of the spec nests the tag one level too deep
/// (`{"tag": {"tag": {...}}}`); the service answers `{"tag": {...}}`.
fn unquirk(name: &str, body: Vec<u8>) -> Vec<u8> {
    if !name.starts_with("tags_get.") {
        return body;
    }
    let v: Value = serde_json::from_slice(&body).unwrap();
    match v["tag"].get("tag") {
        Some(inner) => serde_json::to_vec(&serde_json::json!({ "tag": inner })).unwrap(),
        None => body,
    }
}

#[test]
fn every_example_decodes_losslessly() {
    let mut failures = Vec::new();
    let all = examples();
    for (name, body) in &all {
        let body = unquirk(name, body.clone());
        match check(kind_of(name), &body) {
            Ok(what) => println!("checked {name}: {what}"),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn every_truncated_prefix_is_an_error() {
    for (name, body) in examples() {
        let body = unquirk(&name, body);
        let end = body
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        let kind = kind_of(&name);
        if let Kind::Error(_) = kind {
            // An error body that does not parse still gives an ApiError (with
            // the body as its message): checked in `truncated_error_bodies`.
            continue;
        }
        for cut in 0..end {
            assert!(
                check(kind, &body[..cut]).is_err(),
                "{name}: the prefix of {cut} bytes decoded"
            );
        }
        println!("checked {end} truncated prefixes of {name}");
    }
}

#[test]
fn truncated_error_bodies_keep_status_and_text() {
    for (name, body) in examples() {
        let Kind::Error(status) = kind_of(&name) else {
            continue;
        };
        let end = body
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        for cut in 0..end {
            let resp = Response::builder()
                .status(status)
                .body(body[..cut].to_vec())
                .unwrap();
            let info = ResponseInfo::new(resp.status(), resp.headers());
            let err = ApiError::from_response(&info, resp.body());
            assert_eq!(err.status.as_u16(), status);
            assert!(err.id.is_none(), "{name}: a truncated body gave an id");
            assert_eq!(err.message.as_bytes(), &body[..cut]);
        }
        println!("checked truncated prefixes of {name}");
    }
}
