#!/usr/bin/env bash
# Creates (once) and prints the path of one of the project's Python environments, so that no script names a path
# of one machine. Each environment is pinned by a requirements file in the repository:
#   keras   tools/keras/requirements.txt          Keras/TensorFlow fixtures, the Keras export, the demo's training
#   torch   tools/fixtures/requirements-torch.txt  PyTorch/ONNX fixtures, the side-by-side benchmark
#   audio   tools/audio/requirements.txt           librosa: lstm-audio's goldens, the speech example's features
# Where: $LSTM4J_VENVS/<name> when LSTM4J_VENVS is set (share one set of environments between clones),
# else .venv/<name> in the repository (ignored by git). Python: $LSTM4J_PYTHON, else python3.11, else python3.
# Usage in a script:   py="$("$root/tools/python/venv.sh" keras)/bin/python"
# The environment is (re)installed when its requirements file changed since the last install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name="${1:?usage: tools/python/venv.sh NAME (one of: $(sed -n 's/^  \([a-z0-9-]*\) .*/\1/p' "$0" | paste -sd' '))}"
case "$name" in
  keras) req="$root/tools/keras/requirements.txt" ;;
  torch) req="$root/tools/fixtures/requirements-torch.txt" ;;
  audio) req="$root/tools/audio/requirements.txt" ;;
  *) echo "venv.sh: unknown environment '$name'" >&2; exit 2 ;;
esac
dir="${LSTM4J_VENVS:-$root/.venv}/$name"
stamp="$dir/.lstm4j-requirements"
if [ ! -x "$dir/bin/python" ] || ! cmp -s "$req" "$stamp"; then
  python="${LSTM4J_PYTHON:-$(command -v python3.11 || command -v python3)}"
  echo "venv.sh: installing $name into $dir from ${req#"$root"/} (once; a few minutes)" >&2
  mkdir -p "$(dirname "$dir")"
  [ -x "$dir/bin/python" ] || "$python" -m venv "$dir" >&2
  "$dir/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2
  cp "$req" "$stamp"
fi
echo "$dir"
