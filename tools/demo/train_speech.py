#!/usr/bin/env python3
"""The speech example's model: a Keras LSTM keyword classifier on MFCC sequences, for `./lstm example speech`.

    "$(tools/python/venv.sh keras)"/bin/python tools/demo/train_speech.py    (after tools/demo/speech_data.py;
    tools/demo/train_speech.sh runs both)

Reads build-out/speech/data.npz (MFCCs standardised and pre-padded with zero frames to 100 frames) and
lstm-examples/src/main/resources/org/lstm4j/examples/speech/features.json, both written by speech_data.py.

Model: Masking(0.0) -> LSTM(48) -> Dense(14, softmax), Adam 3e-3, 30 epochs, batch 64, seeded; the held-out
voices' accuracy is recorded.

Writes into lstm-examples/src/main/resources/org/lstm4j/examples/speech/:
  *.npy          Keras's own weight arrays (lstm/kernel, lstm/recurrent_kernel, lstm/bias, dense/kernel, dense/bias)
  model.keras    the trained model
  features.json  gains "training" (accuracies) and, per sample, Keras's probabilities on its pre-padded features
"""
import json
import os
import re
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build-out/speech"
RES = REPO / "lstm-examples/src/main/resources/org/lstm4j/examples/speech"
SEED = 2311
UNITS = 48
EPOCHS = 30


def dumps(doc):
    """JSON with every list of numbers on one line (a frame's 13 coefficients, a sample's probabilities)."""
    text = json.dumps(doc, indent=1)
    return re.sub(r"\[\s*([-0-9.eE+, \n]+?)\s*\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text) + "\n"


def main():
    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    data = np.load(BUILD / "data.npz")
    doc = json.loads((RES / "features.json").read_text())
    frames, n_mfcc = data["x_train"].shape[1:]
    classes = len(doc["classes"])
    model = keras.Sequential([keras.Input((frames, n_mfcc)),
                              L.Masking(0.0, name="masking"),
                              L.LSTM(UNITS, name="lstm"),
                              L.Dense(classes, activation="softmax", name="dense")], name="keywords")
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    hist = model.fit(data["x_train"], data["y_train"], epochs=EPOCHS, batch_size=64, shuffle=True, verbose=2)
    test_loss, test_acc = model.evaluate(data["x_test"], data["y_test"], verbose=0)
    predictions = np.argmax(model.predict(data["x_test"], verbose=0), axis=1)
    per_word = {w: float(np.mean(predictions[data["y_test"] == k] == k)) for k, w in enumerate(doc["classes"])}

    x = np.zeros((len(doc["samples"]), frames, n_mfcc), np.float32)
    for i, s in enumerate(doc["samples"]):
        f = np.asarray(s["features"], np.float32)[-frames:]
        x[i, frames - len(f):] = f
    probabilities = np.asarray(model(x, training=False), np.float32)
    for s, p in zip(doc["samples"], probabilities):
        s["keras_probabilities"] = [float(v) for v in p]

    arrays = {}
    for name, arr in zip(["kernel", "recurrent_kernel", "bias"], model.get_layer("lstm").get_weights()):
        arrays["lstm_" + name] = arr
    for name, arr in zip(["kernel", "bias"], model.get_layer("dense").get_weights()):
        arrays["dense_" + name] = arr
    for name, arr in arrays.items():
        np.save(RES / f"{name}.npy", np.asarray(arr, np.float32), allow_pickle=False)
    model.save(RES / "model.keras")
    doc["model"] = (f"Masking(0.0) -> LSTM({UNITS}) -> Dense({classes}, softmax) trained by tools/demo/train_speech.py; "
                    f"Keras {keras.__version__} (TensorFlow {tf.__version__}, CPU, float32); samples' keras_probabilities: "
                    "model(pre-padded features, training=False)")
    doc["layouts"] = (f"lstm_kernel [{n_mfcc}, {4 * UNITS}], lstm_recurrent_kernel [{UNITS}, {4 * UNITS}], lstm_bias "
                      f"[{4 * UNITS}] (gates i, f, c, o); dense_kernel [{UNITS}, {classes}], dense_bias [{classes}]")
    doc["training"] = {"epochs": EPOCHS, "batch_size": 64, "optimizer": "Adam(3e-3)", "seed": SEED,
                       "final_train_loss": float(hist.history["loss"][-1]),
                       "final_train_accuracy": float(hist.history["accuracy"][-1]),
                       "held_out_voices_accuracy": float(test_acc), "held_out_clips": int(len(data["y_test"])),
                       "held_out_accuracy_per_word": per_word}
    (RES / "features.json").write_text(dumps(doc))
    print(f"train accuracy {hist.history['accuracy'][-1]:.3f}, held-out voices accuracy {test_acc:.3f} "
          f"on {len(data['y_test'])} clips")
    for s, p in zip(doc["samples"], probabilities):
        print(f"  {s['word']:6s} -> {doc['classes'][int(np.argmax(p))]:6s} {p.max():.3f}  ({s['voice']})")


if __name__ == "__main__":
    main()
