#!/usr/bin/env python3
"""Generates the Keras-file golden groups: LSTM models saved by Keras itself (.keras and .h5), with Keras's outputs.

    "$(tools/python/venv.sh keras)"/bin/python  tools/keras/make_keras_goldens.py [--only a,b]   # -> fixtures/keras3
    "$(tools/python/venv.sh keras2)"/bin/python tools/keras/make_keras_goldens.py [--only a,b]   # -> fixtures/keras2

The group follows the Keras that runs the script: Keras 3 (keras 3.x on TensorFlow) writes "keras3", tf.keras 2.x
(TensorFlow 2.15, the last release whose tf.keras is Keras 2) writes "keras2". Each fixture folder holds the model as
Keras saved it, `model.keras` (the zip of config.json, metadata.json, model.weights.h5) and `model.h5` (the legacy
HDF5 full-model format), `inputs/*.npy`, `expected/*.npy` (KERAS's own outputs, model(inputs, training=False),
float32 on the TensorFlow CPU backend) and fixture.json naming the versions. Every saved file is loaded back with
keras.models.load_model and must reproduce the expected outputs exactly, so the files hold the model that made them.
lstm4j's KerasImporter reads these files directly (no ONNX, no Python); fixtures with "expect": "refuse" hold
models it must refuse with a message containing "refusal". Every model is seeded: a re-run writes the same numbers.

Output names follow KerasImporter's convention: a layer's main output is named after the layer; an LSTM's
return_state outputs are <layer>_h and <layer>_c; a Bidirectional's are <layer>_forward_h, <layer>_forward_c,
<layer>_backward_h, <layer>_backward_c; merge_mode=None gives <layer>_forward and <layer>_backward.
"""
import argparse
import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import absl.logging  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

absl.logging.set_verbosity("error")  # not the "HDF5 is legacy" warning for every model.h5 written on purpose
KERAS3 = keras.__version__.startswith("3.")
GROUP = "keras3" if KERAS3 else "keras2"
REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "lstm-conformance/src/main/resources/org/lstm4j/conformance/fixtures"
GENERATOR = "tools/keras/make_keras_goldens.py"
ATOL = RTOL = 1e-5
T, F, H, B = 6, 3, 5, 2


def chain(name, *layers, time=T, features=F, batch=None):
    """A functional model x -> layer -> layer ... (the common Keras idiom)."""
    x = keras.Input(batch_shape=(batch, time, features), name="x") if batch else keras.Input((time, features), name="x")
    h = x
    for layer in layers:
        h = layer(h)
    return keras.Model(x, h, name=name)


def sequential(name, *layers, time=T, features=F):
    return keras.Sequential([keras.Input((time, features), name="x"), *layers], name=name)


def trained_sine():
    """LSTM(8) + Dense(1), Sequential, trained 8 epochs (Adam) on a noisy two-tone series; held-out windows as input."""
    rng = np.random.default_rng(7)
    t = np.arange(600, dtype=np.float64)
    series = (np.sin(2 * np.pi * t / 25) + 0.5 * np.sin(2 * np.pi * t / 7) + 0.1 * rng.standard_normal(t.size))
    series = series.astype(np.float32)
    window = 12
    xs = np.stack([series[i:i + window] for i in range(series.size - window)])[..., None]
    ys = series[window:][:, None]
    model = sequential("trained_sine", L.LSTM(8, name="lstm"), L.Dense(1, name="dense"), time=window, features=1)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    hist = model.fit(xs[:500], ys[:500], epochs=8, batch_size=32, shuffle=True, verbose=0)
    return model, {"x": xs[-B:]}, {"training": {
        "series": "sin(2*pi*t/25) + 0.5*sin(2*pi*t/7) + 0.1*N(0,1), t=0..599, numpy seed 7", "window": window,
        "epochs": 8, "optimizer": "Adam(lr=0.01)", "loss": "mse", "train_windows": 500,
        "first_train_loss": float(hist.history["loss"][0]), "final_train_loss": float(hist.history["loss"][-1])}}


def return_state():
    x = keras.Input((T, F), name="x")
    y, h, c = L.LSTM(H, return_sequences=True, return_state=True, name="lstm")(x)
    return keras.Model(x, [L.Dense(2, name="dense")(y), h, c], name="return_state")


def bidi_return_state():
    x = keras.Input((T, F), name="x")
    y, fh, fc, bh, bc = L.Bidirectional(L.LSTM(H, return_state=True), merge_mode="concat", name="bidi")(x)
    return keras.Model(x, [L.Dense(2, name="dense")(y), fh, fc, bh, bc], name="bidi_return_state")


def bidi_none(sequences):
    x = keras.Input((T, F), name="x")
    fw, bw = L.Bidirectional(L.LSTM(H, return_sequences=sequences), merge_mode=None, name="bidi")(x)
    return keras.Model(x, [fw, bw], name="bidi_none_sequences" if sequences else "bidi_none_last")


def state_serving():
    """Serving with carried state: (x, h0, c0) -> (Dense of the last output, h_n, c_n), time dimension dynamic."""
    x = keras.Input((None, F), name="x")
    h0 = keras.Input((H,), name="h0")
    c0 = keras.Input((H,), name="c0")
    last, h, c = L.LSTM(H, return_state=True, name="lstm")(x, initial_state=[h0, c0])
    return keras.Model([x, h0, c0], [L.Dense(2, name="dense")(last), h, c], name="state_serving")


def state_inputs():
    rng = np.random.default_rng(5)
    return {"x": rng.standard_normal((B, T, F)).astype(np.float32),
            "h0": (0.5 * rng.standard_normal((B, H))).astype(np.float32),
            "c0": (0.5 * rng.standard_normal((B, H))).astype(np.float32)}


def branching():
    x = keras.Input((T, F), name="x")
    y = L.LSTM(H, name="lstm")(x)
    return keras.Model(x, [L.Dense(2, name="head_a")(y), L.Dense(1, name="head_b")(y)], name="branching")


def two_inputs():
    a = keras.Input((T, F), name="a")
    b = keras.Input((T, F), name="b")
    y = L.LSTM(H, name="lstm")(L.Concatenate(name="join")([a, b]))
    return keras.Model([a, b], L.Dense(2, name="dense")(y), name="two_inputs")


def padded(padding, seed=11, batch=3):
    """Features [batch, T, F] with rows shortened by zero steps placed as `padding` says (pre, post or middle)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, T, F)).astype(np.float32)
    masked = {"pre": [(1, 0, 2), (2, 0, 4)], "post": [(1, 4, T), (2, 2, T)], "middle": [(1, 2, 4), (2, 1, 3)]}[padding]
    for row, start, end in masked:
        x[row, start:end, :] = 0.0
    return {"x": x}


VOCAB, EMBED = 20, 4


def tokens(padding, seed=13, batch=3):
    """Token ids [batch, T] in 1..VOCAB-1 with 0 as padding, placed as `padding` says."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, VOCAB, (batch, T)).astype(np.int32)
    lengths = [T, 4, 2]
    for row, n in enumerate(lengths):
        if padding == "pre":
            ids[row, :T - n] = 0
        else:
            ids[row, n:] = 0
    return {"x": ids}


def text_model(name, mask_zero, *head):
    return keras.Sequential([keras.Input((T,), dtype="int32", name="x"),
                             L.Embedding(VOCAB, EMBED, mask_zero=mask_zero, name="embedding"), *head], name=name)


@keras.saving.register_keras_serializable(package="lstm4j_goldens")
class Scale(L.Layer):
    """A custom layer (Python code of the user's own): y = 2x."""

    def call(self, inputs):
        return inputs * 2.0


def cases():
    c = []

    def add(name, build, description, **opts):
        c.append(dict(name=name, build=build, description=description, **opts))

    add("seed_sequential", lambda: sequential("seed_sequential", L.LSTM(50, name="lstm"), L.Dense(10, name="dense"),
                                              time=100, features=10),
        "The issue's seed model as a Sequential: LSTM(50) on input (100, 10), last output, Dense(10).")
    add("trained_sine", trained_sine, "Sequential LSTM(8) + Dense(1) trained 8 epochs on a noisy synthetic series; "
                                      "the input is two held-out windows.")
    add("stacked_dropout", lambda: sequential(
        "stacked_dropout", L.LSTM(H, return_sequences=True, dropout=0.2, recurrent_dropout=0.3, name="lstm_1"),
        L.Dropout(0.5, name="dropout"), L.LSTM(4, dropout=0.1, name="lstm_2"), L.Dense(2, name="dense")),
        "Stacked LSTM(5, return_sequences, dropout 0.2, recurrent_dropout 0.3), Dropout(0.5), LSTM(4, dropout 0.1), "
        "Dense(2): dropout is a no-op at inference.")
    add("hard_sigmoid", lambda: chain("hard_sigmoid", L.LSTM(H, recurrent_activation="hard_sigmoid", name="lstm"),
                                      L.Dense(2, name="dense")),
        "LSTM(recurrent_activation='hard_sigmoid'): Keras 3 computes relu6(x + 3) / 6, Keras 2 clip(0.2x + 0.5, 0, 1).")
    add("activations_relu", lambda: chain("activations_relu", L.LSTM(H, activation="relu", return_sequences=True,
                                                                      name="lstm"), L.Dense(2, name="dense")),
        "LSTM(activation='relu'), every step, Dense(2).")
    add("activations_elu_softsign", lambda: chain(
        "activations_elu_softsign", L.LSTM(H, activation="elu", recurrent_activation="softsign", name="lstm"),
        L.Dense(2, name="dense")), "LSTM(activation='elu', recurrent_activation='softsign').")
    add("activations_linear_softplus", lambda: chain(
        "activations_linear_softplus", L.LSTM(H, activation="linear", recurrent_activation="softplus", name="lstm"),
        L.Dense(2, name="dense")), "LSTM(activation='linear', recurrent_activation='softplus').")
    if KERAS3:
        add("activations_leaky_relu", lambda: chain("activations_leaky_relu", L.LSTM(H, activation="leaky_relu",
                                                                                     name="lstm"),
                                                    L.Dense(2, name="dense")),
            "LSTM(activation='leaky_relu'): Keras 3's leaky_relu has negative_slope 0.2.")
    add("no_bias", lambda: chain("no_bias", L.LSTM(H, use_bias=False, name="lstm"),
                                 L.Dense(2, use_bias=False, name="dense")),
        "LSTM(use_bias=False), Dense(use_bias=False).")
    for mode in ["concat", "sum", "ave", "mul"]:
        add(f"bidi_{mode}", (lambda m=mode: chain(f"bidi_{m}", L.Bidirectional(L.LSTM(H), merge_mode=m, name="bidi"),
                                                  L.Dense(2, name="dense"))),
            f"Bidirectional(LSTM(5), merge_mode='{mode}'), last output, Dense(2).")
    add("bidi_concat_sequences", lambda: chain("bidi_concat_sequences", L.Bidirectional(
        L.LSTM(H, return_sequences=True), merge_mode="concat", name="bidi"), L.Dense(2, name="dense")),
        "Bidirectional(LSTM(5, return_sequences=True), merge_mode='concat'), Dense(2) on every step.")
    add("bidi_none_sequences", lambda: bidi_none(True),
        "Bidirectional(LSTM(5, return_sequences=True), merge_mode=None): two outputs, forward and backward "
        "sequences (the backward one in input order).")
    add("bidi_none_last", lambda: bidi_none(False),
        "Bidirectional(LSTM(5), merge_mode=None): two outputs, each direction's final output.")
    add("bidi_return_state", bidi_return_state,
        "Bidirectional(LSTM(5, return_state=True)), concat: outputs Dense(2) of the merged output and the final "
        "h and c of each direction.")
    add("go_backwards_last", lambda: chain("go_backwards_last", L.LSTM(H, go_backwards=True, name="lstm"),
                                           L.Dense(2, name="dense")),
        "LSTM(go_backwards=True), last output, Dense(2).")
    add("go_backwards_sequences", lambda: chain("go_backwards_sequences", L.LSTM(
        H, go_backwards=True, return_sequences=True, name="lstm"), L.Dense(2, name="dense")),
        "LSTM(go_backwards=True, return_sequences=True): the outputs come in processing order (reversed).")
    add("time_distributed", lambda: chain("time_distributed", L.LSTM(H, return_sequences=True, name="lstm"),
                                          L.TimeDistributed(L.Dense(2, activation="tanh"), name="td")),
        "LSTM(return_sequences=True), TimeDistributed(Dense(2, activation='tanh')).")
    add("dense_heads", lambda: chain("dense_heads", L.LSTM(H, return_sequences=True, name="lstm"),
                                     L.Activation("tanh", name="act"), L.Dense(4, activation="relu", name="hidden"),
                                     L.Dropout(0.2, name="dropout"), L.Dense(3, activation="softmax", name="probs")),
        "LSTM(return_sequences=True), Activation('tanh'), Dense(4, relu), Dropout, Dense(3, softmax) on every step.")
    add("return_state", return_state,
        "Functional LSTM(5, return_sequences=True, return_state=True): outputs Dense(2) on every step and the "
        "final h and c.")
    add("state_serving", state_serving,
        "Inputs x (dynamic time), h0 and c0 as the LSTM's initial_state; outputs Dense(2) of the last output and "
        "the final h and c to feed the next call.", inputs=state_inputs)
    add("stateful_unroll", lambda: chain("stateful_unroll", L.LSTM(H, stateful=True, unroll=True,
                                                                   return_sequences=True, name="lstm"),
                                         L.Dense(2, name="dense"), batch=B),
        "LSTM(stateful=True, unroll=True) on a fixed batch of 2: the first call, from zero state.")
    # ---- masks: Masking on padded features, Embedding(mask_zero) on padded token ids. Sequential models: Keras 3.15
    # writes a functional model's mask computation as NotEqual/Any op nodes that it cannot load back ("Unknown layer:
    # 'NotEqual'"), so the reload check could not pass (KerasImporter reads such files: see the keras-masks group).
    for padding in ["pre", "post", "middle"]:
        add(f"masking_{padding}", (lambda p=padding: sequential(f"masking_{p}", L.Masking(0.0, name="mask"),
                                                            L.LSTM(H, return_sequences=True, name="lstm_1"),
                                                            L.LSTM(4, name="lstm_2"), L.Dense(2, name="dense"))),
            f"Masking(0.0) -> LSTM(5, return_sequences) -> LSTM(4) -> Dense(2); rows zero-padded '{padding}' (a "
            f"masked step keeps the state; the first LSTM repeats its previous output there).",
            inputs=(lambda p=padding: padded(p)))
    add("masking_sequences_post", lambda: sequential("masking_sequences_post", L.Masking(0.0, name="mask"),
                                                L.LSTM(H, return_sequences=True, name="lstm"),
                                                L.TimeDistributed(L.Dense(2), name="td")),
        "Masking -> LSTM(return_sequences) -> TimeDistributed(Dense(2)); rows zero-padded 'post': the LSTM's masked "
        "steps repeat its previous output (zero_output_for_mask=False).", inputs=lambda: padded("post"))
    add("masking_bidi_middle", lambda: sequential("masking_bidi_middle", L.Masking(0.0, name="mask"),
                                             L.Bidirectional(L.LSTM(H, return_sequences=True), name="bidi"),
                                             L.Dense(2, name="dense")),
        "Masking -> Bidirectional(LSTM(5, return_sequences)) -> Dense(2); rows padded in the middle.",
        inputs=lambda: padded("middle"))
    add("masking_zero_output_post", lambda: sequential("masking_zero_output_post", L.Masking(0.0, name="mask"),
                                                  L.LSTM(H, return_sequences=True, zero_output_for_mask=True, name="lstm"),
                                                  L.Dense(2, name="dense")),
        "Masking -> LSTM(5, return_sequences, zero_output_for_mask=True) -> Dense(2) on every step; rows zero-padded "
        "'post': the LSTM outputs zeros at masked steps, so the head gives its bias there.", inputs=lambda: padded("post"))
    add("text_classifier_mask_zero", lambda: text_model("text_classifier_mask_zero", True, L.LSTM(H, name="lstm"),
                                                        L.Dense(3, activation="softmax", name="probs")),
        "Text classifier: Embedding(20, 4, mask_zero=True) -> LSTM(5) -> Dense(3, softmax), token ids padded 'pre' "
        "with 0.", inputs=lambda: tokens("pre"))
    add("text_classifier_no_mask", lambda: text_model("text_classifier_no_mask", False, L.LSTM(H, name="lstm"),
                                                      L.Dense(1, activation="sigmoid", name="prob")),
        "Text classifier without a mask: Embedding(20, 4) -> LSTM(5) -> Dense(1, sigmoid); the padding ids run "
        "through the LSTM.", inputs=lambda: tokens("pre"))
    add("text_tagger_mask_zero", lambda: text_model("text_tagger_mask_zero", True,
                                                    L.LSTM(H, return_sequences=True, name="lstm"),
                                                    L.TimeDistributed(L.Dense(3, activation="softmax"), name="tags")),
        "Tagger: Embedding(mask_zero=True) -> LSTM(5, return_sequences) -> TimeDistributed(Dense(3, softmax)), "
        "ids padded 'post'.", inputs=lambda: tokens("post"))
    # ---- refusals: each message must name the layer and say why
    add("refuse_lambda", lambda: chain("refuse_lambda", L.LSTM(H, name="lstm"),
                                       L.Lambda(lambda v: v * 2.0, name="double")),
        "A Lambda layer (Python code) after the LSTM.", refusal="Lambda")
    add("refuse_gru", lambda: chain("refuse_gru", L.GRU(H, name="gru"), L.Dense(2, name="dense")),
        "GRU: outside the LSTM family.", refusal="GRU")
    add("refuse_simple_rnn", lambda: chain("refuse_simple_rnn", L.SimpleRNN(H, name="rnn"), L.Dense(2, name="dense")),
        "SimpleRNN: outside the LSTM family.", refusal="SimpleRNN")
    add("refuse_conv1d", lambda: chain("refuse_conv1d", L.Conv1D(4, 3, name="conv"), L.LSTM(H, name="lstm")),
        "Conv1D before the LSTM.", refusal="Conv1D")
    add("refuse_custom_layer", lambda: chain("refuse_custom_layer", L.LSTM(H, name="lstm"), Scale(name="scale")),
        "A custom (user-defined Python) layer.", refusal="scale")
    add("refuse_branching", branching, "One LSTM feeding two Dense heads (a branching graph).", refusal="branch")
    add("refuse_two_inputs", two_inputs, "Two inputs concatenated before the LSTM.", refusal="inputs")
    add("refuse_selu", lambda: chain("refuse_selu", L.LSTM(H, activation="selu", name="lstm")),
        "LSTM(activation='selu'): an activation lstm4j has no equivalent for.", refusal="activation='selu'")
    return c


def randomize_biases(model, seed=4321):
    """Keras starts biases at zero (LSTM forget gate at one), which would hide a bias mix-up: use seeded values."""
    rng = np.random.default_rng(seed)
    for w in model.weights:
        name = w.path if KERAS3 else w.name
        if name.split(":")[0].endswith("bias"):
            w.assign(rng.uniform(-0.5, 0.5, tuple(w.shape)).astype(np.float32))


def sample_inputs(model, seed=99):
    rng = np.random.default_rng(seed)
    out = {}
    for tensor in model.inputs:
        shape = [B if d is None else d for d in tensor.shape]
        shape[1] = T if shape[1] is None else shape[1]
        out[input_name(tensor)] = rng.standard_normal(shape).astype(np.float32)
    return out


def input_name(tensor):
    return tensor.name.split(":")[0] if KERAS3 else tensor._keras_history.layer.name


def predict(model, inputs):
    arrays = [inputs[input_name(t)] for t in model.inputs]
    out = model(arrays if len(arrays) > 1 else arrays[0], training=False)
    out = out if isinstance(out, (list, tuple)) else [out]
    return [np.asarray(o, dtype=np.float32) for o in out]


def output_names(model, n):
    """KerasImporter's names for the model's outputs (see the module docstring)."""
    if n == 1:
        return [model.layers[-1].name]
    names = {"return_state": ["dense", "lstm_h", "lstm_c"],
             "state_serving": ["dense", "lstm_h", "lstm_c"],
             "bidi_return_state": ["dense", "bidi_forward_h", "bidi_forward_c", "bidi_backward_h", "bidi_backward_c"],
             "bidi_none_sequences": ["bidi_forward", "bidi_backward"],
             "bidi_none_last": ["bidi_forward", "bidi_backward"],
             "branching": ["head_a", "head_b"]}
    return names[model.name]


def versions():
    v = {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__,
         "python": sys.version.split()[0]}
    import h5py
    v["h5py"] = h5py.__version__
    return v


def check_reload(path, inputs, expected):
    """The saved file, loaded back by Keras, must give exactly the outputs recorded (it holds the model that made them)."""
    model = keras.models.load_model(path, compile=False)
    for got, exp in zip(predict(model, inputs), expected):
        if not np.array_equal(got, exp):
            raise AssertionError(f"{path}: reloaded model differs from the saved one by {np.abs(got - exp).max()}")


def make(spec, out_root, v):
    name = spec["name"]
    keras.utils.set_random_seed(1234)
    built = spec["build"]()
    extra = {}
    inputs = None
    if isinstance(built, tuple):
        model, inputs, extra = built
    else:
        model = built
        randomize_biases(model)
        extra = {"weights": "Keras default initializers (seeded), then every bias set to seeded uniform(-0.5, 0.5)"}
    if inputs is None:
        inputs = spec["inputs"]() if "inputs" in spec else sample_inputs(model)
    refuse = "refusal" in spec
    folder = out_root / name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "inputs").mkdir(parents=True)
    files = ["model.keras", "model.h5"]
    for f in files:
        model.save(folder / f)
    fixture = {"name": name, "group": GROUP, "description": spec["description"],
               "source": f"Keras {v['keras']} (TensorFlow {v['tensorflow']} backend, CPU, float32): "
                         f"model(inputs, training=False)",
               "generator": GENERATOR, "versions": v, "model_files": files,
               "inputs": list(inputs), "atol": ATOL, "rtol": RTOL, "expect": "refuse" if refuse else "match"}
    for k, a in inputs.items():
        np.save(folder / "inputs" / f"{k}.npy", a)
    if refuse:
        fixture["refusal"] = spec["refusal"]
        fixture["outputs"] = []
    else:
        expected = predict(model, inputs)
        names = output_names(model, len(expected))
        (folder / "expected").mkdir()
        for k, a in zip(names, expected):
            np.save(folder / "expected" / f"{k}.npy", a)
        for f in files:
            check_reload(folder / f, inputs, expected)
        fixture["outputs"] = names
        fixture["output_shapes"] = {k: list(a.shape) for k, a in zip(names, expected)}
        fixture["reload_check"] = "keras.models.load_model of each model file reproduces expected/ exactly"
    fixture["keras_layers"] = [type(layer).__name__ for layer in model.layers]
    fixture.update(extra)
    (folder / "fixture.json").write_text(json.dumps(fixture, indent=2) + "\n")
    return fixture


def real_world(out_root, v):
    """A real user's Keras 3.12 model, committed as found (model.keras, inputs/): only Keras's outputs are recomputed.

    Source: github.com/SubramaniMokkala/aircraft-predictive-maintenance, models/lstm_model.keras at commit
    75f42c6e140edd96a4f8494cded8b7f220571303 (MIT, Copyright (c) 2025 Subramani Mokkala); the input is the
    [3, 30, 17] sample kept beside it in the project's shared real-world fixtures (keras3-tf2onnx-aircraft).
    """
    folder = out_root / "real_world_aircraft"
    model = keras.models.load_model(folder / "model.keras", compile=False)
    name = input_name(model.inputs[0])
    x = np.load(folder / "inputs" / f"{name}.npy")
    (y,) = predict(model, {name: x})
    out = model.layers[-1].name
    shutil.rmtree(folder / "expected", ignore_errors=True)
    (folder / "expected").mkdir()
    np.save(folder / "expected" / f"{out}.npy", y)
    fixture = {"name": "real_world_aircraft", "group": GROUP,
               "description": "A real user's Keras 3.12.0 model (LSTM(64, return_sequences) -> LSTM(32) -> "
                              "Dense(16, relu) -> Dense(1)) as its author saved it: github.com/SubramaniMokkala/"
                              "aircraft-predictive-maintenance models/lstm_model.keras at commit "
                              "75f42c6e140edd96a4f8494cded8b7f220571303 (MIT, Copyright (c) 2025 Subramani Mokkala).",
               "source": f"Keras {v['keras']} (TensorFlow {v['tensorflow']} backend, CPU, float32): "
                         f"model(inputs, training=False)",
               "generator": GENERATOR, "versions": v, "model_files": ["model.keras"], "inputs": [name],
               "outputs": [out], "output_shapes": {out: list(y.shape)}, "atol": ATOL, "rtol": RTOL, "expect": "match",
               "keras_layers": [type(layer).__name__ for layer in model.layers]}
    (folder / "fixture.json").write_text(json.dumps(fixture, indent=2) + "\n")
    return fixture


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=FIXTURES / GROUP)
    parser.add_argument("--only", default=None, help="comma-separated fixture names (index.txt is still complete)")
    args = parser.parse_args(argv)
    tf.config.experimental.enable_op_determinism()
    v = versions()
    only = set(args.only.split(",")) if args.only else None
    args.out.mkdir(parents=True, exist_ok=True)
    names = []
    for spec in cases():
        names.append(spec["name"])
        if only and spec["name"] not in only:
            continue
        f = make(spec, args.out, v)
        print(f"{GROUP}/{f['name']:28s} {f['expect']:6s} outputs {f.get('output_shapes', f.get('refusal'))}")
    if KERAS3:
        names.append("real_world_aircraft")
        if not only or "real_world_aircraft" in only:
            f = real_world(args.out, v)
            print(f"{GROUP}/{f['name']:28s} match  outputs {f['output_shapes']}")
    (args.out / "index.txt").write_text("".join(n + "\n" for n in names))
    total = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"group size: {total / 1024:.0f} KiB in {args.out}")


if __name__ == "__main__":
    main()
