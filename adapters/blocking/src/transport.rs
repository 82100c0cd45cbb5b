//! How requests travel: the [`Transport`] trait and the real one, over ureq.

use std::fmt;
use std::io;
use std::time::{Duration, Instant};

use doapi_core::http::{Request, Response};
use doapi_core::{Limits, TransportError, TransportErrorKind};

/// Moves requests and tells the time: the only I/O the client does.
///
/// [`UreqTransport`] is the real one. With the `testing` feature,
/// [`OfflineTransport`](crate::OfflineTransport) answers from the
/// in-process simulator or a cassette on a virtual clock, and
/// [`Recorder`](crate::Recorder) writes real exchanges to a cassette.
pub trait Transport: Send + Sync {
    /// Sends one request and reads the whole response, whatever its status.
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>;

    /// The current time of this transport's clock.
    fn now(&self) -> Instant {
        Instant::now()
    }

    /// Sleeps until `at`, or until `interrupted()` turns true (checked at
    /// least every 50 ms). Returns `false` if interrupted.
    fn sleep_until(&self, at: Instant, interrupted: &dyn Fn() -> bool) -> bool {
        const SLICE: Duration = Duration::from_millis(50);
        loop {
            if interrupted() {
                return false;
            }
            let left = at.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(SLICE));
        }
    }
}

/// The real transport: a ureq agent (rustls, keep-alive), statuses passed
/// through as responses so error bodies reach the core.
pub struct UreqTransport {
    agent: ureq::Agent,
    limits: Limits,
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqTransport")
            .field("limits", &self.limits)
            .finish()
    }
}

impl UreqTransport {
    /// A transport with these limits.
    pub fn new(limits: Limits) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_resolve(Some(limits.connect_timeout))
            .timeout_connect(Some(limits.connect_timeout))
            .timeout_send_request(Some(limits.read_timeout))
            .timeout_send_body(Some(limits.read_timeout))
            .timeout_recv_response(Some(limits.read_timeout))
            .timeout_recv_body(Some(limits.read_timeout))
            .timeout_per_call(Some(limits.request_timeout))
            .build()
            .new_agent();
        UreqTransport { agent, limits }
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        UreqTransport::new(Limits::default())
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let response = self.agent.run(request).map_err(classify)?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(self.limits.max_body)
            .read_to_vec()
            .map_err(classify)?;
        Ok(Response::from_parts(parts, bytes))
    }
}

/// Sorts ureq's errors by whether the request may have been sent.
fn classify(e: ureq::Error) -> TransportError {
    use ureq::Timeout as T;
    let kind = match &e {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed | ureq::Error::Tls(_) => {
            TransportErrorKind::Connect
        }
        ureq::Error::Timeout(T::Resolve | T::Connect) => TransportErrorKind::Connect,
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::Io(io) if is_connect_failure(io) => TransportErrorKind::Connect,
        _ => TransportErrorKind::Io,
    };
    TransportError {
        kind,
        message: e.to_string(),
    }
}

fn is_connect_failure(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::AddrNotAvailable
    )
}

/// A shared transport: a test can keep a handle on the transport it gives
/// the client (to read an offline transport's virtual time, say).
impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        (**self).send(request)
    }
    fn now(&self) -> Instant {
        (**self).now()
    }
    fn sleep_until(&self, at: Instant, interrupted: &dyn Fn() -> bool) -> bool {
        (**self).sleep_until(at, interrupted)
    }
}
