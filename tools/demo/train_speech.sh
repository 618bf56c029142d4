#!/usr/bin/env bash
# Remakes the speech example: the keyword data (espeak-ng + librosa, tools/demo/speech_data.py) and the Keras model
# (tools/demo/train_speech.py). Needs espeak-ng (Debian: apt-get install espeak-ng). About 10 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v espeak-ng >/dev/null || { echo "train_speech.sh: needs espeak-ng (apt-get install espeak-ng)" >&2; exit 2; }
"$("$root/tools/python/venv.sh" audio)/bin/python" "$root/tools/demo/speech_data.py"
"$("$root/tools/python/venv.sh" keras)/bin/python" "$root/tools/demo/train_speech.py"
