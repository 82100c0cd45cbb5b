#!/usr/bin/env bash
# Runs a life cycle of droplets, reserved IPs, volumes, snapshots and
# firewalls through pydo, DigitalOcean's official Python client, unmodified
# (adapters/sim/ci/pydo_stack.py), against the release doapi-sim binary, and
# fails unless every step's check passes.
#
# Sets up the venv (${PYDO_VENV:-/tmp/pydo-venv}, pydo from PyPI) if needed,
# starts the binary on a free port and stops it at the end (its request
# statistics are printed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"

# shellcheck source=adapters/sim/ci/venv.sh
. "$here/venv.sh"
venv="${PYDO_VENV:-/tmp/pydo-venv}"
venv_with "$venv" pydo pydo==0.44.0

work="$(mktemp -d)"
# shellcheck source=adapters/sim/ci/start_sim.sh
. "$here/start_sim.sh"
start_release_sim "$work/sim" --boot-delay 0.2 --action-delay 0.1 --lb-delay 0.2 \
  || { echo "pydo.sh: FAIL: doapi-sim did not start" >&2; exit 1; }

ok=0
"$venv/bin/python" "$here/pydo_stack.py" "$sim_url" pydo-token >"$work/report.json" 2>"$work/pydo.err" || ok=$?
stop_sim
cat "$work/sim.err"
report=$(tail -n 1 "$work/report.json")
echo "$report"
if [ "$ok" -ne 0 ] || ! printf '%s' "$report" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
print("pydo: ok=%s steps=%d requests=%d wall_s=%.3f" % (r["ok"], len(r["steps"]), r["requests"], r["wall_s"]))
sys.exit(0 if r["ok"] else 1)'; then
  cat "$work/pydo.err" >&2
  echo "pydo.sh: FAIL" >&2
  exit 1
fi
echo "pydo.sh: the life cycle is ok"
