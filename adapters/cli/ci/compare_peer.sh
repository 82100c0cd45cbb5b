#!/usr/bin/env bash
# `doapi droplet new` of 100 droplets with `--wait`, against doapi-sim: our
# `doapi` binary (doapi-cli) and the original Python doapi 0.2.0 CLI
# (`doapi-droplet new ... --wait`) do the same job, each against a fresh
# simulator with the same settings, and the requests each cost are read from
# the simulator's own statistics (--stats-json).
#
# Prints one line per client (requests, wall time), each client's requests
# by route, and the ratio. Fails unless both clients printed N droplets, all
# "active", and ours took at least MIN_RATIO times fewer requests.
#
# Run from anywhere: adapters/cli/ci/compare_peer.sh
#
# Settings (environment):
#   N              droplets to create (default 100)
#   BOOT_DELAY     the simulator's --boot-delay, seconds (default 3)
#   WAIT_INTERVAL  --wait-interval given to both CLIs, seconds (default 1)
#   MIN_RATIO      the smallest acceptable peer/ours request ratio (default 20)
#   CLIENT_TIMEOUT seconds either client may take (default 600)
#   PEER_VENV      the Python venv with doapi 0.2.0 (default /tmp/peer-venv;
#                  set up if missing, as adapters/sim/ci/peer.sh does)
#   DOAPI_SHARED   the shared folder (default <repo>/../shared), for the
#                  Python 3 shim in tools/peer/doapi_scenarios.py
#   CARGO_TARGET_DIR  where the release binaries are built
#   COMPARE_OUT    folder for outputs and stats (default: a new temp folder)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
shared="${DOAPI_SHARED:-$repo/../shared}"
peer_py="$shared/tools/peer/doapi_scenarios.py"

n="${N:-100}"
boot_delay="${BOOT_DELAY:-3}"
wait_interval="${WAIT_INTERVAL:-1}"
min_ratio="${MIN_RATIO:-20}"
client_timeout="${CLIENT_TIMEOUT:-600}"
image=ubuntu-24-04-x64
size=s-1vcpu-1gb
region=nyc3
token=compare-token

fail() {
  echo "compare_peer.sh: FAIL: $*" >&2
  exit 1
}

if [ ! -f "$peer_py" ]; then
  fail "$peer_py not found (set DOAPI_SHARED)"
fi

# shellcheck source=adapters/sim/ci/peer_venv.sh
. "$repo/adapters/sim/ci/peer_venv.sh"
# shellcheck source=adapters/sim/ci/start_sim.sh
. "$repo/adapters/sim/ci/start_sim.sh"

cd "$repo"
cargo build --release -p doapi-sim -p doapi-cli || fail "cargo build --release -p doapi-sim -p doapi-cli failed"
bin_dir="${CARGO_TARGET_DIR:-$repo/target}/release"
sim_bin="$bin_dir/doapi-sim"
ours_bin="$bin_dir/doapi"
[ -x "$sim_bin" ] || fail "$sim_bin was not built"
[ -x "$ours_bin" ] || fail "$ours_bin was not built"

work="${COMPARE_OUT:-$(mktemp -d)}"
mkdir -p "$work"

sim_pid=""
stop_sim() {
  if [ -n "$sim_pid" ]; then
    kill -TERM "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=""
  fi
}
trap stop_sim EXIT
trap 'stop_sim; exit 130' INT
trap 'stop_sim; exit 143' TERM

# fresh_sim LABEL: a fresh simulator; sets sim_pid and url.
fresh_sim() {
  local label="$1"
  rm -f "$work/$label.stats.json"
  start_sim "$sim_bin" "$work/$label.sim" --rate-per-minute 0 --rate-per-hour 0 \
    --boot-delay "$boot_delay" --stats-json "$work/$label.stats.json" \
    || fail "doapi-sim did not start (for $label)"
  url="$sim_url"
}

# The Python CLI: doapi.cli.droplet.main, after the Python 3 shim of
# doapi_scenarios.py (which must run before doapi is imported).
cat >"$work/peer_cli.py" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("doapi_scenarios", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)  # runs apply_py3_shim() on import
module.apply_py3_shim()          # (idempotent)
import doapi.cli.droplet
argv = sys.argv[2:]
sys.argv = ["doapi-droplet"] + argv
sys.exit(doapi.cli.droplet.main(argv))
PY

# run_client LABEL: starts a simulator, runs the LABEL client's
# `droplet new --wait` of N droplets named LABEL-0..LABEL-(N-1), stops the
# simulator, checks the output, and writes LABEL.summary.json.
run_client() {
  local label="$1" names=() i rc t0 t1
  for ((i = 0; i < n; i++)); do names+=("$label-$i"); done
  fresh_sim "$label"
  echo "compare_peer.sh: $label: creating $n droplets with --wait against $url" >&2
  t0=$EPOCHREALTIME
  rc=0
  case "$label" in
    peer)
      timeout "$client_timeout" "$venv/bin/python" "$work/peer_cli.py" "$peer_py" \
        --api-token "$token" --endpoint "$url" \
        new -I "$image" -S "$size" -R "$region" --wait --wait-interval "$wait_interval" \
        "${names[@]}" >"$work/$label.out" 2>"$work/$label.err" || rc=$?
      ;;
    ours)
      timeout "$client_timeout" "$ours_bin" --endpoint "$url" --api-token "$token" \
        --wait-interval "$wait_interval" \
        droplet new "${names[@]}" --image "$image" --size "$size" --region "$region" --wait \
        >"$work/$label.out" 2>"$work/$label.err" || rc=$?
      ;;
  esac
  t1=$EPOCHREALTIME
  stop_sim
  if [ ! -s "$work/$label.stats.json" ]; then
    cat "$work/$label.sim.err" >&2
    fail "$label: doapi-sim wrote no statistics to $work/$label.stats.json"
  fi
  if [ "$rc" -ne 0 ]; then
    echo "--- $label stderr (last 20 lines):" >&2
    tail -n 20 "$work/$label.err" >&2
    echo "--- $label stdout (first 20 lines):" >&2
    head -n 20 "$work/$label.out" >&2
    echo "--- doapi-sim:" >&2
    cat "$work/$label.sim.err" >&2
    [ "$rc" -eq 124 ] && fail "$label: timed out after ${client_timeout}s"
    fail "$label: the client exited with status $rc"
  fi
  python3 - "$label" "$n" "$t0" "$t1" "$work/$label.out" "$work/$label.stats.json" \
    >"$work/$label.summary.json" <<'PY' || { cat "$work/$label.sim.err" >&2; fail "$label: its output is not $n active droplets (see $work/$label.out)"; }
import json, sys
label, n, t0, t1, out, stats = sys.argv[1:]
n = int(n)
text = open(out).read()
try:
    data = json.loads(text)
except ValueError:
    # --compact output: one object per line.
    data = [json.loads(line) for line in text.splitlines() if line.strip()]
if isinstance(data, dict):
    data = [data]
problems = []
if len(data) != n:
    problems.append("%d droplets printed, not %d" % (len(data), n))
bad = [d.get("name") for d in data if d.get("status") != "active"]
if bad:
    problems.append("%d not active: %s" % (len(bad), bad[:10]))
names = sorted(d.get("name") for d in data)
want = sorted("%s-%d" % (label, i) for i in range(n))
if names != want:
    problems.append("names differ: missing %s, unexpected %s" % (
        sorted(set(want) - set(names))[:10], sorted(set(names) - set(want))[:10]))
if len({d.get("id") for d in data}) != len(data):
    problems.append("ids are not unique")
if problems:
    sys.stderr.write("compare_peer.sh: %s: %s\n" % (label, "; ".join(problems)))
    sys.exit(1)
s = json.load(open(stats))
print(json.dumps({
    "client": label,
    "droplets": len(data),
    "requests": s["requests"],
    "wall_s": round(float(t1.replace(",", ".")) - float(t0.replace(",", ".")), 3),
    "routes": {r: {"requests": v["requests"], "statuses": v["statuses"], "dropped": v["dropped"]}
               for r, v in s["routes"].items()},
}))
PY
}

run_client peer
run_client ours

python3 - "$work/peer.summary.json" "$work/ours.summary.json" "$min_ratio" \
  "$n" "$boot_delay" "$wait_interval" <<'PY'
import json, sys
peer = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))
min_ratio = float(sys.argv[3])
n, boot, interval = sys.argv[4:7]
print("compare_peer.sh: %s droplets, `new --wait`, boot delay %ss, wait interval %ss, no rate limit"
      % (n, boot, interval))
for r in (peer, ours):
    name = "python doapi 0.2.0" if r["client"] == "peer" else "doapi (ours)"
    print("%-18s requests=%-5d wall_s=%.3f" % (name, r["requests"], r["wall_s"]))
for r in (peer, ours):
    for route, v in sorted(r["routes"].items()):
        statuses = " ".join("%sx%s" % kv for kv in sorted(v["statuses"].items()))
        dropped = " dropped x%d" % v["dropped"] if v["dropped"] else ""
        print("  %-5s %6d  %-32s %s%s" % (r["client"], v["requests"], route, statuses, dropped))
if ours["requests"] == 0:
    print("compare_peer.sh: FAIL: the simulator counted no request from ours", file=sys.stderr)
    sys.exit(1)
ratio = peer["requests"] / ours["requests"]
print("ratio (python / ours) = %d / %d = %.1fx fewer requests (need >= %gx)"
      % (peer["requests"], ours["requests"], ratio, min_ratio))
if peer["requests"] < min_ratio * ours["requests"]:
    print("compare_peer.sh: FAIL: ours made %d requests, python %d: only %.1fx fewer, need %gx"
          % (ours["requests"], peer["requests"], ratio, min_ratio), file=sys.stderr)
    sys.exit(1)
print("compare_peer.sh: ok")
PY
echo "compare_peer.sh: outputs and stats in $work" >&2
