//! Running a wait for the command line: each object printed as it
//! finishes, progress on a terminal, Ctrl-C and the time limit ending it
//! with the states printed.

use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use doapi_blocking::models::Action;
use doapi_blocking::{
    Cancel, CancelFlag, Error, Resource, Target, TargetState, WaitIter, WaitStates,
};
use serde::Serialize;
use signal_hook::consts::SIGINT;

use crate::fail::Fail;
use crate::out::Out;

/// Runs `wait` over `total` targets, printing each finished one.
pub fn run<M>(out: &mut Out, wait: WaitIter<M>, total: usize, what: &str) -> Result<(), Fail>
where
    M: Cancel,
    M::Output: Serialize,
{
    let interrupted = CancelFlag::default();
    let _sigint = SigintGuard::arm(&interrupted);
    let done = Arc::new(AtomicUsize::new(0));
    let _progress = Progress::start(done.clone(), total, what);
    let start = Instant::now();

    let mut list = out.list();
    for item in wait.cancel_on(interrupted) {
        match item {
            Ok(v) => {
                list.item(&v)?;
                done.fetch_add(1, Ordering::Relaxed);
            }
            Err(Error::WaitTimeout(states)) => {
                list.items(states.pending.iter().map(state_json))?;
                list.end()?;
                let secs = start.elapsed().as_secs_f64();
                return Err(Fail::Timeout(format!(
                    "the wait ran out of time after {secs:.1} s: {}",
                    summary(&states)
                )));
            }
            Err(Error::Cancelled(states)) => {
                list.items(states.pending.iter().map(state_json))?;
                list.end()?;
                return Err(Fail::Interrupted(format!(
                    "interrupted: {}",
                    summary(&states)
                )));
            }
            Err(e) => {
                list.end()?;
                return Err(e.into());
            }
        }
    }
    list.end()
}

/// How many pending targets the error line names; stdout has them all.
const NAMED: usize = 10;

/// `3 of 5 finished; still pending: 11, 12` (the pending objects were
/// printed last, as last seen).
fn summary(states: &WaitStates) -> String {
    let total = states.finished.len() + states.pending.len();
    let mut pending: Vec<String> = states.pending.iter().take(NAMED).map(label).collect();
    if states.pending.len() > NAMED {
        pending.push(format!("and {} more", states.pending.len() - NAMED));
    }
    format!(
        "{} of {total} finished; still pending: {}",
        states.finished.len(),
        pending.join(", ")
    )
}

fn label(state: &TargetState) -> String {
    match &state.target {
        Target::Droplet(id) | Target::Action(id) | Target::Image(id) => id.to_string(),
        Target::FloatingIp(ip) => ip.to_string(),
        other => other.to_string(),
    }
}

/// What a wait last showed of a target, as it is printed (like the
/// finished ones): its action or the resource, or its id (a floating IP's
/// address) when it was never seen.
#[derive(Serialize)]
#[serde(untagged)]
enum StateJson<'a> {
    Action(&'a Action),
    Resource(&'a Resource),
    Id { id: u64 },
    Ip { ip: IpAddr },
    Label(String),
}

fn state_json(state: &TargetState) -> StateJson<'_> {
    if let Some(a) = &state.action {
        return StateJson::Action(a);
    }
    if let Some(r) = &state.resource {
        return StateJson::Resource(r);
    }
    match state.target {
        Target::Droplet(id) | Target::Action(id) | Target::Image(id) => StateJson::Id { id },
        Target::FloatingIp(ip) => StateJson::Ip { ip },
        ref other => StateJson::Label(other.to_string()),
    }
}

/// While armed, SIGINT sets the wait's flag instead of killing the
/// process; a second SIGINT kills it at once, with 130.
struct SigintGuard(Vec<signal_hook::SigId>);

impl SigintGuard {
    fn arm(flag: &CancelFlag) -> SigintGuard {
        let mut ids = Vec::new();
        // The order matters: the exit check runs before the flag is set.
        if let Ok(id) = signal_hook::flag::register_conditional_shutdown(SIGINT, 130, flag.clone())
        {
            ids.push(id);
        }
        if let Ok(id) = signal_hook::flag::register(SIGINT, flag.clone()) {
            ids.push(id);
        }
        SigintGuard(ids)
    }
}

impl Drop for SigintGuard {
    fn drop(&mut self) {
        for id in self.0.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// The progress line on stderr, redrawn twice a second while stderr is a
/// terminal; nothing otherwise.
struct Progress {
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Progress {
    fn start(done: Arc<AtomicUsize>, total: usize, what: &str) -> Progress {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::io::stderr().is_terminal().then(|| {
            let stop = stop.clone();
            let what = what.to_owned();
            thread::spawn(move || {
                let start = Instant::now();
                let mut err = std::io::stderr();
                for tick in 0u64.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    if tick % 10 == 0 {
                        let n = done.load(Ordering::Relaxed);
                        let secs = start.elapsed().as_secs();
                        let _ = write!(
                            err,
                            "\r\x1b[2Kwaiting for {what}: {n} of {total} done, {secs} s"
                        );
                        let _ = err.flush();
                    }
                    thread::sleep(Duration::from_millis(50));
                }
                let _ = write!(err, "\r\x1b[2K");
                let _ = err.flush();
            })
        });
        Progress { stop, thread }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_the_pending_targets() {
        let states = WaitStates {
            finished: vec![TargetState::unseen(Target::Droplet(1))],
            pending: vec![
                TargetState::unseen(Target::Droplet(2)),
                TargetState::unseen(Target::Droplet(3)),
            ],
        };
        assert_eq!(summary(&states), "1 of 3 finished; still pending: 2, 3");
        let many = WaitStates {
            finished: Vec::new(),
            pending: (1..=12)
                .map(|id| TargetState::unseen(Target::Droplet(id)))
                .collect(),
        };
        assert_eq!(
            summary(&many),
            "0 of 12 finished; still pending: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, and 2 more"
        );
        let json = serde_json::to_value(state_json(&states.pending[0])).expect("json");
        assert_eq!(json, serde_json::json!({"id": 2}));
    }
}
