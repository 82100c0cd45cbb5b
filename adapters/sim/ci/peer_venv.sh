# Sourced by the scripts that run the original Python doapi 0.2.0: sets
# `venv` to ${PEER_VENV:-/tmp/peer-venv} and makes sure doapi is installed
# there (installing python3-venv first if the machine lacks it).
# doapi 0.2.0 only imports on Python 3.10+ after the shims of
# shared/tools/peer/doapi_scenarios.py, so the check looks for the package
# rather than importing it.
venv="${PEER_VENV:-/tmp/peer-venv}"
if ! "$venv/bin/python" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("doapi") is None)' 2>/dev/null; then
  echo "setting up the Python doapi peer in $venv" >&2
  if ! python3 -m venv "$venv" 2>/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q doapi==0.2.0
fi
