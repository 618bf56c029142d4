#!/usr/bin/env python3
"""Test WAVs and librosa goldens for lstm-audio (AudioFeaturesTest, ResamplerTest, WavReaderTest).

    "$(tools/python/venv.sh audio)"/bin/python tools/audio/make_librosa_goldens.py

Writes lstm-audio/src/test/resources/org/lstm4j/audio/librosa/:
  *.wav          small test clips, seeded, made here (one word spoken by espeak-ng when it is installed:
                 apt-get install espeak-ng; without it that clip is a synthetic vowel)
  *.npy          librosa's results, float32 (computed in float64, then rounded), time first ([frames, bins])
  goldens.json   for each clip: its format, and for each result the librosa call that made it
Every result is computed from librosa.load(path, sr=None, mono=True) (float32 samples) cast to float64.
"""
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import librosa
import numpy as np
import scipy
import soundfile as sf

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "lstm-audio/src/test/resources/org/lstm4j/audio/librosa"
MODEL_RATE = 16000
# The speech example's settings (tools/demo/speech_data.py): 32 ms windows every 10 ms, 40 mels, 13 MFCCs, no top_db.
MODEL = dict(n_fft=512, hop_length=160, n_mels=40, n_mfcc=13)


def chirp(rng, sr, seconds):
    t = np.arange(int(sr * seconds)) / sr
    y = 0.5 * scipy.signal.chirp(t, 200, t[-1], 0.4 * sr) + 0.02 * rng.standard_normal(t.size)
    y[len(y) // 3: len(y) // 3 + 400] = 0.0  # digital silence: power_to_db's amin floor
    return y


def spoken(rng, sr_hint):
    if shutil.which("espeak-ng"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "seven.wav"
            subprocess.run(["espeak-ng", "-v", "en-us+f3", "-s", "160", "-w", str(path), "seven"], check=True)
            y, sr = sf.read(path, dtype="float64")
        source = "espeak-ng -v en-us+f3 -s 160 'seven'"
    else:
        sr = sr_hint
        t = np.arange(int(0.4 * sr)) / sr
        y = sum(np.sin(2 * np.pi * f * t) / k for k, f in enumerate([180, 360, 720, 2400], 1)) * np.hanning(t.size) * 0.3
        source = "a synthetic vowel (espeak-ng was not installed)"
    y = y[: int(0.45 * sr)]
    stereo = np.stack([y, 0.5 * y + 0.01 * rng.standard_normal(y.size)], axis=1)
    return stereo, sr, source


def main():
    rng = np.random.default_rng(2026)
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    stereo, voice_sr, voice_source = spoken(rng, 22050)
    t8 = np.arange(int(0.3 * 8000)) / 8000
    clips = [
        ("chirp_16k_pcm16.wav", chirp(rng, 16000, 0.5)[:, None], 16000, "PCM_16",
         "a linear chirp 200 Hz -> 6.4 kHz plus noise, with 400 samples of digital silence"),
        ("voice_22k_stereo_pcm16.wav", stereo, voice_sr, "PCM_16",
         voice_source + "; channel 2 = half of channel 1 plus noise (mono = their mean)"),
        ("tones_8k_float32.wav", (0.4 * np.sin(2 * np.pi * 440 * t8) + 0.2 * np.sin(2 * np.pi * 1250 * t8))[:, None], 8000, "FLOAT",
         "440 Hz + 1250 Hz tones, IEEE float"),
        ("short_44k_pcm24.wav", (0.3 * rng.standard_normal(300))[:, None], 44100, "PCM_24",
         "300 samples of noise, 24-bit: shorter than librosa's default n_fft"),
    ]
    doc = {"description": "lstm-audio's goldens: librosa on small WAVs made by tools/audio/make_librosa_goldens.py",
           "source": f"librosa {librosa.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, soundfile {sf.__version__}",
           "model_settings": dict(sr=MODEL_RATE, **MODEL, top_db=None),
           "clips": []}
    for name, data, sr, subtype, what in clips:
        sf.write(OUT / name, data, sr, subtype=subtype)
        y32, sr_loaded = librosa.load(OUT / name, sr=None, mono=True)
        assert sr_loaded == sr
        y = y32.astype(np.float64)
        results = {}

        def save(key, array, call):
            file = f"{Path(name).stem}.{key}.npy"
            np.save(OUT / file, np.ascontiguousarray(array, np.float32), allow_pickle=False)
            results[key] = {"file": file, "call": call, "shape": list(np.shape(array))}

        save("samples", y32, "librosa.load(path, sr=None, mono=True)")
        # librosa's defaults at the clip's own rate: n_fft=2048, hop_length=512, n_mels=128, n_mfcc=20, top_db=80
        save("default_logmel", librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr)).T,
             "librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr)).T")
        save("default_mfcc", librosa.feature.mfcc(y=y, sr=sr).T, "librosa.feature.mfcc(y=y, sr=sr).T")
        # the model's settings after resampling to 16 kHz
        y16 = librosa.resample(y, orig_sr=sr, target_sr=MODEL_RATE, res_type="polyphase") if sr != MODEL_RATE else y
        save("resampled_16k", y16, f"librosa.resample(y, orig_sr={sr}, target_sr=16000, res_type='polyphase')")
        y16 = y16.astype(np.float32).astype(np.float64)  # as lstm-audio holds audio: float32 samples
        power = np.abs(librosa.stft(y16, n_fft=MODEL["n_fft"], hop_length=MODEL["hop_length"])) ** 2
        mel = librosa.feature.melspectrogram(S=power, sr=MODEL_RATE, n_mels=MODEL["n_mels"])
        logmel = librosa.power_to_db(mel, top_db=None)
        save("model_power", power.T, "np.abs(librosa.stft(y16, n_fft=512, hop_length=160)) ** 2, .T")
        save("win400_power", (np.abs(librosa.stft(y16, n_fft=512, hop_length=160, win_length=400)) ** 2).T,
             "np.abs(librosa.stft(y16, n_fft=512, hop_length=160, win_length=400)) ** 2, .T")
        save("model_mel", mel.T, "librosa.feature.melspectrogram(S=power, sr=16000, n_mels=40).T")
        save("model_logmel", logmel.T, "librosa.power_to_db(mel, top_db=None).T")
        save("model_mfcc", librosa.feature.mfcc(S=logmel, n_mfcc=MODEL["n_mfcc"]).T,
             "librosa.feature.mfcc(S=logmel, n_mfcc=13).T")
        doc["clips"].append({"file": name, "what": what, "sample_rate": sr, "subtype": subtype,
                             "channels": int(data.shape[1]), "results": results})
        print(name, {k: v["shape"] for k, v in results.items()})
    (OUT / "goldens.json").write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
