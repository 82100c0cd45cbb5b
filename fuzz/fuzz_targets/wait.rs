#![no_main]
//! Drives the waits (droplets by id and by value, actions, and
//! `wait_for_action`) with arbitrary statuses, headers, bodies, clock jumps
//! and cancels: every run must end, within a bounded number of steps,
//! without a panic, and yield each target at most once.

mod drive;

use std::time::Duration;

use doapi_core::models::DropletStatus;
use doapi_core::testing::FakeClock;
use doapi_core::{
    Cancel, Config, RetryPolicy, Token, Until, WaitActions, WaitDroplets, WaitForAction,
};
use drive::Bytes;
use libfuzzer_sys::fuzz_target;

const CANCEL: u8 = 0xCA;

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes::new(data);
    let Ok(token) = Token::new("fuzz-token") else {
        return;
    };
    let mut config = Config::new(token);
    config.wait_time = Some(Duration::from_secs(600));
    let kind = b.byte().unwrap_or(0) % 4;
    config.retry = RetryPolicy::default().with_seed(u64::from(b.byte().unwrap_or(0)));
    let mut clock = FakeClock::new();
    let now = clock.now();
    match kind {
        0 | 1 => {
            let until = if kind == 0 {
                Until::Status(DropletStatus::Active)
            } else {
                Until::Locked(false)
            };
            let mut wait = WaitDroplets::droplet_ids(&config, [1, 2, 3], until, now);
            if b.byte().unwrap_or(0) % 2 == 0 {
                wait = wait.with_tag("t");
            }
            let n = drive::run(&mut wait, &mut b, &config, &mut clock, |w, c| {
                if c == CANCEL {
                    w.handle_cancel();
                }
            });
            assert!(n <= 3 + 1);
        }
        2 => {
            let mut wait = WaitActions::action_ids(&config, [1, 2, 4], now);
            let n = drive::run(&mut wait, &mut b, &config, &mut clock, |w, c| {
                if c == CANCEL {
                    w.handle_cancel();
                }
            });
            assert!(n <= 3 + 1);
        }
        _ => {
            let mut wait = WaitForAction::droplet(&config, 1, now);
            let n = drive::run(&mut wait, &mut b, &config, &mut clock, |w, c| {
                if c == CANCEL {
                    w.handle_cancel();
                }
            });
            assert!(n <= 1);
        }
    }
});
