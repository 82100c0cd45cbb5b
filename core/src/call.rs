//! One operation, one request, retried under the configuration's
//! [`RetryPolicy`](crate::machine::retry::RetryPolicy).

use std::time::Instant;

use http::Request;

use crate::config::Config;
use crate::endpoint::decode::Decoded;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::machine::request::RetriedRequest;
use crate::machine::{Answer, Machine};

/// One operation as a [`Machine`]: sends its request, retries it as the
/// configuration's [`RetryPolicy`](crate::machine::retry::RetryPolicy) says, and yields the decoded response or the error, once.
///
/// ```
/// use std::time::Instant;
/// use doapi_core::{Call, Config, Machine, Token, endpoints::GetAction};
///
/// let config = Config::new(Token::new("my-token")?);
/// let mut call = Call::new(&config, GetAction { id: 36804636 });
/// let req = call.poll_request().expect("one request");
/// assert_eq!(req.uri(), "https://api.digitalocean.com/v2/actions/36804636");
/// let body = br#"{"action": {"id": 36804636, "status": "completed", "type": "reboot"}}"#;
/// let resp = http::Response::builder().status(200).body(body.to_vec())?;
/// call.handle_response(Instant::now(), resp);
/// let action = call.poll_output().expect("finished")?.value;
/// assert!(action.is_completed());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Call<E: Endpoint> {
    op: E,
    send: Option<RetriedRequest>,
    attempts: u32,
    out: Option<Result<Decoded<E::Output>, Error>>,
}

impl<E: Endpoint> Call<E> {
    /// The call of `op` under the configuration's retry policy. A request
    /// that cannot be built (the operation fails validation) becomes the
    /// call's only output, and nothing is sent.
    pub fn new(config: &Config, op: E) -> Self {
        let (send, out) = match config.request(&op) {
            Ok(req) => (Some(RetriedRequest::new(req, &config.retry)), None),
            Err(e) => (None, Some(Err(e.into()))),
        };
        Call {
            op,
            send,
            attempts: 0,
            out,
        }
    }

    /// The operation.
    pub fn endpoint(&self) -> &E {
        &self.op
    }

    /// How many times the request has been sent so far.
    pub fn attempts(&self) -> u32 {
        self.send
            .as_ref()
            .map_or(self.attempts, RetriedRequest::attempts)
    }
}

impl<E: Endpoint> Machine for Call<E> {
    type Output = Decoded<E::Output>;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        self.send.as_mut()?.poll_request()
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        let Some(send) = &mut self.send else {
            return;
        };
        if let Some(result) = send.handle(now, answer) {
            self.attempts = send.attempts();
            self.send = None;
            self.out = Some(result.and_then(|resp| self.op.parse(&resp)));
        }
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.send.as_ref()?.poll_timeout()
    }

    fn handle_timeout(&mut self, now: Instant) {
        if let Some(send) = &mut self.send {
            send.handle_timeout(now);
        }
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.out.take()
    }
}
