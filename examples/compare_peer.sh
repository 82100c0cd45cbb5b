#!/usr/bin/env bash
# Compares doapi-blocking with the original Python doapi 0.2.0
# (shared/tools/peer/doapi_scenarios.py) on the release doapi-sim binary,
# prints a table and fails (exit 1) unless:
#
#   * waiting for 100 new droplets costs at least 20x fewer requests than
#     doapi's wait_droplets (the GETs of the wait, creates not counted);
#   * listing 10,000 droplets takes at least 5x less wall time than doapi's
#     fetch_all_droplets;
#   * our peak RSS listing 100,000 droplets is within 1.5x of listing 10,000;
#   * every run with the rate limit off ends ok, for both clients, and ours
#     ends ok, without a 429, under the simulator's default limit.
#
# With the simulator's limit off, our client's rate budget is off too
# (--requests-per-minute 0), as the peer has none; under the default limit
# it keeps its default budget (250 a minute).
#
# The same create/wait scenario also runs once with the simulator's default
# rate limit (250 a minute, 5000 an hour) to show what each client does with
# it; doapi's outcome there is reported, not checked.
#
# Usage, as root on a fresh machine with a Rust toolchain (about 75 s once
# built, most of it doapi listing 100,000 droplets twice, in its untimed
# setup and in the timed phase; the release build adds about 3 minutes on
# 2 cores from scratch):
#
#   examples/compare_peer.sh
#
# Environment: DOAPI_SHARED (default <repo>/../shared), PEER_VENV (default
# /tmp/peer-venv, shared with adapters/sim/ci/peer.sh), COMPARE_OUT (where
# the JSON lines go, default target/compare_peer), BOOT_DELAY (default 1 s),
# WAIT_INTERVAL (default 0.25 s, the peer's default).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
shared="${DOAPI_SHARED:-$repo/../shared}"
peer="$shared/tools/peer/doapi_scenarios.py"
if [ ! -f "$peer" ]; then
  echo "compare_peer.sh: FAIL: $peer not found (set DOAPI_SHARED)" >&2
  exit 1
fi
boot_delay="${BOOT_DELAY:-1}"
interval="${WAIT_INTERVAL:-0.25}"
n_wait=100
n_small=10000
n_big=100000
out="${COMPARE_OUT:-$repo/target/compare_peer}"
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.rss "$out"/*.err "$out"/*.log

# shellcheck source=adapters/sim/ci/peer_venv.sh
. "$repo/adapters/sim/ci/peer_venv.sh"
# shellcheck source=adapters/sim/ci/start_sim.sh
. "$repo/adapters/sim/ci/start_sim.sh"
py="$venv/bin/python"

cd "$repo"
script_start=$(date +%s)
cargo build --release -p doapi-sim -p doapi-examples --bin doapi-sim --example compare_peer
target="${CARGO_TARGET_DIR:-$repo/target}"
sim_bin="$target/release/doapi-sim"
ours_bin="$target/release/examples/compare_peer"

sims=()
stop_sims() {
  local pid
  for pid in "${sims[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  sims=()
}
trap stop_sims EXIT

# sim_for NAME FLAGS...: starts doapi-sim on a free port; sets $url.
sim_for() {
  local name="$1"
  shift
  if ! start_sim "$sim_bin" "$out/sim-$name" --boot-delay "$boot_delay" "$@"; then
    echo "compare_peer.sh: FAIL: doapi-sim ($name) did not start" >&2
    exit 1
  fi
  sims+=("$sim_pid")
  url="$sim_url"
}

# Peak memory is each client's own VmHWM (peak resident set) at its exit:
# ours reports it in its JSON line (peak_rss_kb); the peer runs in-process
# under this wrapper, which writes it to NAME.rss. (getrusage of a child
# would count the wrapper's pre-exec memory and hide ours.)
peer_wrapper='
import atexit, runpy, sys
rss_file = sys.argv[1]
sys.argv = sys.argv[2:]
def peak():
    with open("/proc/self/status") as f:
        kb = next((l.split()[1] for l in f if l.startswith("VmHWM:")), "")
    with open(rss_file, "w") as f:
        f.write(kb)
atexit.register(peak)
runpy.run_path(sys.argv[0], run_name="__main__")'

# run NAME CMD...: one JSON line to NAME.json, stderr to NAME.err.
run() {
  local name="$1"
  shift
  local rc=0
  "$@" >"$out/$name.json" 2>"$out/$name.err" || rc=$?
  echo "  $name: exit $rc" >&2
}
peer_run() {
  local name="$1" token="$2"
  shift 2
  run "$name" "$py" -c "$peer_wrapper" "$out/$name.rss" "$peer" \
    --endpoint "$url" --token "$token" --wait-interval "$interval" "$@"
}
ours_run() {
  local name="$1" token="$2"
  shift 2
  run "$name" "$ours_bin" --endpoint "$url" --token "$token" --wait-interval "$interval" "$@"
}

started=$(date +%s)
echo "compare_peer.sh: create $n_wait droplets and wait (rate limit off)" >&2
sim_for wait --rate-per-minute 0 --rate-per-hour 0
peer_run peer-wait peer-token create_many_wait --n "$n_wait"
ours_run ours-wait ours-token create_many_wait --n "$n_wait" --requests-per-minute 0
stop_sims

echo "compare_peer.sh: list $n_small droplets (rate limit off)" >&2
sim_for list-small --rate-per-minute 0 --rate-per-hour 0 --seed-droplets "$n_small"
peer_run peer-list-small peer-token paginate_big --n "$n_small"
ours_run ours-list-small ours-token paginate_big --n "$n_small" --requests-per-minute 0
stop_sims

echo "compare_peer.sh: list $n_big droplets (rate limit off)" >&2
sim_for list-big --rate-per-minute 0 --rate-per-hour 0 --seed-droplets "$n_big" --droplet-limit $((2 * n_big))
peer_run peer-list-big peer-token paginate_big --n "$n_big"
ours_run ours-list-big ours-token paginate_big --n "$n_big" --requests-per-minute 0
stop_sims

echo "compare_peer.sh: create $n_wait droplets and wait (default rate limit, 250/min, 5000/h; one token each)" >&2
sim_for limited
peer_run peer-wait-limited peer-limited create_many_wait --n "$n_wait"
ours_run ours-wait-limited ours-limited create_many_wait --n "$n_wait"
stop_sims
trap - EXIT
echo "compare_peer.sh: runs took $(($(date +%s) - started)) s, $(($(date +%s) - script_start)) s with the build; JSON lines in $out" >&2
machine="$(nproc) CPUs, $(uname -sr), $("$py" --version 2>&1), $(rustc --version 2>/dev/null | cut -d' ' -f1-2)"

"$py" - "$out" "$n_wait" "$n_small" "$n_big" "$boot_delay" "$interval" "$machine" <<'PY' | tee "$out/summary.txt"
import json, os, sys

out, n_wait, n_small, n_big = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
boot_delay, interval = sys.argv[5], sys.argv[6]


def load(name):
    try:
        with open(os.path.join(out, name + ".json")) as f:
            r = json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError) as e:
        r = {"ok": False, "error": {"type": "NoOutput", "message": str(e)}}
    try:
        with open(os.path.join(out, name + ".rss")) as f:
            r["rss_kb"] = int(f.read())
    except (OSError, ValueError):
        r["rss_kb"] = r.get("peak_rss_kb")
    return r


runs = {n: load(n) for n in [
    "peer-wait", "ours-wait", "peer-list-small", "ours-list-small",
    "peer-list-big", "ours-list-big", "peer-wait-limited", "ours-wait-limited"]}


def creates(r):
    return (r.get("routes") or {}).get("POST /v2/droplets", 0)


def waits(r):
    return (r.get("requests") or 0) - creates(r)


def mb(kb):
    return "-" if kb is None else "%.1f" % (kb / 1024.0)


def secs(x):
    return "-" if x is None else "%.3f" % x


def err(r):
    e = r.get("error")
    if not e:
        return ""
    s = e.get("type", "?")
    if e.get("status_code"):
        s += " %s" % e["status_code"]
    return s


print()
print("doapi-blocking vs Python doapi 0.2.0 on doapi-sim (boot delay %s s, wait interval %s s)" % (boot_delay, interval))
print("machine: %s" % sys.argv[7])
print()
rows = [
    ("create %d + wait_droplets" % n_wait, "peer-wait", "ours-wait"),
    ("fetch_all_droplets, %d" % n_small, "peer-list-small", "ours-list-small"),
    ("fetch_all_droplets, %d" % n_big, "peer-list-big", "ours-list-big"),
    ("create %d + wait, 250/min limit" % n_wait, "peer-wait-limited", "ours-wait-limited"),
]
head = "| scenario | client | ok | requests | of which waiting | 429s | wall s | CPU s | peak RSS MB | error |"
print(head)
print("|" + "---|" * (head.count("|") - 1))
for title, p, o in rows:
    for who, name in (("doapi (Python)", p), ("doapi-rs", o)):
        r = runs[name]
        waiting = waits(r) if "wait" in name else ""
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            title, who, "yes" if r.get("ok") else "no", r.get("requests", "-"), waiting,
            (r.get("statuses") or {}).get("429", 0), secs(r.get("wall_s")),
            secs(r.get("cpu_s")), mb(r.get("rss_kb")), err(r)))
print()
for name in ("peer-wait", "ours-wait", "peer-wait-limited", "ours-wait-limited"):
    print("%-18s routes %s statuses %s" % (name, json.dumps(runs[name].get("routes")), json.dumps(runs[name].get("statuses"))))
print()

failures = []


def ratio(a, b):
    return float("inf") if not b else a / float(b)


pw, ow = runs["peer-wait"], runs["ours-wait"]
r_wait = ratio(waits(pw), waits(ow))
r_total = ratio(pw.get("requests") or 0, ow.get("requests") or 0)
print("waiting for %d droplets: %d vs %d requests, %.1fx fewer (%.1fx fewer counting the creates; need >= 20x)" % (
    n_wait, waits(pw), waits(ow), r_wait, r_total))
if not (pw.get("ok") and ow.get("ok") and r_wait >= 20):
    failures.append("wait requests")

ps, os_ = runs["peer-list-small"], runs["ours-list-small"]
r_list = ratio(ps.get("wall_s") or 0, os_.get("wall_s") or 0)
print("listing %d droplets: %.3f s vs %.3f s, %.1fx less wall time (need >= 5x)" % (
    n_small, ps.get("wall_s") or 0, os_.get("wall_s") or 0, r_list))
if not (ps.get("ok") and os_.get("ok") and r_list >= 5):
    failures.append("list wall time")

pb, ob = runs["peer-list-big"], runs["ours-list-big"]
r_big = ratio(pb.get("wall_s") or 0, ob.get("wall_s") or 0)
print("listing %d droplets: %.3f s vs %.3f s, %.1fx less wall time (not checked)" % (
    n_big, pb.get("wall_s") or 0, ob.get("wall_s") or 0, r_big))
ours_growth = ratio(ob.get("rss_kb") or 0, os_.get("rss_kb") or 0)
peer_growth = ratio(pb.get("rss_kb") or 0, ps.get("rss_kb") or 0)
print("peak RSS, %d -> %d droplets: ours %s -> %s MB (%.2fx; need <= 1.5x), doapi %s -> %s MB (%.2fx)" % (
    n_small, n_big, mb(os_.get("rss_kb")), mb(ob.get("rss_kb")), ours_growth,
    mb(ps.get("rss_kb")), mb(pb.get("rss_kb")), peer_growth))
if not (pb.get("ok") and ob.get("ok") and ours_growth <= 1.5):
    failures.append("list memory")

pl, ol = runs["peer-wait-limited"], runs["ours-wait-limited"]
peer_429 = (pl.get("statuses") or {}).get("429", 0)
ours_429 = (ol.get("statuses") or {}).get("429", 0)
if pl.get("ok"):
    peer_outcome = "ok with %d requests" % pl.get("requests", 0)
else:
    peer_outcome = "failed after %s requests (%d answered 429): %s" % (
        pl.get("requests"), peer_429, ((pl.get("error") or {}).get("message") or "").split("\n")[0])
rl = (ol.get("detail") or {}).get("last_rate_limit") or {}
print("with the default rate limit: doapi %s" % peer_outcome)
print("  doapi-rs: ok=%s, %s requests, %d answered 429, %s s; last rate limit %s of %s left" % (
    ol.get("ok"), ol.get("requests"), ours_429, ol.get("wall_s"), rl.get("remaining"), rl.get("limit")))
if not (ol.get("ok") and ours_429 == 0):
    failures.append("ours under the rate limit")

print()
if failures:
    print("compare_peer.sh: FAIL: " + ", ".join(failures))
    sys.exit(1)
print("compare_peer.sh: every check passed")
PY
