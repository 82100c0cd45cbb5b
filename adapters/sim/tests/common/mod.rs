//! Shared by the tests: a driver that sends every operation the client
//! (`doapi-core`) knows, through any wire: in-process with a virtual clock,
//! or over HTTP (through Prism).
#![allow(dead_code)]

pub mod stack;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use doapi_core::endpoints::*;
use doapi_core::models::{Action, Droplet, RecordType};
use doapi_core::{Config, Token};
use doapi_sim::{Sim, SimConfig};
use http::{Request, Response};

/// Carries requests to a simulator and lets time pass.
pub trait Wire {
    fn send(&mut self, req: Request<Vec<u8>>) -> Response<Vec<u8>>;
    fn pause(&mut self, d: Duration);
}

/// The model itself, on a virtual clock.
pub struct InProcess {
    pub sim: Sim,
    pub now: Instant,
}

impl InProcess {
    pub fn new(config: SimConfig) -> Self {
        let now = Instant::now();
        InProcess {
            sim: Sim::new(config, now),
            now,
        }
    }
}

impl Wire for InProcess {
    fn send(&mut self, req: Request<Vec<u8>>) -> Response<Vec<u8>> {
        self.sim.handle(&req, self.now).response
    }
    fn pause(&mut self, d: Duration) {
        self.now += d;
    }
}

/// HTTP/1.1 over a fresh loopback connection per request, on the real
/// clock.
pub struct Http;

impl Wire for Http {
    fn send(&mut self, req: Request<Vec<u8>>) -> Response<Vec<u8>> {
        http_send(&req)
    }
    fn pause(&mut self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// Sends one request (absolute URI) with `Connection: close` and reads the
/// whole response.
pub fn http_send(req: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let uri = req.uri();
    let authority = uri.authority().expect("absolute URI").as_str().to_owned();
    let mut stream = TcpStream::connect(&authority).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut head = format!(
        "{} {target} HTTP/1.1\r\nhost: {authority}\r\n",
        req.method()
    );
    for (k, v) in req.headers() {
        head.push_str(&format!("{k}: {}\r\n", v.to_str().unwrap()));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        req.body().len()
    ));
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(req.body()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse_response(&raw)
}

/// Parses a whole HTTP/1.1 response (Content-Length, chunked, or to EOF).
pub fn parse_response(raw: &[u8]) -> Response<Vec<u8>> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut rest = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut builder = Response::builder().status(status);
    let mut chunked = false;
    for line in lines {
        let (k, v) = line.split_once(':').unwrap();
        if k.eq_ignore_ascii_case("transfer-encoding") && v.trim() == "chunked" {
            chunked = true;
        }
        builder = builder.header(k.trim(), v.trim());
    }
    if chunked {
        let mut body = Vec::new();
        let mut at = 0;
        loop {
            let eol = at + rest[at..].windows(2).position(|w| w == b"\r\n").unwrap();
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[at..eol]).unwrap().trim(), 16)
                    .unwrap();
            if size == 0 {
                break;
            }
            body.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
            at = eol + 2 + size + 2;
        }
        rest = body;
    }
    builder.body(rest).unwrap()
}

/// Sends core operations over a wire and records which were sent.
pub struct Driver<W> {
    pub wire: W,
    pub config: Config,
    /// The operations sent, by name.
    pub ops: BTreeSet<&'static str>,
    /// Every response: route-ish description and status.
    pub log: Vec<(String, u16)>,
    /// How long to pause between polls.
    pub poll: Duration,
    /// Responses that Prism flagged (an `sl-violations` header, or its
    /// own `application/problem+json` error).
    pub violations: Vec<String>,
    /// The endpoint, for requests built by hand.
    pub base: String,
}

impl<W: Wire> Driver<W> {
    pub fn new(wire: W, endpoint: &str, poll: Duration) -> Self {
        Driver {
            wire,
            config: Config::new(Token::new("test-token").unwrap())
                .with_endpoint(endpoint)
                .unwrap(),
            ops: BTreeSet::new(),
            log: Vec::new(),
            poll,
            violations: Vec::new(),
            base: endpoint.trim_end_matches('/').to_owned(),
        }
    }

    /// Sends a request built by hand (a path under the endpoint, a JSON
    /// body, extra headers): status and JSON body (`null` when empty).
    pub fn raw(
        &mut self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("authorization", "Bearer test-token");
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let body = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        let resp = self.exchange(req.body(body).unwrap());
        let value = if resp.body().is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(resp.body()).unwrap_or_else(|e| {
                panic!(
                    "{method} {path}: {e}: {}",
                    String::from_utf8_lossy(resp.body())
                )
            })
        };
        (resp.status().as_u16(), value)
    }

    fn exchange(&mut self, req: Request<Vec<u8>>) -> Response<Vec<u8>> {
        let what = format!("{} {}", req.method(), req.uri());
        let resp = self.wire.send(req);
        let flagged = resp.headers().get("sl-violations").is_some()
            || resp
                .headers()
                .get("content-type")
                .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
        if flagged {
            self.violations.push(format!(
                "{what}: {} {:?} {}",
                resp.status(),
                resp.headers().get("sl-violations"),
                String::from_utf8_lossy(resp.body())
            ));
        }
        self.log.push((what, resp.status().as_u16()));
        resp
    }

    /// Sends an operation; panics unless it succeeds and decodes.
    pub fn call<E: Endpoint>(&mut self, name: &'static str, op: &E) -> E::Output {
        self.ops.insert(name);
        let req = self.config.request(op).unwrap();
        let what = format!("{name} {}", req.uri());
        let resp = self.exchange(req);
        match op.parse(&resp) {
            Ok(reply) => reply.value,
            Err(e) => panic!(
                "{what}: {e}\nstatus {}\n{}",
                resp.status(),
                String::from_utf8_lossy(resp.body())
            ),
        }
    }

    /// Sends an operation that must fail with `status`.
    pub fn fails<E: Endpoint>(&mut self, name: &'static str, op: &E, status: u16) {
        self.ops.insert(name);
        let req = self.config.request(op).unwrap();
        let resp = self.exchange(req);
        assert_eq!(
            resp.status(),
            status,
            "{name}: {}",
            String::from_utf8_lossy(resp.body())
        );
        assert!(op.parse(&resp).is_err());
    }

    /// Lists every page, following `links.pages.next`.
    pub fn list<E: List>(&mut self, name: &'static str, op: &E) -> Vec<E::Item> {
        self.ops.insert(name);
        let mut req = self.config.list_request(op).unwrap();
        let mut items = Vec::new();
        let mut seen = BTreeSet::new();
        loop {
            let what = format!("{name} {}", req.uri());
            let resp = self.exchange(req);
            let page = op.parse(&resp).unwrap_or_else(|e| {
                panic!("{what}: {e}\n{}", String::from_utf8_lossy(resp.body()))
            });
            let page = page.value;
            let total = page.total();
            let next = page.next().map(str::to_owned);
            items.extend(page.items);
            match next {
                Some(next) => {
                    req = self.config.get_url(&next).unwrap();
                    assert!(seen.insert(next.clone()), "repeated next {next}");
                }
                None => {
                    if let Some(t) = total {
                        assert_eq!(t as usize, items.len(), "{name}: meta.total");
                    }
                    return items;
                }
            }
        }
    }

    /// Polls an action until it is no longer in progress.
    pub fn wait_action(&mut self, id: u64) -> Action {
        for _ in 0..400 {
            let a = self.call("GetAction", &GetAction { id });
            if a.is_done() {
                return a;
            }
            self.wire.pause(self.poll);
        }
        panic!("action {id} never finished");
    }

    /// Polls a droplet until it is active and unlocked.
    pub fn wait_droplet(&mut self, id: u64) -> Droplet {
        for _ in 0..400 {
            let d = self.call("GetDroplet", &GetDroplet { id });
            if d.is_active() && !d.locked {
                return d;
            }
            self.wire.pause(self.poll);
        }
        panic!("droplet {id} never became active");
    }

    /// An action on a droplet, waited for; it must complete.
    pub fn act(&mut self, id: u64, action: DropletAction) -> Action {
        let a = self.call("ActOnDroplet", &ActOnDroplet { id, action });
        assert!(a.is_in_progress());
        let a = self.wait_action(a.id);
        assert!(a.is_completed(), "{a:?}");
        a
    }
}

/// The settings the drivers expect: fast boots and actions, frequent
/// backups, no rate limit.
pub fn fast_config() -> SimConfig {
    SimConfig {
        boot_delay: Duration::from_millis(100),
        action_delay: Duration::from_millis(60),
        backup_interval: Duration::from_millis(300),
        rate_per_minute: 0,
        rate_per_hour: 0,
        ..SimConfig::default()
    }
}

/// Sends every operation `doapi-core` has, checking the answers. With
/// `spec_only`, skips what no request can send in conformance with the
/// official spec: the `enable_private_networking` action (not in the
/// spec's list) and actions by tag (the spec's body schema is a `oneOf`
/// that every body matches twice). Returns the number of operations sent.
#[allow(deprecated)] // `enable_private_networking` is still answered
pub fn drive_every_operation<W: Wire>(d: &mut Driver<W>, spec_only: bool) -> usize {
    // The account and the catalog.
    let account = d.call("GetAccount", &GetAccount {});
    assert!(account.droplet_limit > 0);
    let regions = d.list("ListRegions", &ListRegions {});
    assert!(regions.iter().any(|r| r.slug == "nyc3" && r.available));
    let sizes = d.list("ListSizes", &ListSizes {});
    assert!(sizes.iter().any(|s| s.slug == "s-1vcpu-1gb"));
    // A small page size makes the sizes span pages: links are followed.
    let config = d.config.clone();
    d.config = config.clone().with_per_page(5);
    assert_eq!(d.list("ListSizes", &ListSizes {}).len(), sizes.len());
    d.config = config;

    // SSH keys, by id and by fingerprint.
    let key = d.call(
        "CreateSshKey",
        &CreateSshKey {
            name: "laptop".into(),
            public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHdvYXBpLXNpbS10ZXN0LWtleQ test@doapi"
                .into(),
        },
    );
    let by_id = d.call(
        "GetSshKey",
        &GetSshKey {
            key: SshKeyRef::Id(key.id),
        },
    );
    let by_fp = d.call(
        "GetSshKey",
        &GetSshKey {
            key: SshKeyRef::Fingerprint(key.fingerprint.clone()),
        },
    );
    assert_eq!(by_id, by_fp);
    let renamed = d.call(
        "UpdateSshKey",
        &UpdateSshKey {
            key: SshKeyRef::Fingerprint(key.fingerprint.clone()),
            name: "desktop".into(),
        },
    );
    assert_eq!(renamed.name, "desktop");
    assert_eq!(d.list("ListSshKeys", &ListSshKeys {}).len(), 1);

    // Tags and droplets.
    for name in ["web", "env:prod"] {
        let tag = d.call("CreateTag", &CreateTag { name: name.into() });
        assert_eq!(tag.name, name);
    }
    let mut spec = DropletSpec::new("s-1vcpu-1gb", "ubuntu-22-04-x64").region("nyc3");
    spec.ssh_keys = vec![SshKeyRef::Id(key.id)];
    spec.backups = Some(true);
    spec.ipv6 = Some(true);
    spec.monitoring = Some(true);
    spec.tags = vec!["web".into()];
    let web1 = d.call(
        "CreateDroplet",
        &CreateDroplet {
            name: "web-1".into(),
            spec: spec.clone(),
        },
    );
    assert!(web1.is_new());
    let more = d.call(
        "CreateDroplets",
        &CreateDroplets {
            names: vec!["web-2".into(), "web-3".into()],
            spec,
        },
    );
    assert_eq!(more.len(), 2);
    let web1 = d.wait_droplet(web1.id);
    assert!(web1.ipv4_address().is_some() && web1.ipv6_address().is_some());
    for m in &more {
        d.wait_droplet(m.id);
    }
    let (id, web2, web3) = (web1.id, more[0].id, more[1].id);
    assert_eq!(d.list("ListDroplets", &ListDroplets::default()).len(), 3);
    let tagged = d.list(
        "ListDroplets",
        &ListDroplets {
            tag_name: Some("web".into()),
        },
    );
    assert_eq!(tagged.len(), 3);
    let kernels = d.list("ListDropletKernels", &ListDropletKernels { id });
    assert!(kernels.len() > 20);
    d.list("ListDropletNeighbors", &ListDropletNeighbors { id });
    d.call("DropletNeighborsReport", &DropletNeighborsReport {});

    // Every droplet action, each waited for.
    use DropletAction as A;
    for action in [
        A::Reboot,
        A::PowerCycle,
        A::Shutdown,
        A::PowerOff,
        A::PowerOn,
        A::PasswordReset,
        A::Rename {
            name: "web-1b".into(),
        },
        A::ChangeKernel {
            kernel: kernels[1].id,
        },
        A::EnableIpv6,
        A::DisableBackups,
        A::EnableBackups,
        A::Custom(
            serde_json::json!({ "type": "reboot" })
                .as_object()
                .cloned()
                .unwrap(),
        ),
    ] {
        d.act(id, action);
    }
    if !spec_only {
        d.act(id, A::EnablePrivateNetworking);
    }
    d.act(id, A::PowerOff);
    d.act(
        id,
        A::Resize {
            size: "s-1vcpu-2gb".into(),
            disk: Some(true),
        },
    );
    d.act(
        id,
        A::Snapshot {
            name: Some("snap-1".into()),
        },
    );
    d.act(
        id,
        A::Rebuild {
            image: ImageRef::Slug("ubuntu-24-04-x64".into()),
        },
    );
    let droplet = d.call("GetDroplet", &GetDroplet { id });
    assert_eq!(droplet.name, "web-1b");
    assert_eq!(droplet.size_slug, "s-1vcpu-2gb");
    assert_eq!(droplet.image_slug(), Some("ubuntu-24-04-x64"));
    assert_eq!(droplet.kernel.as_ref().map(|k| k.id), Some(kernels[1].id));
    let snapshot = droplet.snapshot_ids[0];
    d.act(
        id,
        A::Restore {
            image: ImageRef::Id(snapshot),
        },
    );

    // Action listings: newest first.
    let actions = d.list("ListDropletActions", &ListDropletActions { id });
    assert!(actions.windows(2).all(|w| w[0].id > w[1].id));
    let last = d
        .call(
            "LastAction",
            &LastAction {
                target: ActionTarget::Droplet(id),
            },
        )
        .unwrap();
    assert_eq!(last.id, actions[0].id);
    assert!(d
        .call(
            "CurrentAction",
            &CurrentAction {
                target: ActionTarget::Droplet(id),
            },
        )
        .is_none());
    let one = d.call(
        "GetDropletAction",
        &GetDropletAction {
            id,
            action_id: last.id,
        },
    );
    assert_eq!(one.id, last.id);
    assert!(d.list("ListActions", &ListActions {}).len() >= actions.len());

    // Snapshots and (after an interval) backups.
    let snaps = d.list("ListDropletSnapshots", &ListDropletSnapshots { id });
    assert_eq!(snaps[0].id, snapshot);
    d.wire.pause(Duration::from_millis(700));
    let backups = d.list("ListDropletBackups", &ListDropletBackups { id });
    assert!(!backups.is_empty(), "no backup after the backup interval");

    // By tag. The spec's body for this is `oneOf` two schemas that every
    // valid body matches, so no request can conform: not sent to Prism.
    if !spec_only {
        let by_tag = d.call(
            "ActOnTaggedDroplets",
            &ActOnTaggedDroplets {
                tag_name: "web".into(),
                action: A::PowerCycle,
            },
        );
        assert_eq!(by_tag.len(), 3);
        for a in by_tag {
            d.wait_action(a.id);
        }
    }

    // Images.
    let all = d.list("ListImages", &ListImages::default());
    let dist = d.list(
        "ListImages",
        &ListImages {
            filter: ImageFilter::Distribution,
        },
    );
    let apps = d.list(
        "ListImages",
        &ListImages {
            filter: ImageFilter::Application,
        },
    );
    let private = d.list(
        "ListImages",
        &ListImages {
            filter: ImageFilter::Private,
        },
    );
    assert!(!dist.is_empty() && !apps.is_empty());
    assert!(private.iter().any(|i| i.id == snapshot));
    assert_eq!(all.len(), dist.len() + apps.len() + private.len());
    d.call("GetImage", &GetImage { id: snapshot });
    let ubuntu = d.call(
        "GetImageBySlug",
        &GetImageBySlug {
            slug: "ubuntu-22-04-x64".into(),
        },
    );
    assert_eq!(ubuntu.slug.as_deref(), Some("ubuntu-22-04-x64"));
    let updated = d.call(
        "UpdateImage",
        &UpdateImage {
            id: snapshot,
            name: Some("snap-renamed".into()),
            description: Some("before the upgrade".into()),
        },
    );
    assert_eq!(updated.name.as_deref(), Some("snap-renamed"));
    let transfer = d.call(
        "ActOnImage",
        &ActOnImage {
            id: snapshot,
            action: ImageAction::Transfer {
                region: "sfo3".into(),
            },
        },
    );
    d.wait_action(transfer.id);
    let moved = d.call("GetImage", &GetImage { id: snapshot });
    assert!(moved.regions.unwrap().iter().any(|r| r == "sfo3"));
    let image_actions = d.list("ListImageActions", &ListImageActions { id: snapshot });
    assert_eq!(image_actions[0].id, transfer.id);
    let backup = backups[backups.len() - 1].id;
    let convert = d.call(
        "ActOnImage",
        &ActOnImage {
            id: backup,
            action: ImageAction::Convert,
        },
    );
    d.wait_action(convert.id);
    assert!(d
        .call(
            "LastAction",
            &LastAction {
                target: ActionTarget::Image(backup),
            },
        )
        .is_some());

    // Tagging.
    d.call(
        "TagResources",
        &TagResources {
            tag: "env:prod".into(),
            resources: vec![TaggableRef::Droplet(id), TaggableRef::Image(snapshot)],
        },
    );
    let tag = d.call(
        "GetTag",
        &GetTag {
            name: "env:prod".into(),
        },
    );
    let counts = tag.resources.unwrap();
    assert_eq!(counts.count, Some(2));
    assert_eq!(d.list("ListTags", &ListTags {}).len(), 2);
    d.call(
        "UntagResources",
        &UntagResources {
            tag: "env:prod".into(),
            resources: vec![TaggableRef::Image(snapshot)],
        },
    );
    d.call("DeleteImage", &DeleteImage { id: backup });
    d.fails("GetImage", &GetImage { id: backup }, 404);

    // Domains and records.
    let domain = d.call(
        "CreateDomain",
        &CreateDomain {
            name: "example.com".into(),
            ip_address: Some("192.0.2.1".into()),
        },
    );
    assert_eq!(domain.name, "example.com");
    d.call(
        "GetDomain",
        &GetDomain {
            name: "example.com".into(),
        },
    );
    assert_eq!(d.list("ListDomains", &ListDomains {}).len(), 1);
    let www = d.call(
        "CreateDomainRecord",
        &CreateDomainRecord {
            domain: "example.com".into(),
            record: RecordFields::new(RecordType::A, "www", "192.0.2.2"),
        },
    );
    let mut mx = RecordFields::new(RecordType::Mx, "@", "mail.example.com");
    mx.priority = Some(10);
    d.call(
        "CreateDomainRecord",
        &CreateDomainRecord {
            domain: "example.com".into(),
            record: mx,
        },
    );
    let got = d.call(
        "GetDomainRecord",
        &GetDomainRecord {
            domain: "example.com".into(),
            id: www.id,
        },
    );
    assert_eq!(got, www);
    let records = d.list(
        "ListDomainRecords",
        &ListDomainRecords {
            domain: "example.com".into(),
        },
    );
    assert!(records.len() >= 6, "SOA, 3 NS, apex A, www, MX");
    let changed = d.call(
        "UpdateDomainRecord",
        &UpdateDomainRecord {
            domain: "example.com".into(),
            id: www.id,
            // The spec requires `type` in the body of an update.
            fields: RecordFields {
                kind: Some(RecordType::A),
                data: Some("192.0.2.3".into()),
                ..RecordFields::default()
            },
        },
    );
    assert_eq!(changed.data, "192.0.2.3");
    d.call(
        "DeleteDomainRecord",
        &DeleteDomainRecord {
            domain: "example.com".into(),
            id: www.id,
        },
    );

    // Floating IPs.
    let reserved = d.call(
        "CreateFloatingIp",
        &CreateFloatingIp {
            target: FloatingIpTarget::Region("nyc3".into()),
        },
    );
    assert!(reserved.droplet.is_none());
    let assigned = d.call(
        "CreateFloatingIp",
        &CreateFloatingIp {
            target: FloatingIpTarget::Droplet(web3),
        },
    );
    d.call("GetFloatingIp", &GetFloatingIp { ip: reserved.ip });
    assert_eq!(d.list("ListFloatingIps", &ListFloatingIps {}).len(), 2);
    let assign = d.call(
        "ActOnFloatingIp",
        &ActOnFloatingIp {
            ip: reserved.ip,
            action: FloatingIpAction::Assign { droplet_id: web2 },
        },
    );
    d.wait_action(assign.id);
    let fip = d.call("GetFloatingIp", &GetFloatingIp { ip: reserved.ip });
    assert_eq!(fip.droplet.map(|x| x.id), Some(web2));
    let last = d.call(
        "LastAction",
        &LastAction {
            target: ActionTarget::FloatingIp(reserved.ip),
        },
    );
    assert_eq!(last.map(|a| a.id), Some(assign.id));
    let unassign = d.call(
        "ActOnFloatingIp",
        &ActOnFloatingIp {
            ip: reserved.ip,
            action: FloatingIpAction::Unassign,
        },
    );
    d.wait_action(unassign.id);
    assert_eq!(
        d.list(
            "ListFloatingIpActions",
            &ListFloatingIpActions { ip: reserved.ip }
        )
        .len(),
        2
    );
    for ip in [reserved.ip, assigned.ip] {
        d.call("DeleteFloatingIp", &DeleteFloatingIp { ip });
    }

    // The escape hatches.
    let raw = d.call("Raw", &Raw::get("/v2/account")).unwrap();
    assert!(raw["account"]["uuid"].is_string());
    let raw_list = d.list(
        "RawList",
        &RawList {
            url: "/v2/droplets".into(),
            key: "droplets".into(),
            query: Vec::new(),
        },
    );
    assert_eq!(raw_list.len(), 3);

    // Errors and deletes.
    d.fails("GetDroplet", &GetDroplet { id: 999_999_999 }, 404);
    d.call("DeleteDroplet", &DeleteDroplet { id: web2 });
    d.fails("GetDroplet", &GetDroplet { id: web2 }, 404);
    d.call(
        "DeleteDropletsByTag",
        &DeleteDropletsByTag {
            tag_name: "web".into(),
        },
    );
    assert!(d.list("ListDroplets", &ListDroplets::default()).is_empty());
    d.call(
        "DeleteDomain",
        &DeleteDomain {
            name: "example.com".into(),
        },
    );
    for name in ["web", "env:prod"] {
        d.call("DeleteTag", &DeleteTag { name: name.into() });
    }
    d.call(
        "DeleteSshKey",
        &DeleteSshKey {
            key: SshKeyRef::Id(key.id),
        },
    );
    d.fails(
        "GetSshKey",
        &GetSshKey {
            key: SshKeyRef::Id(key.id),
        },
        404,
    );
    d.ops.len()
}
