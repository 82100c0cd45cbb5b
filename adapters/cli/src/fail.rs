//! How a command fails: one line on stderr and a documented exit code.

use std::fmt;
use std::io;
use std::process::ExitCode;

use doapi_blocking::{text, Error};

/// Exit code: DigitalOcean (or whatever answers at the endpoint) answered
/// with an error or an answer the client refused, or could not be reached:
/// anything the server or the network caused.
pub const EXIT_API: u8 = 1;
/// Exit code: bad arguments or input: only what the user gave.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: a wait ran out of time.
pub const EXIT_TIMEOUT: u8 = 3;
/// Exit code: an action waited on ended `errored`.
pub const EXIT_ACTION_FAILED: u8 = 4;
/// Exit code: interrupted during a wait.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Why a command stopped.
#[derive(Debug)]
pub enum Fail {
    /// The client's error (the API, the network, a refused argument, a wait).
    Client(Error),
    /// Bad input the client never saw: an unknown name, bad JSON, no token.
    Usage(String),
    /// A wait ran out of time; the states were printed.
    Timeout(String),
    /// Ctrl-C during a wait; the states were printed.
    Interrupted(String),
    /// stdout could not be written.
    Output(io::Error),
    /// A failure, with what the command was doing and had done.
    Context(String, Box<Fail>),
}

impl Fail {
    /// A usage failure.
    pub fn usage(message: impl Into<String>) -> Fail {
        Fail::Usage(message.into())
    }

    /// The same failure, saying what the command was doing.
    pub fn after(self, doing: impl Into<String>) -> Fail {
        Fail::Context(doing.into(), Box::new(self))
    }

    /// The exit code, or `None` when nothing is to be reported (the reader
    /// of stdout went away). Of the client's errors only
    /// [`Error::Request`], a request refused before it was sent because of
    /// what the user gave, is a usage error; a next link the server sent
    /// and the client refused is [`Error::BadNext`], the server's doing.
    pub fn exit_code(&self) -> Option<u8> {
        Some(match self {
            Fail::Client(e) => match e {
                Error::Request(_) => EXIT_USAGE,
                Error::WaitTimeout(_) => EXIT_TIMEOUT,
                Error::Cancelled(_) => EXIT_INTERRUPTED,
                Error::ActionFailed(_) | Error::ResourceFailed(_) => EXIT_ACTION_FAILED,
                _ => EXIT_API,
            },
            Fail::Usage(_) => EXIT_USAGE,
            Fail::Timeout(_) => EXIT_TIMEOUT,
            Fail::Interrupted(_) => EXIT_INTERRUPTED,
            Fail::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => return None,
            Fail::Output(_) => EXIT_API,
            Fail::Context(_, inner) => return inner.exit_code(),
        })
    }

    /// Prints the failure as one line on stderr, made safe (control
    /// characters escaped, capped, the token sent, `secret`, replaced), and
    /// gives the exit code.
    pub fn report(self, secret: Option<&str>) -> ExitCode {
        match self.exit_code() {
            None => ExitCode::SUCCESS,
            Some(code) => {
                eprintln!("doapi: {}", text::line(&self.to_string(), secret));
                ExitCode::from(code)
            }
        }
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fail::Client(e) => write!(f, "{e}"),
            Fail::Usage(m) | Fail::Timeout(m) | Fail::Interrupted(m) => f.write_str(m),
            Fail::Output(e) => write!(f, "cannot write the output: {e}"),
            Fail::Context(doing, inner) => write!(f, "{doing}: {inner}"),
        }
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail::Client(e)
    }
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Fail {
        Fail::Output(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use doapi_blocking::RequestError;

    #[test]
    fn codes_follow_the_kind_of_failure() {
        let refused = Fail::Client(Error::Request(RequestError::Empty { what: "name" }));
        assert_eq!(refused.exit_code(), Some(EXIT_USAGE));
        // A next link the server sent is the server's doing.
        let next = RequestError::InvalidUrl {
            url: "x".into(),
            reason: "not a URL".into(),
        };
        assert_eq!(
            Fail::Client(Error::BadNext(next)).exit_code(),
            Some(EXIT_API)
        );
        assert_eq!(Fail::usage("x").exit_code(), Some(EXIT_USAGE));
        let cancelled = Fail::Client(Error::Cancelled(Box::default()));
        assert_eq!(cancelled.exit_code(), Some(EXIT_INTERRUPTED));
        let timeout = Fail::Client(Error::WaitTimeout(Box::default()));
        assert_eq!(timeout.exit_code(), Some(EXIT_TIMEOUT));
        let pipe = Fail::Output(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(pipe.exit_code(), None);
    }

    #[test]
    fn messages_are_one_safe_line() {
        let fail = Fail::usage("a\nb\x1b[2J dop_v1_tok").after("doing");
        let line = text::line(&fail.to_string(), Some("dop_v1_tok"));
        assert_eq!(line, r"doing: a\nb\u{1b}[2J <redacted>");
    }
}
