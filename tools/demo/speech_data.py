#!/usr/bin/env python3
"""The speech example's data: spoken keywords synthesised with espeak-ng, as librosa features, split by voice.

    "$(tools/python/venv.sh audio)"/bin/python tools/demo/speech_data.py     # then tools/demo/train_speech.py
    (tools/demo/train_speech.sh runs both; espeak-ng comes from Debian: apt-get install espeak-ng)

Words: the ten digits, "yes", "no", "stop", "go" (14 classes). Voices: espeak-ng's English accents (8) times its voice
variants (the !v files: m1..m8, f1..f5, klatt*, and the named ones; robots and effects left out). A speaker is a
variant: a seeded quarter of the variants is held out, so the test speakers are never heard in training, in any
accent. Each (word, accent, variant) is spoken once at a random speed (120..210 words per minute) and pitch (20..80),
placed in 0..150 ms of silence at each end, scaled to a random level and mixed with white or pink noise at 5..30 dB SNR.

Features, as lstm-audio computes them in Java: espeak's 22.05 kHz resampled to 16 kHz with librosa.resample(
res_type='polyphase') and held as float32, then power_to_db(melspectrogram(n_fft=512, hop_length=160, n_mels=40),
top_db=None) and mfcc(n_mfcc=13) (librosa 0.11), standardised per coefficient with the training set's mean and
standard deviation, pre-padded with zero frames to 100 frames (1 s; Keras masks them).

Writes (ignored by git) build-out/speech/: data.npz (x_train, y_train, x_test, y_test, voices) and test/*.wav, the
held-out clips, for `./lstm example speech --accuracy build-out/speech/test`.
Writes (committed) lstm-examples/src/main/resources/org/lstm4j/examples/speech/: samples/*.wav, one held-out clip per
word, and features.json (settings, standardisation, classes, voices, and the samples' features as librosa computes
them) for tools/demo/train_speech.py, which adds Keras's outputs.
"""
import json
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import librosa
import numpy as np
import scipy
import soundfile as sf

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build-out/speech"
RES = REPO / "lstm-examples/src/main/resources/org/lstm4j/examples/speech"
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "yes", "no", "stop", "go"]
ACCENTS = ["en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"]
VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3", "f4", "f5", "klatt", "klatt2", "klatt3",
            "klatt4", "Alex", "Alicia", "Andrea", "Andy", "Annie", "Denis", "Gene", "Hugo", "Jacky", "Lee", "Michael",
            "Mike", "adam", "anika", "aunty", "belinda", "benjamin", "caleb", "david", "ed", "edward", "grandma",
            "grandpa", "iven", "john", "linda", "max", "norbert", "paul", "quincy", "rob", "robert", "shelby", "steph",
            "travis", "victor", "zac"]
SR = 16000
SETTINGS = dict(sr=SR, n_fft=512, hop_length=160, n_mels=40, n_mfcc=13, top_db=None,
                resampler="librosa.resample(res_type='polyphase')")
MAX_FRAMES = 100
SEED = 2311


def synthesise(job):
    word, accent, variant, speed, pitch, seed = job
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.wav"
        subprocess.run(["espeak-ng", "-v", f"{accent}+{variant}", "-s", str(speed), "-p", str(pitch), "-w", str(path), word],
                       check=True, capture_output=True)
        y, sr = sf.read(path, dtype="float32")
    y = librosa.effects.trim(y, top_db=40)[0].astype(np.float64)
    y = np.concatenate([np.zeros(int(rng.uniform(0, 0.15) * sr)), y, np.zeros(int(rng.uniform(0, 0.15) * sr))])
    y = y[: int(0.98 * sr)]
    y *= rng.uniform(0.2, 0.9) / max(1e-6, np.abs(y).max())
    noise = rng.standard_normal(y.size)
    if rng.random() < 0.5:  # pink: 1/f power
        spectrum = np.fft.rfft(noise)
        spectrum /= np.sqrt(np.maximum(1, np.arange(spectrum.size)))
        noise = np.fft.irfft(spectrum, n=y.size)
    snr = rng.uniform(5, 30)
    noise *= np.sqrt(np.mean(y ** 2) / np.mean(noise ** 2) / 10 ** (snr / 10))
    pcm = np.clip(np.round((y + noise) * 32767), -32768, 32767).astype(np.int16)  # a 16-bit WAV at espeak's rate
    return pcm, sr


def features(pcm, sr):
    """What lstm-audio does to a 16-bit WAV: x / 32768, polyphase resampling, float32 samples, log-mel, MFCC."""
    y = (pcm.astype(np.float32) / 32768).astype(np.float64)
    y16 = librosa.resample(y, orig_sr=sr, target_sr=SR, res_type="polyphase").astype(np.float32).astype(np.float64)
    mel = librosa.feature.melspectrogram(y=y16, sr=SR, n_fft=512, hop_length=160, n_mels=40)
    return librosa.feature.mfcc(S=librosa.power_to_db(mel, top_db=None), n_mfcc=13).T  # [frames, 13]


def pre_pad(seqs):
    x = np.zeros((len(seqs), MAX_FRAMES, seqs[0].shape[1]), np.float32)
    for i, s in enumerate(seqs):
        s = s[-MAX_FRAMES:]
        x[i, MAX_FRAMES - len(s):] = s
    return x


def dumps(doc):
    """JSON with every list of numbers on one line (a frame's 13 coefficients, a sample's probabilities)."""
    text = json.dumps(doc, indent=1)
    return re.sub(r"\[\s*([-0-9.eE+, \n]+?)\s*\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text) + "\n"


def main():
    if not shutil.which("espeak-ng"):
        raise SystemExit("speech_data.py needs espeak-ng: apt-get install espeak-ng")
    rng = np.random.default_rng(SEED)
    variants = list(VARIANTS)
    rng.shuffle(variants)
    test_variants = sorted(variants[: len(variants) // 4])
    train_variants = sorted(variants[len(variants) // 4:])
    jobs, labels, is_test, voices = [], [], [], []
    for w, word in enumerate(WORDS):
        for accent in ACCENTS:
            for variant in VARIANTS:
                jobs.append((word, accent, variant, int(rng.integers(120, 211)), int(rng.integers(20, 81)), int(rng.integers(1 << 31))))
                labels.append(w)
                is_test.append(variant in test_variants)
                voices.append(f"{accent}+{variant}")
    with ProcessPoolExecutor(2) as pool:
        clips = list(pool.map(synthesise, jobs, chunksize=32))
        feats = list(pool.map(features, [c[0] for c in clips], [c[1] for c in clips], chunksize=32))
    labels, is_test = np.array(labels), np.array(is_test)
    train_frames = np.concatenate([f for f, t in zip(feats, is_test) if not t])
    mean, std = train_frames.mean(axis=0), train_frames.std(axis=0)
    scaled = [((f - mean) / std).astype(np.float32) for f in feats]
    x = pre_pad(scaled)
    if BUILD.exists():
        shutil.rmtree(BUILD)
    (BUILD / "test").mkdir(parents=True)
    np.savez_compressed(BUILD / "data.npz", x_train=x[~is_test], y_train=labels[~is_test], x_test=x[is_test],
                        y_test=labels[is_test], test_voices=np.array(voices)[is_test])
    test_files = []
    for i in np.flatnonzero(is_test):
        name = f"{WORDS[labels[i]]}_{voices[i].replace('+', '_')}.wav"
        sf.write(BUILD / "test" / name, clips[i][0], clips[i][1], subtype="PCM_16")
        test_files.append(name)

    if RES.exists():
        shutil.rmtree(RES)
    (RES / "samples").mkdir(parents=True)
    samples = []
    pick = np.random.default_rng(SEED + 1)
    for w, word in enumerate(WORDS):
        i = int(pick.choice(np.flatnonzero(is_test & (labels == w))))
        name = f"{word}.wav"
        sf.write(RES / "samples" / name, clips[i][0], clips[i][1], subtype="PCM_16")
        samples.append({"file": "samples/" + name, "word": word, "voice": voices[i], "frames": int(len(scaled[i])),
                        "features": [[float(v) for v in row] for row in scaled[i]]})
    doc = {
        "description": "spoken keywords synthesised by espeak-ng, features by librosa, written by tools/demo/speech_data.py",
        "source": f"espeak-ng {subprocess.run(['espeak-ng', '--version'], capture_output=True, text=True).stdout.split()[3]}, "
                  f"librosa {librosa.__version__}, numpy {np.__version__}, scipy {scipy.__version__}",
        "classes": WORDS,
        "settings": SETTINGS,
        "max_frames": MAX_FRAMES,
        "mean": [float(v) for v in mean],
        "std": [float(v) for v in std],
        "voices": {"accents": ACCENTS, "train_variants": train_variants, "test_variants": test_variants},
        "data": {"clips": len(jobs), "train": int((~is_test).sum()), "test": int(is_test.sum()), "seed": SEED},
        "samples": samples,
    }
    (RES / "features.json").write_text(dumps(doc))
    print(f"{len(jobs)} clips: {(~is_test).sum()} train ({len(train_variants)} variants), {is_test.sum()} test "
          f"({len(test_variants)} variants: {', '.join(test_variants)}); frames {min(map(len, feats))}..{max(map(len, feats))}")


if __name__ == "__main__":
    main()
