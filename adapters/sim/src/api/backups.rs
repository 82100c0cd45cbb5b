//! Droplet backup policies: the policy a create or an action sets, each
//! droplet's policy, every droplet's, and the plans on offer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cloud::Cloud;
use crate::resources::{BackupPolicy, BackupWindow, Droplet};
use crate::wire::{one, page_with, ApiError, ApiResult, Ctx};

const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const HOURS: [u8; 6] = [0, 4, 8, 12, 16, 20];
/// Every backup window lasts this long.
const WINDOW_HOURS: u8 = 4;

/// A backup policy as a body gives it; what is left out takes
/// DigitalOcean's default (weekly, Sunday, midnight).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PolicyBody {
    plan: Option<String>,
    weekday: Option<String>,
    hour: Option<u8>,
}

/// The policy a body asks for, or why it is refused.
pub(crate) fn policy(body: Option<PolicyBody>) -> Result<BackupPolicy, ApiError> {
    let body = body.unwrap_or_default();
    let bad = |what: &str| ApiError::unprocessable(format!("invalid backup policy: {what}"));
    let (plan, retention) = match body.plan.as_deref().unwrap_or("weekly") {
        "daily" => ("daily", 7),
        "weekly" => ("weekly", 28),
        _ => return Err(bad("plan must be daily or weekly")),
    };
    let weekday = match body.weekday.as_deref() {
        _ if plan == "daily" => None,
        None => Some(WEEKDAYS[0]),
        Some(w) => Some(
            *WEEKDAYS
                .iter()
                .find(|d| **d == w)
                .ok_or_else(|| bad("weekday"))?,
        ),
    };
    let hour = body.hour.unwrap_or(0);
    if !HOURS.contains(&hour) {
        return Err(bad("hour must be 0, 4, 8, 12, 16 or 20"));
    }
    Ok(BackupPolicy {
        plan,
        weekday,
        hour,
        window_length_hours: WINDOW_HOURS,
        retention_period_days: retention,
    })
}

/// One droplet's backup settings.
#[derive(Serialize)]
struct Record<'a> {
    droplet_id: u64,
    backup_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    backup_policy: Option<&'a BackupPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_backup_window: Option<&'a BackupWindow>,
}

fn record(d: &Droplet) -> Record<'_> {
    Record {
        droplet_id: d.id,
        backup_enabled: d.has_feature("backups"),
        backup_policy: d.backup_policy.as_ref(),
        next_backup_window: d.next_backup_window.as_ref(),
    }
}

#[derive(Serialize)]
struct Supported {
    name: &'static str,
    possible_window_starts: [u8; 6],
    window_length_hours: u8,
    retention_period_days: u8,
    possible_days: &'static [&'static str],
}

impl Cloud {
    pub(crate) fn get_backup_policy(&mut self, ctx: &Ctx) -> ApiResult {
        one(200, "policy", &record(self.droplet(ctx.id(0)?)?))
    }

    /// Every droplet's backup settings, a page of the droplet index, as an
    /// object keyed by droplet id.
    pub(crate) fn list_backup_policies(&mut self, ctx: &Ctx) -> ApiResult {
        let ids = self.st.droplet_index.ids(None);
        page_with(ctx, "policies", ids.len(), |range| {
            ids[range]
                .iter()
                .filter_map(|id| self.st.droplets.get(id))
                .map(|d| (d.id.to_string(), record(d)))
                .collect::<BTreeMap<_, _>>()
        })
    }

    pub(crate) fn list_supported_backup_policies(&mut self, _ctx: &Ctx) -> ApiResult {
        let plans = [("weekly", 28, &WEEKDAYS[..]), ("daily", 7, &[][..])].map(
            |(name, retention_period_days, possible_days)| Supported {
                name,
                possible_window_starts: HOURS,
                window_length_hours: WINDOW_HOURS,
                retention_period_days,
                possible_days,
            },
        );
        one(200, "supported_policies", &plans)
    }
}
