//! The request of every operation: method, URL (path and query), JSON body,
//! and the headers every request carries. Then the input refused before
//! anything is sent, and the token kept out of every `Debug` and `Display`.

use std::net::IpAddr;

use doapi_core::endpoints::*;
use doapi_core::http::{Method, Request};
use doapi_core::models::RecordType;
use doapi_core::{Config, RequestError, Token, DEFAULT_USER_AGENT};
use serde_json::{json, Value};

const TOKEN: &str = "dop_v1_0123456789abcdef-very-secret";
const EP: &str = "https://api.digitalocean.com";

fn config() -> Config {
    Config::new(Token::new(TOKEN).unwrap())
}

struct Case {
    request: Request<Vec<u8>>,
    method: Method,
    url: String,
    body: Option<Value>,
}

fn case<E: Endpoint>(op: E, method: Method, path_and_query: &str, body: Option<Value>) -> Case {
    Case {
        request: config()
            .request(&op)
            .unwrap_or_else(|e| panic!("{path_and_query}: {e}")),
        method,
        url: format!("{EP}{path_and_query}"),
        body,
    }
}

fn ip() -> IpAddr {
    "203.0.113.7".parse().unwrap()
}

#[allow(deprecated)] // `private_networking` is still sent when set
fn spec() -> DropletSpec {
    let mut s = DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3");
    s.ssh_keys = vec![
        SshKeyRef::Id(512),
        SshKeyRef::Fingerprint("3b:16:bf".into()),
    ];
    s.backups = Some(true);
    s.ipv6 = Some(true);
    s.private_networking = Some(false);
    s.user_data = Some("#cloud-config".into());
    s.tags = vec!["web".into()];
    s.extra.insert("with_droplet_agent".into(), json!(true));
    s
}

fn spec_json() -> serde_json::Map<String, Value> {
    json!({
        "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64",
        "ssh_keys": [512, "3b:16:bf"], "backups": true, "ipv6": true,
        "private_networking": false, "user_data": "#cloud-config", "tags": ["web"],
        "with_droplet_agent": true
    })
    .as_object()
    .unwrap()
    .clone()
}

fn with(mut m: serde_json::Map<String, Value>, k: &str, v: Value) -> Value {
    m.insert(k.into(), v);
    Value::Object(m)
}

fn act(id: u64, action: DropletAction, body: Value) -> Case {
    case(
        ActOnDroplet { id, action },
        Method::POST,
        &format!("/v2/droplets/{id}/actions"),
        Some(body),
    )
}

#[allow(deprecated)] // `enable_private_networking` is still sent when asked for
fn all_cases() -> Vec<Case> {
    use Method as M;
    let none = None;
    vec![
        // Droplets.
        case(GetDroplet { id: 1 }, M::GET, "/v2/droplets/1", none.clone()),
        case(
            ListDroplets::default(),
            M::GET,
            "/v2/droplets",
            none.clone(),
        ),
        case(
            ListDroplets {
                tag_name: Some("env:prod".into()),
            },
            M::GET,
            "/v2/droplets?tag_name=env%3Aprod",
            none.clone(),
        ),
        case(
            CreateDroplet {
                name: "web-1.example.com".into(),
                spec: spec(),
            },
            M::POST,
            "/v2/droplets",
            Some(with(spec_json(), "name", json!("web-1.example.com"))),
        ),
        case(
            CreateDroplets {
                names: vec!["a".into(), "b".into()],
                spec: spec(),
            },
            M::POST,
            "/v2/droplets",
            Some(with(spec_json(), "names", json!(["a", "b"]))),
        ),
        case(
            DeleteDroplet { id: 1 },
            M::DELETE,
            "/v2/droplets/1",
            none.clone(),
        ),
        case(
            DeleteDropletsByTag {
                tag_name: "web".into(),
            },
            M::DELETE,
            "/v2/droplets?tag_name=web",
            none.clone(),
        ),
        case(
            ListDropletKernels { id: 1 },
            M::GET,
            "/v2/droplets/1/kernels",
            none.clone(),
        ),
        case(
            ListDropletSnapshots { id: 1 },
            M::GET,
            "/v2/droplets/1/snapshots",
            none.clone(),
        ),
        case(
            ListDropletBackups { id: 1 },
            M::GET,
            "/v2/droplets/1/backups",
            none.clone(),
        ),
        case(
            ListDropletActions { id: 1 },
            M::GET,
            "/v2/droplets/1/actions",
            none.clone(),
        ),
        case(
            ListDropletNeighbors { id: 1 },
            M::GET,
            "/v2/droplets/1/neighbors",
            none.clone(),
        ),
        case(
            DropletNeighborsReport {},
            M::GET,
            "/v2/reports/droplet_neighbors_ids",
            none.clone(),
        ),
        case(
            GetDropletAction {
                id: 1,
                action_id: 2,
            },
            M::GET,
            "/v2/droplets/1/actions/2",
            none.clone(),
        ),
        // Every droplet action of the seed, and an arbitrary one.
        act(
            1,
            DropletAction::EnableBackups,
            json!({"type": "enable_backups"}),
        ),
        act(
            1,
            DropletAction::DisableBackups,
            json!({"type": "disable_backups"}),
        ),
        act(1, DropletAction::Reboot, json!({"type": "reboot"})),
        act(1, DropletAction::PowerCycle, json!({"type": "power_cycle"})),
        act(1, DropletAction::Shutdown, json!({"type": "shutdown"})),
        act(1, DropletAction::PowerOff, json!({"type": "power_off"})),
        act(1, DropletAction::PowerOn, json!({"type": "power_on"})),
        act(
            1,
            DropletAction::Restore { image: 42.into() },
            json!({"type": "restore", "image": 42}),
        ),
        act(
            1,
            DropletAction::PasswordReset,
            json!({"type": "password_reset"}),
        ),
        act(
            1,
            DropletAction::Resize {
                size: "s-2vcpu-2gb".into(),
                disk: Some(true),
            },
            json!({"type": "resize", "size": "s-2vcpu-2gb", "disk": true}),
        ),
        act(
            1,
            DropletAction::Resize {
                size: "s-2vcpu-2gb".into(),
                disk: None,
            },
            json!({"type": "resize", "size": "s-2vcpu-2gb"}),
        ),
        act(
            1,
            DropletAction::Rebuild {
                image: "ubuntu-24-04-x64".into(),
            },
            json!({"type": "rebuild", "image": "ubuntu-24-04-x64"}),
        ),
        act(
            1,
            DropletAction::Rename {
                name: "web-2".into(),
            },
            json!({"type": "rename", "name": "web-2"}),
        ),
        act(
            1,
            DropletAction::ChangeKernel { kernel: 7515 },
            json!({"type": "change_kernel", "kernel": 7515}),
        ),
        act(1, DropletAction::EnableIpv6, json!({"type": "enable_ipv6"})),
        act(
            1,
            DropletAction::ChangeBackupPolicy {
                backup_policy: BackupPolicy::weekly(Weekday::Sat).at(16),
            },
            json!({"type": "change_backup_policy",
                   "backup_policy": {"plan": "weekly", "weekday": "SAT", "hour": 16}}),
        ),
        case(
            CreateDroplet {
                name: "web-1".into(),
                spec: DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64")
                    .backup_policy(BackupPolicy::daily()),
            },
            Method::POST,
            "/v2/droplets",
            Some(
                json!({"name": "web-1", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64",
                        "backups": true, "backup_policy": {"plan": "daily"}}),
            ),
        ),
        act(
            1,
            DropletAction::EnablePrivateNetworking,
            json!({"type": "enable_private_networking"}),
        ),
        act(
            1,
            DropletAction::Snapshot {
                name: Some("s1".into()),
            },
            json!({"type": "snapshot", "name": "s1"}),
        ),
        act(
            1,
            DropletAction::Custom(
                json!({"type": "enable_ipv6", "extra": 1})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
            json!({"type": "enable_ipv6", "extra": 1}),
        ),
        case(
            ActOnTaggedDroplets {
                tag_name: "web".into(),
                action: DropletAction::PowerCycle,
            },
            M::POST,
            "/v2/droplets/actions?tag_name=web",
            Some(json!({"type": "power_cycle"})),
        ),
        // Actions.
        case(GetAction { id: 9 }, M::GET, "/v2/actions/9", none.clone()),
        case(ListActions {}, M::GET, "/v2/actions", none.clone()),
        case(
            LastAction {
                target: ActionTarget::Account,
            },
            M::GET,
            "/v2/actions?per_page=1",
            none.clone(),
        ),
        case(
            LastAction {
                target: ActionTarget::Droplet(1),
            },
            M::GET,
            "/v2/droplets/1/actions?per_page=1",
            none.clone(),
        ),
        case(
            CurrentAction {
                target: ActionTarget::Image(5),
            },
            M::GET,
            "/v2/images/5/actions?per_page=1",
            none.clone(),
        ),
        case(
            CurrentAction {
                target: ActionTarget::FloatingIp(ip()),
            },
            M::GET,
            "/v2/floating_ips/203.0.113.7/actions?per_page=1",
            none.clone(),
        ),
        // Images.
        case(GetImage { id: 5 }, M::GET, "/v2/images/5", none.clone()),
        case(
            GetImageBySlug {
                slug: "ubuntu-24-04-x64".into(),
            },
            M::GET,
            "/v2/images/ubuntu-24-04-x64",
            none.clone(),
        ),
        case(ListImages::default(), M::GET, "/v2/images", none.clone()),
        case(
            ListImages {
                filter: ImageFilter::Distribution,
            },
            M::GET,
            "/v2/images?type=distribution",
            none.clone(),
        ),
        case(
            ListImages {
                filter: ImageFilter::Application,
            },
            M::GET,
            "/v2/images?type=application",
            none.clone(),
        ),
        case(
            ListImages {
                filter: ImageFilter::Private,
            },
            M::GET,
            "/v2/images?private=true",
            none.clone(),
        ),
        case(
            UpdateImage {
                id: 5,
                name: Some("new".into()),
                description: None,
            },
            M::PUT,
            "/v2/images/5",
            Some(json!({"name": "new"})),
        ),
        case(
            DeleteImage { id: 5 },
            M::DELETE,
            "/v2/images/5",
            none.clone(),
        ),
        case(
            ActOnImage {
                id: 5,
                action: ImageAction::Transfer {
                    region: "sfo3".into(),
                },
            },
            M::POST,
            "/v2/images/5/actions",
            Some(json!({"type": "transfer", "region": "sfo3"})),
        ),
        case(
            ActOnImage {
                id: 5,
                action: ImageAction::Convert,
            },
            M::POST,
            "/v2/images/5/actions",
            Some(json!({"type": "convert"})),
        ),
        case(
            ListImageActions { id: 5 },
            M::GET,
            "/v2/images/5/actions",
            none.clone(),
        ),
        // Regions, sizes, account.
        case(ListRegions {}, M::GET, "/v2/regions", none.clone()),
        case(ListSizes {}, M::GET, "/v2/sizes", none.clone()),
        case(GetAccount {}, M::GET, "/v2/account", none.clone()),
        // SSH keys.
        case(
            GetSshKey { key: 512.into() },
            M::GET,
            "/v2/account/keys/512",
            none.clone(),
        ),
        case(
            GetSshKey {
                key: "3b:16:bf".into(),
            },
            M::GET,
            "/v2/account/keys/3b%3A16%3Abf",
            none.clone(),
        ),
        case(ListSshKeys {}, M::GET, "/v2/account/keys", none.clone()),
        case(
            CreateSshKey {
                name: "laptop".into(),
                public_key: "ssh-ed25519 AAAA".into(),
            },
            M::POST,
            "/v2/account/keys",
            Some(json!({"name": "laptop", "public_key": "ssh-ed25519 AAAA"})),
        ),
        case(
            UpdateSshKey {
                key: 512.into(),
                name: "desk".into(),
            },
            M::PUT,
            "/v2/account/keys/512",
            Some(json!({"name": "desk"})),
        ),
        case(
            DeleteSshKey {
                key: "3b:16:bf".into(),
            },
            M::DELETE,
            "/v2/account/keys/3b%3A16%3Abf",
            none.clone(),
        ),
        // Domains and records.
        case(
            GetDomain {
                name: "example.com".into(),
            },
            M::GET,
            "/v2/domains/example.com",
            none.clone(),
        ),
        case(ListDomains {}, M::GET, "/v2/domains", none.clone()),
        case(
            CreateDomain {
                name: "example.com".into(),
                ip_address: Some("203.0.113.7".into()),
            },
            M::POST,
            "/v2/domains",
            Some(json!({"name": "example.com", "ip_address": "203.0.113.7"})),
        ),
        case(
            DeleteDomain {
                name: "example.com".into(),
            },
            M::DELETE,
            "/v2/domains/example.com",
            none.clone(),
        ),
        case(
            GetDomainRecord {
                domain: "example.com".into(),
                id: 3,
            },
            M::GET,
            "/v2/domains/example.com/records/3",
            none.clone(),
        ),
        case(
            ListDomainRecords {
                domain: "example.com".into(),
            },
            M::GET,
            "/v2/domains/example.com/records",
            none.clone(),
        ),
        case(
            CreateDomainRecord {
                domain: "example.com".into(),
                record: RecordFields {
                    priority: Some(10),
                    port: Some(5060),
                    weight: Some(5),
                    ttl: Some(1800),
                    ..RecordFields::new(RecordType::Srv, "_sip._tcp", "sip.example.com")
                },
            },
            M::POST,
            "/v2/domains/example.com/records",
            Some(
                json!({"type": "SRV", "name": "_sip._tcp", "data": "sip.example.com", "priority": 10,
                         "port": 5060, "weight": 5, "ttl": 1800}),
            ),
        ),
        case(
            UpdateDomainRecord {
                domain: "example.com".into(),
                id: 3,
                fields: RecordFields {
                    kind: Some(RecordType::A),
                    data: Some("203.0.113.8".into()),
                    ..Default::default()
                },
            },
            M::PUT,
            "/v2/domains/example.com/records/3",
            Some(json!({"type": "A", "data": "203.0.113.8"})),
        ),
        case(
            DeleteDomainRecord {
                domain: "example.com".into(),
                id: 3,
            },
            M::DELETE,
            "/v2/domains/example.com/records/3",
            none.clone(),
        ),
        // Floating IPs.
        case(
            GetFloatingIp { ip: ip() },
            M::GET,
            "/v2/floating_ips/203.0.113.7",
            none.clone(),
        ),
        case(ListFloatingIps {}, M::GET, "/v2/floating_ips", none.clone()),
        case(
            CreateFloatingIp {
                target: FloatingIpTarget::Droplet(1),
            },
            M::POST,
            "/v2/floating_ips",
            Some(json!({"droplet_id": 1})),
        ),
        case(
            CreateFloatingIp {
                target: FloatingIpTarget::Region("nyc3".into()),
            },
            M::POST,
            "/v2/floating_ips",
            Some(json!({"region": "nyc3"})),
        ),
        case(
            ActOnFloatingIp {
                ip: ip(),
                action: FloatingIpAction::Assign { droplet_id: 1 },
            },
            M::POST,
            "/v2/floating_ips/203.0.113.7/actions",
            Some(json!({"type": "assign", "droplet_id": 1})),
        ),
        case(
            ActOnFloatingIp {
                ip: ip(),
                action: FloatingIpAction::Unassign,
            },
            M::POST,
            "/v2/floating_ips/203.0.113.7/actions",
            Some(json!({"type": "unassign"})),
        ),
        case(
            DeleteFloatingIp { ip: ip() },
            M::DELETE,
            "/v2/floating_ips/203.0.113.7",
            none.clone(),
        ),
        case(
            ListFloatingIpActions { ip: ip() },
            M::GET,
            "/v2/floating_ips/203.0.113.7/actions",
            none.clone(),
        ),
        // Tags.
        case(
            GetTag {
                name: "env:prod".into(),
            },
            M::GET,
            "/v2/tags/env%3Aprod",
            none.clone(),
        ),
        case(ListTags {}, M::GET, "/v2/tags", none.clone()),
        case(
            CreateTag { name: "web".into() },
            M::POST,
            "/v2/tags",
            Some(json!({"name": "web"})),
        ),
        case(
            DeleteTag { name: "web".into() },
            M::DELETE,
            "/v2/tags/web",
            none.clone(),
        ),
        case(
            TagResources {
                tag: "web".into(),
                resources: vec![
                    TaggableRef::Droplet(1),
                    TaggableRef::Image(5),
                    TaggableRef::Volume("v-1".into()),
                ],
            },
            M::POST,
            "/v2/tags/web/resources",
            Some(
                json!({"resources": [{"resource_id": "1", "resource_type": "droplet"},
                                       {"resource_id": "5", "resource_type": "image"},
                                       {"resource_id": "v-1", "resource_type": "volume"}]}),
            ),
        ),
        case(
            UntagResources {
                tag: "web".into(),
                resources: vec![TaggableRef::Droplet(1)],
            },
            M::DELETE,
            "/v2/tags/web/resources",
            Some(json!({"resources": [{"resource_id": "1", "resource_type": "droplet"}]})),
        ),
        // The raw escape hatch.
        case(
            Raw {
                method: M::PATCH,
                url: "/v2/apps/x".into(),
                query: vec![("a b".into(), "c/d".into())],
                body: Some(json!({"k": 1})),
            },
            M::PATCH,
            "/v2/apps/x?a%20b=c%2Fd",
            Some(json!({"k": 1})),
        ),
        case(
            Raw::get(format!("{EP}/v2/droplets?page=2")),
            M::GET,
            "/v2/droplets?page=2",
            none.clone(),
        ),
        case(
            RawList {
                url: "/v2/volumes".into(),
                key: "volumes".into(),
                query: vec![],
            },
            M::GET,
            "/v2/volumes",
            none,
        ),
    ]
}

#[test]
fn every_operation_builds_its_request() {
    let cases = all_cases();
    for c in &cases {
        let r = &c.request;
        assert_eq!(r.method(), c.method, "{}", c.url);
        assert_eq!(r.uri().to_string(), c.url);
        let h = r.headers();
        assert_eq!(
            h["authorization"],
            format!("Bearer {TOKEN}").as_str(),
            "{}",
            c.url
        );
        assert!(h["authorization"].is_sensitive());
        assert_eq!(h["user-agent"], DEFAULT_USER_AGENT);
        assert_eq!(h["accept"], "application/json");
        match &c.body {
            Some(want) => {
                assert_eq!(h["content-type"], "application/json", "{}", c.url);
                let got: Value = serde_json::from_slice(r.body()).unwrap();
                assert_eq!(&got, want, "body of {} {}", c.method, c.url);
            }
            None => {
                assert!(r.body().is_empty(), "{} has a body", c.url);
                assert!(h.get("content-type").is_none());
            }
        }
        // The token never shows in a request's Debug output.
        assert!(!format!("{r:?}").contains(TOKEN), "{}", c.url);
    }
    println!("checked the requests of {} operations", cases.len());
    assert!(cases.len() >= 80);
}

#[test]
fn listings_ask_for_200_per_page() {
    let c = config();
    let r = c
        .list_request(&ListDroplets {
            tag_name: Some("web".into()),
        })
        .unwrap();
    assert_eq!(
        r.uri(),
        "https://api.digitalocean.com/v2/droplets?tag_name=web&per_page=200"
    );
    let r = c
        .clone()
        .with_per_page(500)
        .list_request(&ListSizes {})
        .unwrap();
    assert_eq!(
        r.uri(),
        "https://api.digitalocean.com/v2/sizes?per_page=200"
    );
    let r = c.with_per_page(20).list_request(&ListSizes {}).unwrap();
    assert_eq!(r.uri(), "https://api.digitalocean.com/v2/sizes?per_page=20");
}

#[test]
fn a_per_page_in_a_raw_listing_path_is_kept_and_not_repeated() {
    let c = config();
    let list = |url: &str| RawList {
        url: url.into(),
        key: "sizes".into(),
        query: Vec::new(),
    };
    let r = c.list_request(&list("/v2/sizes?per_page=5")).unwrap();
    assert_eq!(r.uri(), "https://api.digitalocean.com/v2/sizes?per_page=5");
    // A parameter that merely ends in per_page does not count.
    let r = c.list_request(&list("/v2/sizes?x_per_page=5")).unwrap();
    assert_eq!(
        r.uri(),
        "https://api.digitalocean.com/v2/sizes?x_per_page=5&per_page=200"
    );
}

#[test]
fn endpoint_with_a_prefix_and_user_agent() {
    let c = config()
        .with_endpoint("http://127.0.0.1:4010/proxy/")
        .unwrap()
        .with_user_agent("mytool/1.0");
    let r = c.request(&GetDroplet { id: 1 }).unwrap();
    assert_eq!(r.uri(), "http://127.0.0.1:4010/proxy/v2/droplets/1");
    assert_eq!(r.headers()["user-agent"], "mytool/1.0");
}

fn refused<E: Endpoint>(op: E) -> RequestError {
    config()
        .request(&op)
        .expect_err("should be refused before sending")
}

#[test]
fn bad_input_is_refused_before_sending() {
    let name = |n: &str| {
        refused(CreateDroplet {
            name: n.into(),
            spec: spec(),
        })
    };
    assert_eq!(
        name(""),
        RequestError::Empty {
            what: "droplet name"
        }
    );
    for bad in [
        "web_1",
        "web 1",
        "-web",
        "web-",
        "a..b",
        ".a",
        "a.",
        "ünï",
        &"a".repeat(64),
        &["a"; 130].join("."),
    ] {
        assert!(
            matches!(name(bad), RequestError::InvalidDropletName { .. }),
            "{bad:?} was accepted"
        );
    }
    let names = |n: usize| CreateDroplets {
        names: (0..n).map(|i| format!("web-{i}")).collect(),
        spec: spec(),
    };
    assert_eq!(
        refused(names(11)),
        RequestError::TooManyNames { count: 11, max: 10 }
    );
    assert_eq!(refused(names(0)), RequestError::Empty { what: "names" });
    assert!(config().request(&names(10)).is_ok());
    let mut bad_spec = spec();
    bad_spec.size = " ".into();
    assert_eq!(
        refused(CreateDroplet {
            name: "ok".into(),
            spec: bad_spec
        }),
        RequestError::Empty { what: "size" }
    );

    assert!(matches!(
        refused(ActOnDroplet {
            id: 1,
            action: DropletAction::Custom(Default::default())
        }),
        RequestError::InvalidAction(_)
    ));
    assert!(matches!(
        refused(ActOnDroplet {
            id: 1,
            action: DropletAction::Rename {
                name: "bad name".into()
            }
        }),
        RequestError::InvalidDropletName { .. }
    ));
    assert!(matches!(
        refused(ActOnTaggedDroplets {
            tag_name: "web".into(),
            action: DropletAction::Reboot
        }),
        RequestError::InvalidAction(_)
    ));
    assert!(matches!(
        refused(CreateTag {
            name: "no spaces".into()
        }),
        RequestError::InvalidArgument { .. }
    ));
    assert_eq!(
        refused(CreateSshKey {
            name: "".into(),
            public_key: "k".into()
        }),
        RequestError::Empty {
            what: "SSH key name"
        }
    );
    assert_eq!(
        refused(CreateDomain {
            name: "".into(),
            ip_address: None
        }),
        RequestError::Empty {
            what: "domain name"
        }
    );
    assert_eq!(
        refused(CreateDomainRecord {
            domain: "example.com".into(),
            record: RecordFields::default()
        }),
        RequestError::Empty {
            what: "record type"
        }
    );
    assert_eq!(
        refused(UpdateDomainRecord {
            domain: "example.com".into(),
            id: 1,
            fields: RecordFields::default()
        }),
        RequestError::Empty {
            what: "record type (DigitalOcean requires it in an update)"
        }
    );
    assert_eq!(
        refused(TagResources {
            tag: "web".into(),
            resources: vec![]
        }),
        RequestError::Empty { what: "resources" }
    );
    assert_eq!(
        refused(UpdateImage {
            id: 1,
            name: None,
            description: None
        }),
        RequestError::Empty {
            what: "image update (give a name or a description)"
        }
    );
    assert!(matches!(
        refused(Raw::get("https://evil.test/v2/account")),
        RequestError::ForeignOrigin { .. }
    ));
    assert!(matches!(
        refused(Raw::get("http://api.digitalocean.com/v2/account")),
        RequestError::ForeignOrigin { .. }
    ));
}

#[test]
fn the_token_never_shows() {
    let c = config();
    let errors: Vec<String> = [
        refused(Raw::get("https://evil.test/x")),
        refused(CreateDroplet {
            name: "".into(),
            spec: spec(),
        }),
        c.clone().with_endpoint("http://10.0.0.1").unwrap_err(),
    ]
    .iter()
    .flat_map(|e| [format!("{e}"), format!("{e:?}")])
    .collect();
    for text in errors.iter().chain(
        [
            format!("{c:?}"),
            format!("{:?}", Token::new(TOKEN).unwrap()),
        ]
        .iter(),
    ) {
        assert!(
            !text.contains(TOKEN) && !text.contains("very-secret"),
            "{text}"
        );
    }
}
