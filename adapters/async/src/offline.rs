//! Transports for tests (feature `testing`): the in-process simulator and
//! cassettes, on a virtual clock; and a recorder of real exchanges.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use doapi_core::http::{Request, Response};
use doapi_core::testing::{Offline, Recording, Replay, ReplayError};
use doapi_core::{TransportError, TransportErrorKind};
use doapi_sim::{Sim, SimConfig};
use futures::future::{self, BoxFuture, FutureExt};

use crate::transport::Transport;

/// A transport with no sockets and no sleeping: a simulator or a cassette
/// answers, and time is virtual (a wait of an hour takes no time).
#[derive(Debug)]
pub struct OfflineTransport {
    world: Mutex<Offline>,
}

impl OfflineTransport {
    /// Answers from an in-process [`Sim`] built from `config`.
    pub fn simulator(config: SimConfig) -> Self {
        let origin = Instant::now();
        let mut sim = Sim::new(config, origin);
        OfflineTransport::new(
            Offline::new(move |req, now| {
                let reply = sim.handle(req, now);
                let answer = match reply.delivery {
                    doapi_sim::Delivery::Whole => Ok(reply.response),
                    // Dropped or cut short after the request arrived.
                    _ => Err(TransportErrorKind::Io),
                };
                (answer, reply.delay)
            })
            .starting_at(origin),
        )
    }

    /// Answers from recorded exchanges; see [`Offline::replay`].
    pub fn replay(replay: Replay) -> Self {
        OfflineTransport::new(Offline::replay(replay))
    }

    /// Answers from a cassette file written by a [`Recorder`].
    pub fn cassette(path: impl AsRef<Path>) -> io::Result<Self> {
        let text = std::fs::read_to_string(path)?;
        let replay = Replay::from_cassette(&text)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok(OfflineTransport::replay(replay))
    }

    /// Wraps any offline world.
    pub fn new(world: Offline) -> Self {
        OfflineTransport {
            world: Mutex::new(world),
        }
    }

    /// Virtual time passed since the start.
    pub fn elapsed(&self) -> Duration {
        self.lock().elapsed()
    }

    /// For a replay, fails if some recorded exchanges were never sent.
    pub fn finish(&self) -> Result<(), ReplayError> {
        self.lock().finish()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Offline> {
        // A poisoned lock only means a test already panicked.
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Transport for OfflineTransport {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response<Vec<u8>>, TransportError>> {
        let answer = self.lock().send(request).map_err(|kind| TransportError {
            kind,
            message: "offline transport".into(),
        });
        future::ready(answer).boxed()
    }

    fn now(&self) -> Instant {
        self.lock().now()
    }

    fn sleep_until(&self, at: Instant) -> BoxFuture<'_, ()> {
        self.lock().sleep_until(at);
        future::ready(()).boxed()
    }
}

/// Wraps a transport and appends every exchange to a cassette (JSON lines):
/// method, URL, JSON body, status, headers and body. Request headers are
/// never written, so the token never is. Replay it with
/// [`OfflineTransport::cassette`].
pub struct Recorder<T> {
    inner: T,
    file: Mutex<File>,
}

impl<T: Transport> Recorder<T> {
    /// Records what `inner` sends and receives into `path` (created or
    /// truncated).
    pub fn new(inner: T, path: impl AsRef<Path>) -> io::Result<Self> {
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(path)?;
        Ok(Recorder {
            inner,
            file: Mutex::new(file),
        })
    }

    async fn record(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let recording = Recording::start(&request, self.inner.now());
        let result = self.inner.send(request).await;
        let line = recording.line(&result, self.inner.now());
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = writeln!(file, "{line}") {
            tracing::warn!(error = %e, "could not write to the cassette");
        }
        result
    }
}

impl<T> std::fmt::Debug for Recorder<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recorder")
    }
}

impl<T: Transport> Transport for Recorder<T> {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response<Vec<u8>>, TransportError>> {
        Box::pin(self.record(request))
    }

    fn now(&self) -> Instant {
        self.inner.now()
    }

    fn sleep_until(&self, at: Instant) -> BoxFuture<'_, ()> {
        self.inner.sleep_until(at)
    }
}
