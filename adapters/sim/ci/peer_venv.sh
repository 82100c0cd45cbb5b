# Sourced by the scripts that run the original Python doapi 0.2.0: sets
# `venv` to ${PEER_VENV:-/tmp/peer-venv} and makes sure doapi is installed
# there.
# shellcheck source=adapters/sim/ci/venv.sh
. "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
venv="${PEER_VENV:-/tmp/peer-venv}"
venv_with "$venv" doapi doapi==0.2.0
