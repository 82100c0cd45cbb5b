# Sourced by the scripts that run Python clients against the simulator.
#
# venv_with DIR MODULE PIP_SPEC: makes sure DIR is a venv in which MODULE
# can be found, installing PIP_SPEC there if it cannot (and python3-venv
# first if the machine lacks it). The check looks for the package rather
# than importing it (doapi 0.2.0 only imports after its scenarios' shims).
venv_with() {
  local dir="$1" module="$2" spec="$3"
  if "$dir/bin/python" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec(sys.argv[1]) is None)' "$module" 2>/dev/null; then
    return 0
  fi
  echo "setting up $spec in $dir" >&2
  if ! python3 -m venv "$dir" 2>/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
    python3 -m venv "$dir"
  fi
  "$dir/bin/pip" install -q "$spec"
}
