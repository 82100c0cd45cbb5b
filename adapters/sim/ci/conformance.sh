#!/usr/bin/env bash
# Conformance of doapi-sim to the official DigitalOcean spec: every
# operation doapi-core knows is sent through Prism's validating proxy
# (shared/tools/prism.sh proxy ... --errors) to the simulator, and the test
# fails on any violation in a request or a response.
#
# Installs what it needs (node/npm if missing, Prism into $PRISM_HOME),
# finds the shared folder at ${DOAPI_SHARED:-<repo>/../shared}.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
shared="${DOAPI_SHARED:-$repo/../shared}"
if [ ! -f "$shared/tools/prism.sh" ]; then
  echo "conformance.sh: FAIL: $shared/tools/prism.sh not found (set DOAPI_SHARED)" >&2
  exit 1
fi
export DOAPI_SHARED="$(cd "$shared" && pwd)"
export DOAPI_REQUIRE_SHARED=1

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "conformance.sh: installing node and npm" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
bash "$DOAPI_SHARED/tools/prism.sh" install

cd "$repo"
cargo test -p doapi-sim --test conformance -- --nocapture
