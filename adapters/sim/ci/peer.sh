#!/usr/bin/env bash
# Runs every scenario of the original Python doapi 0.2.0
# (shared/tools/peer/doapi_scenarios.py) against the release doapi-sim
# binary, and fails unless every one ends "ok": true.
#
# Sets up the venv (${PEER_VENV:-/tmp/peer-venv}) if needed, finds the
# shared folder at ${DOAPI_SHARED:-<repo>/../shared}, starts the binary on a
# free port and stops it at the end (its request statistics are printed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
shared="${DOAPI_SHARED:-$repo/../shared}"
peer="$shared/tools/peer/doapi_scenarios.py"
if [ ! -f "$peer" ]; then
  echo "peer.sh: FAIL: $peer not found (set DOAPI_SHARED)" >&2
  exit 1
fi

# shellcheck source=adapters/sim/ci/peer_venv.sh
. "$here/peer_venv.sh"
scenarios=$("$venv/bin/python" - "$peer" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("doapi_scenarios", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(" ".join(module.SCENARIOS))
PY
)

work="$(mktemp -d)"
# shellcheck source=adapters/sim/ci/start_sim.sh
. "$here/start_sim.sh"
# No per-minute limit: paginate_big creates and deletes 1,000 droplets.
start_release_sim "$work/sim" --rate-per-minute 0 \
  || { echo "peer.sh: FAIL: doapi-sim did not start" >&2; exit 1; }
url="$sim_url"

failed=0
for scenario in $scenarios; do
  line=$("$venv/bin/python" "$peer" --endpoint "$url" --token peer-token "$scenario" 2>"$work/$scenario.err") || true
  echo "$line" >"$work/$scenario.json"
  if ! printf '%s' "$line" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
print("%-17s ok=%-5s requests=%-4d wall_s=%.3f routes=%s" % (
    r["scenario"], r["ok"], r["requests"], r["wall_s"] or 0, json.dumps(r["routes"])))
if not r["ok"]:
    print("  error:", json.dumps(r["error"]), "checks:", json.dumps(r["checks"]))
sys.exit(0 if r["ok"] else 1)'; then
    echo "peer.sh: scenario $scenario is not ok:" >&2
    echo "$line" >&2
    cat "$work/$scenario.err" >&2
    failed=1
  fi
done
stop_sim
cat "$work/sim.err"
if [ "$failed" -ne 0 ]; then
  echo "peer.sh: FAIL" >&2
  exit 1
fi
echo "peer.sh: every scenario ok"
