//! Driving a machine with a replay and a fake clock, as an adapter would.

use std::time::{Duration, Instant};

use http::Request;

use crate::error::Error;
use crate::machine::Machine;
use crate::testing::clock::FakeClock;
use crate::testing::replay::{Replay, ReplayError};

/// What one [`Harness::step`] did.
#[derive(Debug)]
pub enum HarnessStep<T> {
    /// The machine yielded an output.
    Output(Result<T, Error>),
    /// A request was sent and answered.
    Exchanged,
    /// Nothing to do until the timeout: the clock jumped to it.
    Slept,
    /// The machine has finished.
    Finished,
}

/// Drives a machine with a [`Replay`] and a [`FakeClock`].
#[derive(Debug)]
pub struct Harness {
    /// The virtual clock.
    pub clock: FakeClock,
    /// The recorded exchanges.
    pub replay: Replay,
    steps: usize,
    max_steps: usize,
}

impl Harness {
    /// A harness over `replay`, with a fresh clock and a limit of 100,000
    /// steps.
    pub fn new(replay: Replay) -> Self {
        Harness {
            clock: FakeClock::new(),
            replay,
            steps: 0,
            max_steps: 100_000,
        }
    }

    /// The same harness with another step limit.
    pub fn with_max_steps(mut self, max_steps: usize) -> Self {
        self.max_steps = max_steps;
        self
    }

    /// The current virtual time: what to give a machine's constructor.
    pub fn now(&self) -> Instant {
        self.clock.now()
    }

    /// Virtual time passed.
    pub fn elapsed(&self) -> Duration {
        self.clock.elapsed()
    }

    /// Every request sent so far.
    pub fn sent(&self) -> &[Request<Vec<u8>>] {
        self.replay.sent()
    }

    /// One step of the calling contract: take an output if there is one,
    /// else send a request and hand over its answer, else jump the clock to
    /// the machine's timeout; else the machine has finished.
    pub fn step<M: Machine>(
        &mut self,
        machine: &mut M,
    ) -> Result<HarnessStep<M::Output>, ReplayError> {
        self.steps += 1;
        if self.steps > self.max_steps {
            return Err(ReplayError::TooManySteps(self.max_steps));
        }
        if let Some(out) = machine.poll_output() {
            return Ok(HarnessStep::Output(out));
        }
        if let Some(req) = machine.poll_request() {
            let (answer, latency) = self.replay.answer(req)?;
            self.clock.advance(latency);
            machine.handle_answer(self.clock.now(), answer);
            return Ok(HarnessStep::Exchanged);
        }
        match machine.poll_timeout() {
            Some(at) => {
                self.clock.jump_to(at);
                machine.handle_timeout(self.clock.now());
                Ok(HarnessStep::Slept)
            }
            None => Ok(HarnessStep::Finished),
        }
    }

    /// Drives the machine until its next output, or `None` once it has
    /// finished.
    pub fn next_output<M: Machine>(
        &mut self,
        machine: &mut M,
    ) -> Result<Option<Result<M::Output, Error>>, ReplayError> {
        loop {
            match self.step(machine)? {
                HarnessStep::Output(out) => return Ok(Some(out)),
                HarnessStep::Finished => return Ok(None),
                HarnessStep::Exchanged | HarnessStep::Slept => {}
            }
        }
    }

    /// Drives the machine to the end and returns its outputs; fails if a
    /// recorded exchange was not played.
    pub fn run<M: Machine>(
        &mut self,
        machine: &mut M,
    ) -> Result<Vec<Result<M::Output, Error>>, ReplayError> {
        let mut outputs = Vec::new();
        while let Some(out) = self.next_output(machine)? {
            outputs.push(out);
        }
        self.replay.finish()?;
        Ok(outputs)
    }
}

/// What [`drive`] saw.
#[derive(Debug)]
pub struct Run<T> {
    /// Every output, in order.
    pub outputs: Vec<Result<T, Error>>,
    /// Every request sent, in order.
    pub sent: Vec<Request<Vec<u8>>>,
    /// The virtual time it took.
    pub elapsed: Duration,
}

/// Drives a machine to the end over `replay` (see [`Harness::run`]). For
/// machines whose constructor takes `now`, use a [`Harness`] and its
/// [`Harness::now`].
pub fn drive<M: Machine>(machine: &mut M, replay: Replay) -> Result<Run<M::Output>, ReplayError> {
    let mut harness = Harness::new(replay);
    let outputs = harness.run(machine)?;
    Ok(Run {
        outputs,
        elapsed: harness.elapsed(),
        sent: harness.replay.sent,
    })
}
