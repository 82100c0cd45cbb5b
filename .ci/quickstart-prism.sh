#!/usr/bin/env bash
# The main job through the official spec: doapi-sim behind Prism's
# validating proxy (shared/tools/prism.sh proxy ... --errors), and
# `cargo run --example quickstart` pointed at the proxy with
# DIGITALOCEAN_API_URL and nothing else. Fails on any violation Prism logs
# and on any error of the example.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
shared="${DOAPI_SHARED:-$repo/../shared}"
prism="$shared/tools/prism.sh"
[ -f "$prism" ] || { echo "quickstart-prism: FAIL: $prism not found" >&2; exit 1; }

cargo build -q -p doapi-sim --bin doapi-sim
cargo build -q -p doapi-examples --example quickstart
work=$(mktemp -d)
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap stop EXIT

# Action delays long enough that Prism's own latency cannot hide a state.
# shellcheck source=adapters/sim/ci/start_sim.sh
. adapters/sim/ci/start_sim.sh
start_sim target/debug/doapi-sim "$work/sim" --boot-delay 1 --action-delay 0.5 \
  || { echo "quickstart-prism: FAIL: doapi-sim did not start" >&2; exit 1; }
pids+=("$sim_pid")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bash "$prism" install >/dev/null
bash "$prism" proxy "$port" "$sim_url" --errors >"$work/prism.log" 2>&1 &
pids+=($!)
bash "$prism" wait "$port" 60

DIGITALOCEAN_API_URL="http://127.0.0.1:$port" target/debug/examples/quickstart | tee "$work/quickstart.out"

# (The readiness probe's `GET /` is not an API route; it is not counted.)
grep -E "Violation|✖" "$work/prism.log" | grep -v "get / ✖" >"$work/violations" || true
violations=$(wc -l <"$work/violations")
requests=$(grep -c "Request received" "$work/prism.log" || true)
echo "quickstart through Prism: $requests requests, $violations violations"
if [ "$violations" != "0" ]; then
  cat "$work/violations" >&2
  exit 1
fi
