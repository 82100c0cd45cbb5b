# Sourced by the scripts that run the doapi-sim binary.
#
# start_sim BIN LOG [FLAGS...]: starts `BIN --port 0 FLAGS...` in the
# background, its stdout in LOG.out and stderr in LOG.err, and waits (up to
# 30 s) until it listens. Sets sim_pid, and sim_url to its base URL; if it
# does not start, prints its stderr and returns 1.
start_sim() {
  local bin="$1" log="$2"
  shift 2
  : >"$log.out"
  "$bin" --port 0 "$@" >"$log.out" 2>"$log.err" &
  sim_pid=$!
  sim_url=""
  for _ in $(seq 300); do
    sim_url=$(sed -n 's/^doapi-sim listening on //p' "$log.out")
    [ -n "$sim_url" ] && return 0
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "doapi-sim did not start:" >&2
  cat "$log.err" >&2
  return 1
}

# stop_sim: stops the simulator that start_sim started, if it runs.
stop_sim() {
  [ -n "${sim_pid:-}" ] || return 0
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  sim_pid=""
}

# start_release_sim LOG [FLAGS...]: builds the release binary, starts it
# with start_sim and stops it when the script exits.
start_release_sim() {
  local repo bin
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
  (cd "$repo" && cargo build --release -p doapi-sim)
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/doapi-sim"
  trap stop_sim EXIT
  start_sim "$bin" "$@"
}
