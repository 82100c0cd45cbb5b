//! Shared by the `doapi` binary's integration tests: a fast simulator, the
//! binary run with a cleared token environment (and checked for token
//! leaks and one-line errors), JSON parsing of its output, a blocking
//! client to seed and inspect the simulator, and the Prism proxy.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use doapi_blocking::endpoints::{DropletSpec, Raw};
use doapi_blocking::{Api, Client, RetryPolicy, Until};
use doapi_sim::{SimConfig, SimServer};
use serde_json::Value;

/// The token the tests give `doapi`; no output may contain it.
pub const TOKEN: &str = "dop_v1_cli-integration-secret-4b9e21";

/// The environment variables `doapi` reads, removed from every run.
pub const TOKEN_VARS: &[&str] = &[
    "DIGITALOCEAN_TOKEN",
    "DIGITALOCEAN_ACCESS_TOKEN",
    "DO_API_TOKEN",
    "DIGITALOCEAN_API_URL",
];

/// The longest any run of the binary may take before the test fails.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// A public key the simulator accepts.
pub const PUBLIC_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGRvYXBpLWNsaS10ZXN0LWtleS0xAAAA cli@doapi";
/// Another one.
pub const PUBLIC_KEY_2: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGRvYXBpLWNsaS10ZXN0LWtleS0yBBBB other@doapi";

// --- The simulator --------------------------------------------------------

/// The simulator's quick settings for tests.
pub fn fast_sim() -> SimConfig {
    SimConfig::fast()
}

pub fn start(config: SimConfig) -> SimServer {
    SimServer::start_blocking(config).expect("the simulator starts")
}

/// A fast simulator.
pub fn sim() -> SimServer {
    start(fast_sim())
}

// --- Running the binary ---------------------------------------------------

/// A fresh, empty directory under the system's temp dir.
pub fn fresh_dir(what: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!(
        "doapi-cli-{what}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir
}

/// A file in a fresh directory, holding `contents`.
pub fn temp_file(name: &str, contents: &str) -> PathBuf {
    let path = fresh_dir("file").join(name);
    std::fs::write(&path, contents).expect("a temp file");
    path
}

/// One run of `doapi` to be: arguments, environment, stdin. The token
/// environment is cleared and `HOME` is a fresh empty directory.
pub struct Doapi {
    cmd: Command,
    shown: Vec<String>,
    home: PathBuf,
    stdin: Option<Vec<u8>>,
    secrets: Vec<String>,
}

/// `doapi --endpoint URL --api-token TOKEN`.
pub fn doapi(url: &str) -> Doapi {
    // The simulators and servers of the tests keep no limit of their own.
    bare().args([
        "--endpoint",
        url,
        "--api-token",
        TOKEN,
        "--requests-per-minute",
        "0",
    ])
}

/// `doapi` with no token and no endpoint given.
pub fn bare() -> Doapi {
    let home = fresh_dir("home");
    // Through `env --default-signal=INT`, which execs the binary (same pid)
    // with SIGINT at its default, as at a terminal, even when this test
    // process ignores it (started in the background by a shell).
    let mut cmd = Command::new("env");
    cmd.args(["--default-signal=INT", env!("CARGO_BIN_EXE_doapi")]);
    for var in TOKEN_VARS {
        cmd.env_remove(var);
    }
    cmd.env("HOME", &home);
    Doapi {
        cmd,
        shown: Vec::new(),
        home,
        stdin: None,
        secrets: vec![TOKEN.to_owned()],
    }
}

impl Doapi {
    pub fn arg(mut self, arg: impl AsRef<str>) -> Self {
        self.shown.push(arg.as_ref().to_owned());
        self.cmd.arg(arg.as_ref());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for a in args {
            self = self.arg(a);
        }
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// What the run reads on stdin (else nothing: stdin is empty).
    pub fn stdin(mut self, input: &str) -> Self {
        self.stdin = Some(input.as_bytes().to_vec());
        self
    }

    /// A file in the run's `HOME`.
    pub fn home_file(self, name: &str, contents: &str) -> Self {
        std::fs::write(self.home.join(name), contents).expect("a file in HOME");
        self
    }

    /// Another string no output may contain.
    pub fn secret(mut self, s: &str) -> Self {
        self.secrets.push(s.to_owned());
        self
    }

    fn describe(&self) -> String {
        format!("doapi {}", self.shown.join(" "))
    }

    /// Starts it with piped stdout and stderr.
    pub fn spawn(mut self) -> Running {
        let what = self.describe();
        self.cmd
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self
            .cmd
            .spawn()
            .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
        if let Some(input) = self.stdin.take() {
            let mut pipe = child.stdin.take().expect("stdin");
            std::thread::spawn(move || {
                let _ = pipe.write_all(&input);
            });
        }
        Running {
            what,
            child,
            home: self.home,
            secrets: self.secrets,
        }
    }

    /// Runs it to the end (at most a minute) and checks the universal
    /// rules: no secret in any output, and a failure is one stderr line
    /// starting with `doapi: `.
    pub fn run(self) -> Out {
        self.spawn().finish()
    }

    /// `run`, and the run succeeded.
    pub fn ok(self) -> Out {
        let out = self.run();
        assert_eq!(out.code, 0, "{out}");
        out
    }

    /// `run`, and the run failed with `code`.
    pub fn fails(self, code: i32) -> Out {
        let out = self.run();
        assert_eq!(out.code, code, "{out}");
        out
    }
}

/// A started run.
pub struct Running {
    pub what: String,
    pub child: Child,
    home: PathBuf,
    secrets: Vec<String>,
}

fn reader(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// The exit code, or minus the signal that ended the process.
fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .unwrap_or_else(|| -status.signal().unwrap_or(0))
}

/// Sends a signal (`"INT"`, `"KILL"`) to a process.
pub fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{name} {pid}");
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Takes stdout to read it while the process runs; `finish` then sees
    /// an empty stdout.
    pub fn take_stdout(&mut self) -> ChildStdout {
        self.child.stdout.take().expect("stdout")
    }

    /// Waits for the end (at most a minute: then it is killed and the test
    /// fails), and checks the universal rules.
    pub fn finish(mut self) -> Out {
        let out = reader(self.child.stdout.take());
        let err = reader(self.child.stderr.take());
        let pid = self.child.id();
        let (tx, rx) = mpsc::channel();
        let mut child = self.child;
        let waiter = std::thread::spawn(move || {
            let _ = tx.send(child.wait());
        });
        let status = match rx.recv_timeout(RUN_LIMIT) {
            Ok(status) => status.expect("wait for doapi"),
            Err(_) => {
                signal(pid, "KILL");
                let _ = waiter.join();
                let stdout = String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned();
                let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
                panic!(
                    "{} did not end within {RUN_LIMIT:?}\nstdout: {stdout}\nstderr: {stderr}",
                    self.what
                );
            }
        };
        let _ = waiter.join();
        let stdout = String::from_utf8(out.join().expect("stdout")).expect("stdout is UTF-8");
        let stderr = String::from_utf8(err.join().expect("stderr")).expect("stderr is UTF-8");
        let _ = std::fs::remove_dir_all(&self.home);
        let out = Out {
            what: self.what,
            code: exit_code(status),
            stdout,
            stderr,
        };
        for s in &self.secrets {
            assert!(
                !out.stdout.contains(s.as_str()) && !out.stderr.contains(s.as_str()),
                "a token appears in the output of {out}"
            );
        }
        // A failure is one line; an interrupt (130, or death by SIGINT)
        // is checked by the tests that send one.
        if out.code > 0 && out.code != 130 {
            out.error_line();
        }
        out
    }
}

/// What a run printed and its exit code.
pub struct Out {
    pub what: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` exited with {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.what, self.code, self.stdout, self.stderr
        )
    }
}

impl Out {
    /// Stdout as one JSON value (the pretty form).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}): {self}"))
    }

    /// Stdout as a pretty JSON array.
    pub fn array(&self) -> Vec<Value> {
        match self.json() {
            Value::Array(items) => items,
            other => panic!("expected a JSON array, got {other}: {self}"),
        }
    }

    /// Stdout as a pretty JSON object.
    pub fn object(&self) -> Value {
        let v = self.json();
        assert!(v.is_object(), "expected a JSON object: {self}");
        v
    }

    /// The objects printed, however nested: an array's elements (nested
    /// arrays flattened), a single object, or nothing for an empty stdout.
    pub fn items(&self) -> Vec<Value> {
        if self.stdout.trim().is_empty() {
            return Vec::new();
        }
        flatten(self.json())
    }

    /// Stdout as JSON Lines (the `--compact` form): one value a line.
    pub fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("a line is not JSON ({e}): {l:?}\n{self}"))
            })
            .collect()
    }

    /// The one stderr line of a failure, checked: exactly one line,
    /// starting with `doapi: `.
    pub fn error_line(&self) -> &str {
        let text = self.stderr.strip_suffix('\n').unwrap_or(&self.stderr);
        assert!(
            !text.is_empty() && !text.contains('\n'),
            "stderr must be exactly one line: {self}"
        );
        assert!(
            text.starts_with("doapi: "),
            "stderr must start with `doapi: `: {self}"
        );
        text
    }

    /// The ids of the objects printed.
    pub fn ids(&self) -> Vec<u64> {
        ids(&self.items())
    }
}

/// An array's elements, nested arrays flattened; a lone value as itself.
pub fn flatten(v: Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items.into_iter().flat_map(flatten).collect(),
        other => vec![other],
    }
}

pub fn ids(items: &[Value]) -> Vec<u64> {
    items
        .iter()
        .map(|i| {
            i["id"]
                .as_u64()
                .unwrap_or_else(|| panic!("no integer id in {i}"))
        })
        .collect()
}

/// Sorted, for comparing sets of ids.
pub fn sorted(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v
}

// --- Seeding and inspecting the simulator -------------------------------

/// A blocking client on the simulator: quick polls and retries.
pub fn client(url: &str) -> Client {
    let mut retry = RetryPolicy::default().without_jitter();
    retry.initial_backoff = Duration::from_millis(20);
    retry.max_backoff = Duration::from_millis(200);
    Client::builder(TOKEN)
        .endpoint(url)
        .wait_interval(Duration::from_millis(25))
        .wait_time(Some(Duration::from_secs(30)))
        .retry(retry)
        .build()
        .expect("a client")
}

/// Any request through the blocking client; the JSON answer.
pub fn api(url: &str, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
    let raw = Raw {
        method: method.parse().expect("a method"),
        url: path.to_owned(),
        query: Vec::new(),
        body,
    };
    client(url)
        .request(raw)
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// `GET path`, the answer's value under `key`.
pub fn get(url: &str, path: &str, key: &str) -> Value {
    let v = api(url, "GET", path, None).unwrap_or_else(|| panic!("GET {path}: empty"));
    v.get(key)
        .cloned()
        .unwrap_or_else(|| panic!("GET {path}: no {key:?} in {v}"))
}

/// The array under `key` of `GET path`.
pub fn listed(url: &str, path: &str, key: &str) -> Vec<Value> {
    match get(url, path, key) {
        Value::Array(items) => items,
        other => panic!("GET {path}: {key:?} is not an array: {other}"),
    }
}

/// `GET path` answers 404.
pub fn is_gone(url: &str, path: &str) -> bool {
    let raw = Raw::get(path);
    match client(url).request(raw) {
        Err(e) => e.is_not_found(),
        Ok(v) => panic!("GET {path} still answers: {v:?}"),
    }
}

pub fn droplet(url: &str, id: u64) -> Value {
    get(url, &format!("/v2/droplets/{id}"), "droplet")
}

/// Every droplet (one page of 200).
pub fn all_droplets(url: &str) -> Vec<Value> {
    let raw = Raw {
        query: vec![("per_page".into(), "200".into())],
        ..Raw::get("/v2/droplets")
    };
    let v = client(url)
        .request(raw)
        .expect("the droplets")
        .expect("a body");
    v["droplets"].as_array().cloned().unwrap_or_default()
}

/// A small droplet in nyc3 with these tags.
pub fn spec(tags: &[&str]) -> DropletSpec {
    let mut s = DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3");
    s.tags = tags.iter().map(|t| t.to_string()).collect();
    s
}

/// Creates droplets with these names (ten per request) and waits until
/// they are active and unlocked; their ids, in the order of the names.
pub fn seed_droplets(url: &str, names: &[&str], tags: &[&str]) -> Vec<u64> {
    let c = client(url);
    for t in tags {
        if c.fetch_tag(*t).is_err() {
            c.create_tag(*t).expect("a tag");
        }
    }
    let mut ids = Vec::new();
    for chunk in names.chunks(10) {
        let made = c
            .create_multiple_droplets(chunk.iter().map(|n| n.to_string()).collect(), spec(tags))
            .expect("droplets");
        ids.extend(made.iter().map(|d| d.id));
    }
    let active: Result<Vec<_>, _> = c
        .wait_droplet_ids(
            ids.clone(),
            Until::Status(doapi_blocking::models::DropletStatus::Active),
        )
        .collect();
    active.expect("the droplets boot");
    ids
}

pub fn seed_droplet(url: &str, name: &str) -> u64 {
    seed_droplets(url, &[name], &[])[0]
}

/// Waits until a droplet's current action ends.
pub fn settle(url: &str, id: u64) {
    client(url)
        .wait_for_droplet_action(id)
        .expect("the droplet's action ends");
}

/// Polls `check` (every 20 ms, at most 20 s) until it gives a value.
pub fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Takes a snapshot of a droplet with the client; the image's id.
pub fn seed_snapshot(url: &str, droplet: u64, name: &str) -> u64 {
    let c = client(url);
    c.snapshot(droplet, name).expect("a snapshot");
    c.wait_for_droplet_action(droplet)
        .expect("the snapshot ends");
    let snaps: Vec<_> = c
        .fetch_all_snapshots(droplet)
        .collect::<Result<_, _>>()
        .expect("the snapshots");
    snaps
        .iter()
        .find(|i| i.name.as_deref() == Some(name))
        .map(|i| i.id)
        .expect("the snapshot image")
}

/// Enables backups on a droplet, waits for its first backup and disables
/// them again (so that no later backup rotates this one out); the backup
/// image's id.
pub fn seed_backup(url: &str, droplet: u64) -> u64 {
    let c = client(url);
    c.enable_backups(droplet).expect("enable backups");
    c.wait_for_droplet_action(droplet).expect("backups enabled");
    eventually("a backup", || {
        let backups: Vec<_> = c
            .fetch_all_backups(droplet)
            .collect::<Result<_, _>>()
            .expect("the backups");
        backups.first().map(|b| b.id)
    });
    c.disable_backups(droplet).expect("disable backups");
    c.wait_for_droplet_action(droplet)
        .expect("backups disabled");
    let backups: Vec<_> = c
        .fetch_all_backups(droplet)
        .collect::<Result<_, _>>()
        .expect("the backups");
    backups.last().map(|b| b.id).expect("a backup kept")
}

// --- Prism ---------------------------------------------------------------

// The conformance harness, shared with the other suites.
#[allow(unused_imports)]
pub use doapi_sim::prism::{free_port, skip_or_fail, Prism};

// --- A server that notes request lines -------------------------------------

/// A loopback HTTP server that answers every request with `200` and `body`
/// (closing the connection) and notes each request line
/// (`GET /v2/sizes?per_page=5 HTTP/1.1`); for checking what `doapi` sends
/// where the simulator is lenient.
pub struct Recorder {
    pub url: String,
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Recorder {
    pub fn start(body: &'static str) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let noted = lines.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => break,
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let line = head.lines().next().unwrap_or_default().to_owned();
                noted.lock().expect("the lines").push(line);
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Recorder { url, lines }
    }

    /// The request lines so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("the lines").clone()
    }
}
