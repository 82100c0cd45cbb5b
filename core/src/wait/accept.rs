//! The acceptors: is a target done, failed, or not yet? Pure functions of
//! the target's state, one per kind of wait.

use crate::error::Error;
use crate::models::{Action, Droplet, DropletStatus};

/// What a droplet wait waits for (doapi's `status=` or `locked=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Until {
    /// The droplet's `status` is this.
    Status(DropletStatus),
    /// The droplet's `locked` is this.
    Locked(bool),
}

/// What an acceptor says of a target's state.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The target is where the wait wants it.
    Done,
    /// Not yet: poll again.
    Pending,
    /// It will never get there: the wait ends with this error.
    Failed(Error),
}

/// A droplet is done when its status, or its lock, is what `until` asks.
pub fn droplet(droplet: &Droplet, until: &Until) -> Verdict {
    let done = match until {
        Until::Status(s) => droplet.status == *s,
        Until::Locked(l) => droplet.locked == *l,
    };
    if done {
        Verdict::Done
    } else {
        Verdict::Pending
    }
}

/// An action is done once it is `completed`; `errored` fails the wait with
/// [`Error::ActionFailed`]. Any other status, `in-progress` or one the
/// client does not know, is pending: a status DigitalOcean adds later is
/// never taken for a success (nor for a failure). The wait goes on until
/// the action ends or the wait's time limit, whose
/// [`Error::WaitTimeout`] carries the action as last seen, unknown status
/// and all.
pub fn action(action: &Action) -> Verdict {
    if action.is_errored() {
        Verdict::Failed(Error::ActionFailed(Box::new(action.clone())))
    } else if action.is_done() {
        Verdict::Done
    } else {
        Verdict::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn droplets_by_status_or_lock() {
        let d: Droplet = serde_json::from_value(json!({
            "id": 1, "name": "d1", "memory": 1024, "vcpus": 1, "disk": 25,
            "locked": true, "status": "new", "created_at": "2020-07-21T18:37:44Z",
            "features": [], "backup_ids": [], "snapshot_ids": [], "volume_ids": [],
            "image": {"id": 63663980, "slug": "ubuntu-24-04-x64"},
            "size": {"slug": "s-1vcpu-1gb", "memory": 1024, "vcpus": 1, "disk": 25, "transfer": 1,
                     "price_monthly": 5, "price_hourly": 0.00744, "regions": ["nyc3"],
                     "available": true, "description": "Basic"},
            "size_slug": "s-1vcpu-1gb", "networks": {"v4": [], "v6": []},
            "region": {"name": "New York 3", "slug": "nyc3", "features": [], "available": true, "sizes": []},
            "tags": [],
        }))
        .expect("a droplet");
        let active = Until::Status(DropletStatus::Active);
        assert_eq!(droplet(&d, &active), Verdict::Pending);
        assert_eq!(
            droplet(&d, &Until::Status(DropletStatus::New)),
            Verdict::Done
        );
        assert_eq!(droplet(&d, &Until::Locked(true)), Verdict::Done);
        assert_eq!(droplet(&d, &Until::Locked(false)), Verdict::Pending);
    }

    #[test]
    fn actions_end_done_or_failed() {
        let a = |status: &str| -> Action {
            serde_json::from_value(json!({"id": 9, "status": status, "type": "reboot"}))
                .expect("an action")
        };
        assert_eq!(action(&a("in-progress")), Verdict::Pending);
        assert_eq!(action(&a("completed")), Verdict::Done);
        let errored = a("errored");
        assert_eq!(
            action(&errored),
            Verdict::Failed(Error::ActionFailed(Box::new(errored.clone())))
        );
        // A status the client does not know is neither a success nor a
        // failure: the wait goes on.
        for unknown in ["paused", "queued", "", "COMPLETED"] {
            assert!(!a(unknown).is_done(), "{unknown:?}");
            assert_eq!(action(&a(unknown)), Verdict::Pending, "{unknown:?}");
        }
    }
}
