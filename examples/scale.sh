#!/usr/bin/env bash
# A service at scale (examples/scale.rs) on the release doapi-sim binary:
# prints one JSON line per run and a table, and fails (exit 1) unless
#
#   * 100 tasks of one async client, and 100 threads of one blocking
#     client, each creating its own droplet and waiting until it is active
#     (boot delay 10 s, the simulator's default limit of 250 a minute),
#     all succeed with no 429, and the waiting costs at most 2 requests a
#     polling round in all;
#   * a service mix (20 tasks listing every droplet in a loop, 50 creating
#     and waiting on droplets, 10 acting on droplets) runs MIX_SECS seconds
#     (default 120) under the same limit with no 429 and no failed wait;
#   * listing 10,000 droplets with 100 ms of latency a request takes at
#     most 1.0 s with each client;
#   * each client's peak memory listing 100,000 droplets (same latency) is
#     within 1.5x of listing 10,000.
#
# Usage (about 4.5 minutes once built; the release build adds about 3 minutes
# on 2 cores from scratch):
#
#   examples/scale.sh
#
# Environment: SCALE_OUT (where the JSON lines go, default target/scale),
# MIX_SECS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out="${SCALE_OUT:-$repo/target/scale}"
mix_secs="${MIX_SECS:-120}"
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.out "$out"/*.err

# shellcheck source=adapters/sim/ci/start_sim.sh
. "$repo/adapters/sim/ci/start_sim.sh"

cd "$repo"
cargo build --release -p doapi-sim -p doapi-examples --bin doapi-sim --example scale
target="${CARGO_TARGET_DIR:-$repo/target}"
sim_bin="$target/release/doapi-sim"
scale="$target/release/examples/scale"
trap stop_sim EXIT

# run NAME "SIM FLAGS" SCALE ARGS...: a fresh simulator, one run.
run() {
  local name="$1" flags="$2"
  shift 2
  # shellcheck disable=SC2086
  if ! start_sim "$sim_bin" "$out/sim-$name" $flags; then
    echo "scale.sh: FAIL: doapi-sim ($name) did not start" >&2
    exit 1
  fi
  local rc=0
  "$scale" --endpoint "$sim_url" "$@" >"$out/$name.json" 2>"$out/$name.err" || rc=$?
  echo "  $name: exit $rc $(cat "$out/$name.json")" >&2
  stop_sim
}

latency="--rate-per-minute 0 --rate-per-hour 0 --fault latency,ms=100"
run waits-async "--boot-delay 10" --client async --n 100 waits
run waits-blocking "--boot-delay 10" --client blocking --n 100 waits
run list-10k-async "$latency --seed-droplets 10000" --client async list
run list-10k-blocking "$latency --seed-droplets 10000" --client blocking list
big="$latency --seed-droplets 100000 --droplet-limit 200000"
run list-100k-async "$big" --client async --unlimited list
run list-100k-blocking "$big" --client blocking --unlimited list
run mix "--boot-delay 5 --action-delay 2 --seed-droplets 500" --secs "$mix_secs" mix

python3 - "$out" <<'PY' | tee "$out/summary.txt"
import json, os, sys

out = sys.argv[1]


def load(name):
    try:
        with open(os.path.join(out, name + ".json")) as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError) as e:
        return {"ok": False, "error": str(e)}


failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


print("| run | ok | requests | 429s | seconds | detail |")
print("|---|---|---|---|---|---|")
for name in ("waits-async", "waits-blocking"):
    r = load(name)
    print("| %s | %s | %s | %s | %s | %s polls in %s rounds (%s a round), waiting %s s |" % (
        name, r.get("ok"), r.get("requests"), r.get("429"), r.get("seconds"),
        r.get("polls"), r.get("rounds"), r.get("polls_per_round"), r.get("waiting_seconds")))
    check(r.get("ok") and r.get("ok") is True, "%s: not every wait succeeded: %s" % (name, r.get("errors") or r.get("error")))
    check(r.get("429") == 0, "%s: %s x 429" % (name, r.get("429")))
    check((r.get("polls_per_round") or 99) <= 2, "%s: %s polls a round" % (name, r.get("polls_per_round")))
peaks = {}
for size in ("10k", "100k"):
    for client in ("async", "blocking"):
        name = "list-%s-%s" % (size, client)
        r = load(name)
        peaks[(size, client)] = r.get("peak_rss_kb") or 0
        print("| %s | %s | %s | - | %s | %s droplets, peak RSS %.1f MB |" % (
            name, r.get("ok"), r.get("requests"), r.get("seconds"), r.get("droplets"),
            (r.get("peak_rss_kb") or 0) / 1024.0))
        check(r.get("ok") is True, "%s: %s" % (name, r.get("error")))
        if size == "10k":
            check((r.get("seconds") or 99) <= 1.0, "%s: %s s" % (name, r.get("seconds")))
for client in ("async", "blocking"):
    small, big = peaks[("10k", client)], peaks[("100k", client)]
    check(small and big <= 1.5 * small, "%s: peak RSS %s kB at 100,000 against %s kB at 10,000" % (client, big, small))
r = load("mix")
print("| mix | %s | %s | %s | %s | %s listings, %s waits, %s actions ended, %s errors, %s requests a minute |" % (
    r.get("ok"), r.get("requests"), r.get("429"), r.get("seconds"), r.get("listings"),
    r.get("waits_ended"), r.get("actions_ended"), r.get("errors"), r.get("requests_per_minute")))
check(r.get("ok") is True, "mix: %s errors %s" % (r.get("errors"), r.get("error")))
check(r.get("429") == 0, "mix: %s x 429" % r.get("429"))
check((r.get("waits_ended") or 0) > 0 and (r.get("actions_ended") or 0) > 0, "mix: no wait ended")
for f in failures:
    print("scale.sh: FAIL: " + f, file=sys.stderr)
sys.exit(1 if failures else 0)
PY
