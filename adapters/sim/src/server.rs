//! The loopback HTTP server: the model behind a lock, on the real clock.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use http::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinSet};

use crate::config::SimConfig;
use crate::model::{Delivery, Sim};
use crate::stats::Stats;

/// Request bodies larger than this close the connection.
const MAX_BODY: usize = 4 << 20;

/// A running simulator on a loopback port (feature `server`, on by
/// default).
///
/// Start it on the current tokio runtime with [`SimServer::start`], or on
/// a thread of its own with [`SimServer::start_blocking`] (for code without
/// tokio). It stops when dropped. Besides the API it answers
/// `GET /_sim/stats` (the [`Stats`] as JSON) and `DELETE /_sim/stats`
/// (clears them); neither needs a token nor counts.
///
/// ```
/// use doapi_sim::{SimConfig, SimServer};
///
/// let server = SimServer::start_blocking(SimConfig::default())?;
/// let url = server.url(); // "http://127.0.0.1:<port>"
/// # assert!(url.starts_with("http://127.0.0.1:"));
/// // ... point a client at `url` ...
/// assert_eq!(server.stats().requests, 0);
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct SimServer {
    addr: SocketAddr,
    url: String,
    sim: Arc<Mutex<Sim>>,
    accept: AbortHandle,
    /// The thread and its stop signal, for `start_blocking`.
    thread: Option<(tokio::sync::oneshot::Sender<()>, JoinHandle<()>)>,
}

impl fmt::Debug for SimServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimServer").field("url", &self.url).finish()
    }
}

impl SimServer {
    /// Starts on 127.0.0.1 on a free port, on the current tokio runtime.
    pub async fn start(config: SimConfig) -> io::Result<SimServer> {
        Self::bind(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts on an address, on the current tokio runtime. The model's
    /// clock is the real one, from now.
    pub async fn bind(mut config: SimConfig, addr: SocketAddr) -> io::Result<SimServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        config.start_time = SystemTime::now();
        let sim = Arc::new(Mutex::new(Sim::new(config, Instant::now())));
        let accept = tokio::spawn(accept_loop(listener, sim.clone())).abort_handle();
        Ok(SimServer {
            url: format!("http://{addr}"),
            addr,
            sim,
            accept,
            thread: None,
        })
    }

    /// Starts on 127.0.0.1 on a free port, on a thread with its own
    /// single-threaded runtime. Works from any thread, async or not.
    pub fn start_blocking(config: SimConfig) -> io::Result<SimServer> {
        let (started, server) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("doapi-sim".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_io()
                    .enable_time()
                    .build();
                let runtime = match runtime {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = started.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let _ = started.send(Self::start(config).await);
                    let _ = stopped.await;
                });
            })?;
        let mut server = server
            .recv()
            .map_err(|_| io::Error::other("the simulator's thread ended"))??;
        server.thread = Some((stop, thread));
        Ok(server)
    }

    /// `http://127.0.0.1:<port>`: the endpoint to give a client.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The statistics so far.
    pub fn stats(&self) -> Stats {
        lock(&self.sim).stats().clone()
    }

    /// Clears the statistics.
    pub fn reset_stats(&self) {
        lock(&self.sim).reset_stats();
    }

    /// Runs `f` on the model, between requests: to look at or change its
    /// state in a test.
    pub fn with_sim<R>(&self, f: impl FnOnce(&mut Sim) -> R) -> R {
        f(&mut lock(&self.sim))
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        self.accept.abort();
        if let Some((stop, thread)) = self.thread.take() {
            let _ = stop.send(());
            let _ = thread.join();
        }
    }
}

fn lock(sim: &Mutex<Sim>) -> MutexGuard<'_, Sim> {
    sim.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Accepts connections until aborted; aborting it ends every connection
/// it started.
async fn accept_loop(listener: TcpListener, sim: Arc<Mutex<Sim>>) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let Ok((stream, _)) = listener.accept().await else {
            // Out of descriptors, say: wait a little rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        connections.spawn(serve(stream, sim.clone()));
    }
}

/// One connection: Nagle off, keep-alive on.
async fn serve(stream: TcpStream, sim: Arc<Mutex<Sim>>) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |req| answer(req, sim.clone()));
    let _ = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// Returned to hyper to close a connection without (or in the middle of)
/// an answer.
#[derive(Debug)]
struct Hangup;

impl fmt::Display for Hangup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by the simulator")
    }
}

impl StdError for Hangup {}

async fn answer(req: Request<Incoming>, sim: Arc<Mutex<Sim>>) -> Result<Response<SimBody>, Hangup> {
    let (parts, body) = req.into_parts();
    let body = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|_| Hangup)?
        .to_bytes();
    let req = Request::from_parts(parts, body);
    if req.uri().path().starts_with("/_sim/") {
        return Ok(control(&req, &sim));
    }
    let served = {
        let mut sim = lock(&sim);
        sim.handle(&req, Instant::now())
    };
    if !served.delay.is_zero() {
        tokio::time::sleep(served.delay).await;
    }
    let (mut parts, body) = served.response.into_parts();
    match served.delivery {
        Delivery::Whole => Ok(Response::from_parts(parts, SimBody::whole(body))),
        Delivery::Truncated if !body.is_empty() => {
            parts.headers.insert(CONTENT_LENGTH, body.len().into());
            let half = Bytes::copy_from_slice(&body[..body.len() / 2]);
            Ok(Response::from_parts(parts, SimBody::cut(half)))
        }
        Delivery::Truncated | Delivery::Dropped => Err(Hangup),
    }
}

/// `/_sim/stats`: read (GET) or clear (DELETE) the statistics.
fn control(req: &Request<Bytes>, sim: &Mutex<Sim>) -> Response<SimBody> {
    let (status, body) = match (req.method(), req.uri().path()) {
        (&Method::GET, "/_sim/stats") => {
            let stats = lock(sim).stats().clone();
            (
                StatusCode::OK,
                serde_json::to_vec(&stats).unwrap_or_default(),
            )
        }
        (&Method::DELETE, "/_sim/stats") => {
            lock(sim).reset_stats();
            (StatusCode::NO_CONTENT, Vec::new())
        }
        _ => (StatusCode::NOT_FOUND, b"{}".to_vec()),
    };
    let mut response = Response::new(SimBody::whole(body));
    *response.status_mut() = status;
    if status != StatusCode::NO_CONTENT {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}

/// A response body: whole, or cut short (then the connection is closed).
struct SimBody {
    data: Option<Bytes>,
    /// For a cut body: a pause after the part (so it is flushed), then
    /// the error that makes hyper close the connection.
    cut: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl SimBody {
    fn whole(body: Vec<u8>) -> Self {
        SimBody {
            data: Some(Bytes::from(body)),
            cut: None,
        }
    }

    fn cut(part: Bytes) -> Self {
        SimBody {
            data: Some(part),
            cut: Some(Box::pin(tokio::time::sleep(Duration::from_millis(10)))),
        }
    }
}

impl Body for SimBody {
    type Data = Bytes;
    type Error = Hangup;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Hangup>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        match &mut self.cut {
            Some(pause) => pause.as_mut().poll(cx).map(|()| Some(Err(Hangup))),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && self.cut.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.data, &self.cut) {
            (Some(d), None) => SizeHint::with_exact(d.len() as u64),
            (None, None) => SizeHint::with_exact(0),
            (_, Some(_)) => SizeHint::default(),
        }
    }
}
