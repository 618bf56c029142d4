#!/usr/bin/env python3
"""Generates the "keras-masks" fixture group: Keras 3 models with masks, on padded batches, with Keras's own outputs.

    "$(tools/python/venv.sh keras)"/bin/python tools/keras/make_keras_mask_fixtures.py [--only name,name]

Every mask form Keras has, each on pre-padded (keras.utils.pad_sequences' default), post-padded and, where the
case says so, middle-masked batches with an all-masked row and a full row: Masking(mask_value),
Embedding(mask_zero=True), an explicit boolean mask given with the input, LSTM(return_sequences) (a masked step
repeats the previous output), go_backwards, Bidirectional (masked steps output zeros: Keras sets
zero_output_for_mask for its sublayers when they return sequences), stacked LSTMs, initial states, and the
classification heads (softmax, log_softmax, sigmoid).

tf2onnx cannot write any of these as a fused ONNX LSTM (it writes a Loop), so the fixtures carry no model.onnx:
"expect" is "framework". The Java side rebuilds each model from Keras's own weight arrays (framework/*.npy) with the
layout converters and must reproduce Keras's outputs (expected/*.npy, model(inputs, training=False), float32,
TensorFlow CPU). model.keras is kept for the Keras importer. Seeded: a re-run writes the same numbers.

Fixture format: tools/fixtures/README.md; extra keys here: "token_inputs" (int32 token ids [batch, time]) and
"mask_inputs" (bool [batch, time], True = a valid step) name the graph inputs that are not float features.
"""
import argparse
import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "lstm-conformance/src/main/resources/org/lstm4j/conformance/fixtures/keras-masks"
GENERATOR = "tools/keras/make_keras_mask_fixtures.py"
ATOL = RTOL = 1e-5
FEATURES, STEPS, HIDDEN, VOCAB, EMBED = 3, 7, 5, 12, 4
# Valid lengths of the six rows: a full row, short ones, a one-step row and an all-masked row.
LENGTHS = [7, 4, 1, 5, 0, 3]
# Middle masks (1 = valid): holes between valid steps, plus a full and an all-masked row.
MIDDLE = np.array([[1, 1, 0, 1, 0, 0, 1],
                   [1, 1, 1, 1, 1, 1, 1],
                   [0, 1, 0, 1, 1, 0, 0],
                   [1, 0, 0, 0, 0, 0, 1],
                   [0, 0, 0, 0, 0, 0, 0],
                   [0, 0, 1, 1, 0, 1, 1]], bool)

KERAS_LAYOUT = {
    "kernel": "Keras LSTM kernel [input_size, 4*units], gate blocks i,f,c,o along the last axis (x @ kernel)",
    "recurrent_kernel": "Keras LSTM recurrent_kernel [units, 4*units], gate blocks i,f,c,o (h @ recurrent_kernel)",
    "bias": "Keras LSTM bias [4*units], gate blocks i,f,c,o",
    "dense_kernel": "Keras Dense kernel [in, units] (x @ kernel)",
    "dense_bias": "Keras Dense bias [units]",
    "embeddings": "Keras Embedding embeddings [input_dim, output_dim] (row i is the vector of id i)",
}


# ------------------------------------------------------------------------------------------------ inputs

def feature_rows(rng, padding):
    """Float sequences of LENGTHS, padded with 0.0 (the Masking value) before or after; or MIDDLE holes."""
    if padding == "middle":
        x = rng.standard_normal((len(MIDDLE), STEPS, FEATURES)).astype(np.float32)
        x[~MIDDLE] = 0.0
        return x
    seqs = [rng.standard_normal((n, FEATURES)).astype(np.float32) for n in LENGTHS]
    return keras.utils.pad_sequences(seqs, maxlen=STEPS, dtype="float32", padding=padding, value=0.0)


def token_rows(rng, padding):
    """Token ids in [1, VOCAB) padded with 0 (mask_zero's padding id) before or after; or 0 in the MIDDLE holes."""
    if padding == "middle":
        ids = rng.integers(1, VOCAB, (len(MIDDLE), STEPS)).astype(np.int32)
        ids[~MIDDLE] = 0
        return ids
    seqs = [list(rng.integers(1, VOCAB, n)) for n in LENGTHS]
    return keras.utils.pad_sequences(seqs, maxlen=STEPS, dtype="int32", padding=padding, value=0)


def valid_steps(padding):
    if padding == "middle":
        return MIDDLE.copy()
    rows = [[True] * n + [False] * (STEPS - n) for n in LENGTHS]
    m = np.array(rows, bool)
    return m[:, ::-1].copy() if padding == "pre" else m


# ------------------------------------------------------------------------------------------------ models

def features_in():
    return keras.Input((STEPS, FEATURES), name="x")


def tokens_in():
    return keras.Input((STEPS,), dtype="int32", name="ids")


def masked(layers, tokens=False):
    def build():
        inp = tokens_in() if tokens else features_in()
        h = inp
        for layer in layers():
            h = layer(h)
        return keras.Model(inp, h)
    return build


def explicit_mask_model():
    x = features_in()
    m = keras.Input((STEPS,), dtype="bool", name="mask")
    y = L.LSTM(HIDDEN, return_sequences=True, name="lstm")(x, mask=m)
    y = L.Dense(2, name="dense")(y)
    return keras.Model([x, m], y)


def initial_state_model():
    # The mask is a graph input here: Keras 3.15 drops a Masking layer's mask when the next LSTM is called with
    # initial_state in the functional API (its outputs then equal the unmasked LSTM's; checked when this was written).
    x = features_in()
    m = keras.Input((STEPS,), dtype="bool", name="mask")
    h0 = keras.Input((HIDDEN,), name="h0")
    c0 = keras.Input((HIDDEN,), name="c0")
    y, h, c = L.LSTM(HIDDEN, return_sequences=True, return_state=True, name="lstm")(x, mask=m, initial_state=[h0, c0])
    return keras.Model([x, m, h0, c0], [y, h, c])


def corpus():
    H = HIDDEN
    c = []

    def add(name, build, description, paddings=("pre", "post", "middle"), tokens=False, extra_inputs=None,
            output_names=None):
        c.append(dict(name=name, build=build, description=description, paddings=paddings, tokens=tokens,
                      extra_inputs=extra_inputs, output_names=output_names))

    add("masking_last", masked(lambda: [L.Masking(0.0, name="mask"), L.LSTM(H, name="lstm"),
                                        L.Dense(3, activation="softmax", name="dense")]),
        "Masking(0.0) -> LSTM(5) (last output: the output of each row's last valid step) -> Dense(3, softmax).")
    add("masking_sequences", masked(lambda: [L.Masking(0.0, name="mask"),
                                             L.LSTM(H, return_sequences=True, name="lstm"),
                                             L.Dense(2, name="dense")]),
        "Masking(0.0) -> LSTM(5, return_sequences) -> Dense(2) on every step: a masked step repeats the previous "
        "step's output (zeros before the first valid step).")
    add("masking_go_backwards", masked(lambda: [L.Masking(0.0, name="mask"),
                                                L.LSTM(H, return_sequences=True, go_backwards=True, name="lstm"),
                                                L.Dense(2, name="dense")]),
        "Masking(0.0) -> LSTM(5, go_backwards, return_sequences) -> Dense(2): outputs in processing order over the "
        "whole time axis (from the last step to the first), masked steps repeating the previous output.")
    add("masking_go_backwards_last", masked(lambda: [L.Masking(0.0, name="mask"),
                                                     L.LSTM(H, go_backwards=True, name="lstm"),
                                                     L.Dense(2, name="dense")]),
        "Masking(0.0) -> LSTM(5, go_backwards) (last output) -> Dense(2).", paddings=("pre", "post"))
    add("masking_bidi_sequences", masked(lambda: [L.Masking(0.0, name="mask"),
                                                  L.Bidirectional(L.LSTM(4, return_sequences=True, name="lstm"),
                                                                  merge_mode="concat", name="bidi"),
                                                  L.Dense(2, name="dense")]),
        "Masking(0.0) -> Bidirectional(LSTM(4, return_sequences), concat) -> Dense(2) on every step: Keras sets "
        "zero_output_for_mask on both directions, so masked steps output zeros.")
    add("masking_bidi_last", masked(lambda: [L.Masking(0.0, name="mask"),
                                             L.Bidirectional(L.LSTM(4, name="lstm"), merge_mode="sum", name="bidi"),
                                             L.Dense(3, activation="sigmoid", name="dense")]),
        "Masking(0.0) -> Bidirectional(LSTM(4), sum) -> Dense(3, sigmoid).", paddings=("pre", "post"))
    add("masking_stacked", masked(lambda: [L.Masking(0.0, name="mask"),
                                           L.LSTM(H, return_sequences=True, name="lstm_1"),
                                           L.LSTM(4, name="lstm_2"),
                                           L.Dense(3, activation="log_softmax", name="dense")]),
        "Masking(0.0) -> LSTM(5, return_sequences) -> LSTM(4) -> Dense(3, log_softmax): the mask reaches the "
        "second LSTM.")
    add("mask_initial_state", initial_state_model,
        "LSTM(5, return_sequences, return_state)(x, mask=mask, initial_state=[h0, c0]): steps before the first valid "
        "one output zeros although h0 is not zero, and an all-masked row keeps h0 and c0 as its final state.",
        paddings=("pre", "post"), extra_inputs="mask+state", output_names=["y", "hn", "cn"])
    add("explicit_mask", explicit_mask_model,
        "LSTM(5, return_sequences)(x, mask=mask) -> Dense(2): the mask is a graph input (bool [batch, time]), the "
        "features are not zero at masked steps.", extra_inputs="mask")
    add("embedding_mask_zero_last", masked(lambda: [L.Embedding(VOCAB, EMBED, mask_zero=True, name="embedding"),
                                                    L.LSTM(H, name="lstm"),
                                                    L.Dense(3, activation="softmax", name="dense")], tokens=True),
        "Embedding(12, 4, mask_zero=True) -> LSTM(5) -> Dense(3, softmax): a text classifier over padded ids.",
        tokens=True)
    add("embedding_mask_zero_tagger", masked(lambda: [L.Embedding(VOCAB, EMBED, mask_zero=True, name="embedding"),
                                                      L.Bidirectional(L.LSTM(4, return_sequences=True, name="lstm"),
                                                                      name="bidi"),
                                                      L.Dense(4, activation="softmax", name="dense")], tokens=True),
        "Embedding(12, 4, mask_zero=True) -> Bidirectional(LSTM(4, return_sequences)) -> Dense(4, softmax) on every "
        "step: a token tagger.", tokens=True)
    add("embedding_mask_zero_stacked", masked(lambda: [L.Embedding(VOCAB, EMBED, mask_zero=True, name="embedding"),
                                                       L.LSTM(H, return_sequences=True, name="lstm_1"),
                                                       L.LSTM(4, return_sequences=True, name="lstm_2"),
                                                       L.Dense(3, name="dense")], tokens=True),
        "Embedding(mask_zero=True) -> LSTM(5, return_sequences) -> LSTM(4, return_sequences) -> Dense(3) on every "
        "step.", tokens=True, paddings=("pre", "post"))
    add("embedding_no_mask", masked(lambda: [L.Embedding(VOCAB, EMBED, name="embedding"), L.LSTM(H, name="lstm"),
                                             L.Dense(1, activation="sigmoid", name="dense")], tokens=True),
        "Embedding(12, 4) without mask_zero -> LSTM(5) -> Dense(1, sigmoid): id 0 is an ordinary token, padding "
        "steps are computed.", tokens=True, paddings=("pre", "post"))
    return c


# ------------------------------------------------------------------------------------------------ writing

SUMMARY_KEYS = ["units", "activation", "recurrent_activation", "use_bias", "return_sequences", "return_state",
                "go_backwards", "zero_output_for_mask", "merge_mode", "mask_value", "input_dim", "output_dim",
                "mask_zero"]


def layer_summary(model):
    out = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        cfg = layer.get_config()
        entry = {"class": type(layer).__name__, "name": layer.name}
        entry.update({k: cfg[k] for k in SUMMARY_KEYS if k in cfg})
        if isinstance(layer, L.Bidirectional):
            for side in ("forward_layer", "backward_layer"):
                icfg = getattr(layer, side).get_config()
                entry[side] = {"class": type(getattr(layer, side)).__name__,
                               **{k: icfg[k] for k in SUMMARY_KEYS if k in icfg}}
            entry["wrapped"] = entry["forward_layer"]
        out.append(entry)
    return out


def framework_weights(model):
    out = {}

    def arrays(prefix, layer, names, kind=""):
        for name, arr in zip(names, layer.get_weights()):
            out[f"{prefix}_{name}"] = (arr, KERAS_LAYOUT[kind + name])

    for layer in model.layers:
        if isinstance(layer, L.Bidirectional):
            arrays(f"{layer.name}_forward", layer.forward_layer, ["kernel", "recurrent_kernel", "bias"])
            arrays(f"{layer.name}_backward", layer.backward_layer, ["kernel", "recurrent_kernel", "bias"])
        elif isinstance(layer, L.LSTM):
            arrays(layer.name, layer, ["kernel", "recurrent_kernel", "bias"])
        elif isinstance(layer, L.Dense):
            arrays(layer.name, layer, ["kernel", "bias"], "dense_")
        elif isinstance(layer, L.Embedding):
            arrays(layer.name, layer, ["embeddings"])
    return out


def randomize_biases(model, seed=4321):
    """Keras initialises biases to zeros (ones for the LSTM forget gate), which would let a bias mix-up pass."""
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        if weight.path.endswith("bias"):
            weight.assign(rng.uniform(-0.5, 0.5, weight.shape).astype(np.float32))


def make_inputs(spec, padding, rng):
    inputs = {}
    if spec["tokens"]:
        inputs["ids"] = token_rows(rng, padding)
    else:
        inputs["x"] = feature_rows(rng, padding)
        if spec["extra_inputs"] in ("mask", "mask+state"):
            # Random features everywhere: only the mask input says which steps count.
            inputs["x"] = rng.standard_normal(inputs["x"].shape).astype(np.float32)
            inputs["mask"] = valid_steps(padding)
    if spec["extra_inputs"] == "mask+state":
        batch = inputs["x"].shape[0]
        inputs["h0"] = rng.uniform(-0.8, 0.8, (batch, HIDDEN)).astype(np.float32)
        inputs["c0"] = rng.uniform(-0.8, 0.8, (batch, HIDDEN)).astype(np.float32)
    return inputs


def make_fixture(spec, padding):
    name = f"{spec['name']}_{padding}"
    keras.utils.set_random_seed(1234)
    model = spec["build"]()
    randomize_biases(model)
    rng = np.random.default_rng(hash_name(name))
    inputs = make_inputs(spec, padding, rng)
    feed = {k: tf.constant(v) for k, v in inputs.items()}
    outputs = model(feed if len(feed) > 1 else next(iter(feed.values())), training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    names = spec["output_names"] or ["y"]
    expected = {n: np.asarray(o, np.float32) for n, o in zip(names, outputs)}

    folder = OUT / name
    if folder.exists():
        shutil.rmtree(folder)
    for sub in ("inputs", "expected", "framework"):
        (folder / sub).mkdir(parents=True)
    for k, v in inputs.items():
        np.save(folder / "inputs" / f"{k}.npy", np.ascontiguousarray(v), allow_pickle=False)
    for k, v in expected.items():
        np.save(folder / "expected" / f"{k}.npy", np.ascontiguousarray(v), allow_pickle=False)
    weights = {}
    for stem, (arr, layout) in framework_weights(model).items():
        np.save(folder / "framework" / f"{stem}.npy", np.asarray(arr, np.float32), allow_pickle=False)
        weights[stem] = {"shape": list(arr.shape), "layout": layout}
    model.save(folder / "model.keras")
    fixture = {
        "name": name,
        "group": "keras-masks",
        "description": spec["description"] + f" Batch padded '{padding}'"
        + (" (keras.utils.pad_sequences)" if padding != "middle" else " (masked steps between valid ones)") + ".",
        "source": f"Keras {keras.__version__} (TensorFlow {tf.__version__} backend, CPU, float32): "
                  f"model(inputs, training=False)",
        "generator": GENERATOR,
        "versions": {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__},
        "inputs": list(inputs),
        "outputs": names,
        "token_inputs": [k for k in inputs if k == "ids"],
        "mask_inputs": [k for k in inputs if k == "mask"],
        "atol": ATOL,
        "rtol": RTOL,
        "expect": "framework",
        "padding": padding,
        "valid_steps": valid_steps(padding).astype(int).tolist(),
        "architecture": {
            "keras_layers": layer_summary(model),
            "input_shapes": {k: list(v.shape) for k, v in inputs.items()},
            "output_shapes": {k: list(v.shape) for k, v in expected.items()},
        },
        "framework_weights": weights,
        "keras_model": "model.keras (keras.Model.save, Keras native format)",
        "weights": "Keras default initializers (seeded), then every bias set to seeded uniform(-0.5, 0.5)",
    }
    (folder / "fixture.json").write_text(json.dumps(fixture, indent=2) + "\n")
    return name, expected


def hash_name(name):
    import zlib
    return zlib.crc32(name.encode("utf-8"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=None, help="comma-separated case names (index.txt stays complete)")
    args = parser.parse_args(argv)
    tf.config.experimental.enable_op_determinism()
    only = set(args.only.split(",")) if args.only else None
    OUT.mkdir(parents=True, exist_ok=True)
    names = []
    for spec in corpus():
        for padding in spec["paddings"]:
            fixture = f"{spec['name']}_{padding}"
            names.append(fixture)
            if only and spec["name"] not in only:
                continue
            name, expected = make_fixture(spec, padding)
            shapes = ", ".join(f"{k}{list(v.shape)}" for k, v in expected.items())
            print(f"{name:40s} {shapes}", flush=True)
    (OUT / "index.txt").write_text("".join(n + "\n" for n in names))
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{len(names)} fixtures, {total / 1024:.0f} KiB in {OUT}")


if __name__ == "__main__":
    main()
