#!/usr/bin/env python3
"""Generates the "keras" conformance fixture group: Keras 3 LSTM models exported to ONNX by tf2onnx.

    "$(tools/python/venv.sh keras)"/bin/python tools/keras/make_keras_fixtures.py [--out DIR] [--only name,name]

Writes lstm-conformance/src/main/resources/org/lstm4j/conformance/fixtures/keras/<name>/ for every model below, in
the shared fixture format (see tools/keras/README.md), and keras/index.txt. The expected outputs are KERAS's own
(model(x, training=False), float32, TensorFlow CPU); ONNX Runtime for Python is run on the exported graph only as a
check and its largest difference from Keras is recorded as "ort_check". Every model is seeded, so a re-run writes
the same numbers.

Where tf2onnx cannot fuse the Keras recurrence into an ONNX LSTM node (it writes a Loop instead: Keras 3's
hard_sigmoid gate, a Masking layer) the fixture is kept with "expect": "refuse" and "refusal" naming the Keras
setting responsible, so the Java importer's test can check that it refuses the graph with a message naming it.
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

import export_keras  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "lstm-conformance/src/main/resources/org/lstm4j/conformance/fixtures/keras"
GENERATOR = "tools/keras/make_keras_fixtures.py"
FEATURES = 3
STEPS = 6
HIDDEN = 5
BATCH = 2

KERAS_LAYOUT = {
    "kernel": "Keras LSTM kernel [input_size, 4*units], gate blocks i,f,c,o along the last axis (x @ kernel)",
    "recurrent_kernel": "Keras LSTM recurrent_kernel [units, 4*units], gate blocks i,f,c,o (h @ recurrent_kernel)",
    "bias": "Keras LSTM bias [4*units], gate blocks i,f,c,o (one bias: Keras has no separate recurrent bias)",
    "dense_kernel": "Keras Dense kernel [in, units] (x @ kernel)",
    "dense_bias": "Keras Dense bias [units]",
}


def seq_model(name, time_steps, *layers, features=FEATURES):
    inp = keras.Input((time_steps, features), name="x")
    h = inp
    for layer in layers:
        h = layer(h)
    return keras.Model(inp, h, name=name)


# ---------------------------------------------------------------------------------------------------------------
# The corpus: name -> (builder, description, options). Builders seed Keras before building, so weights are fixed.
# ---------------------------------------------------------------------------------------------------------------

def seed_model():
    return seq_model("seed_lstm50_dense10", 100, L.LSTM(50, name="lstm"), L.Dense(10, name="dense"), features=10)


def trained_model():
    """LSTM(8)+Dense(1) trained 8 epochs (Adam) to predict the next value of a noisy two-tone synthetic series."""
    rng = np.random.default_rng(7)
    t = np.arange(600, dtype=np.float64)
    series = np.sin(2 * np.pi * t / 25) + 0.5 * np.sin(2 * np.pi * t / 7) + 0.1 * rng.standard_normal(t.size)
    series = series.astype(np.float32)
    window = 12
    xs = np.stack([series[i:i + window] for i in range(series.size - window)])[..., None]
    ys = series[window:][:, None]
    model = seq_model("trained_sine", window, L.LSTM(8, name="lstm"), L.Dense(1, name="dense"), features=1)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    hist = model.fit(xs[:500], ys[:500], epochs=8, batch_size=32, shuffle=True, verbose=0)
    # The sample input is real data the model was not trained on (the last windows of the series).
    sample = {"x": xs[-BATCH:].astype(np.float32)}
    extra = {"training": {"series": "sin(2*pi*t/25) + 0.5*sin(2*pi*t/7) + 0.1*N(0,1), t=0..599, numpy seed 7",
                          "window": window, "epochs": 8, "optimizer": "Adam(lr=0.01)", "loss": "mse",
                          "train_windows": 500, "final_train_loss": float(hist.history["loss"][-1]),
                          "first_train_loss": float(hist.history["loss"][0])}}
    return model, sample, extra


def masking_inputs():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((BATCH, STEPS, FEATURES)).astype(np.float32)
    x[1, 4:, :] = 0.0  # the second sequence is 4 steps long, right-padded with the mask value
    return {"x": x}


def state_sequences_model():
    inp = keras.Input((STEPS, FEATURES), name="x")
    y, h, c = L.LSTM(HIDDEN, return_sequences=True, return_state=True, name="lstm")(inp)
    return keras.Model(inp, [y, h, c], name="state_sequences")


def state_serving_model():
    """The stateful serving pattern: (x, h0, c0) -> (prediction from the last output, h_n, c_n); chunk by chunk."""
    inp = keras.Input((None, FEATURES), name="x")
    h0 = keras.Input((HIDDEN,), name="h0")
    c0 = keras.Input((HIDDEN,), name="c0")
    last, h, c = L.LSTM(HIDDEN, return_state=True, name="lstm")(inp, initial_state=[h0, c0])
    y = L.Dense(2, name="dense")(last)
    return keras.Model([inp, h0, c0], [y, h, c], name="state_serving")


def state_serving_inputs():
    rng = np.random.default_rng(5)
    return {"x": rng.standard_normal((BATCH, STEPS, FEATURES)).astype(np.float32),
            "h0": (0.5 * rng.standard_normal((BATCH, HIDDEN))).astype(np.float32),
            "c0": (0.5 * rng.standard_normal((BATCH, HIDDEN))).astype(np.float32)}


def corpus():
    H, T = HIDDEN, STEPS
    c = []

    def add(name, build, description, **opts):
        c.append(dict(name=name, build=build, description=description, **opts))

    add("seed_lstm50_dense10", seed_model,
        "The issue's seed model: LSTM(50) on input shape (100, 10), last output, then Dense(10).")
    add("seq_dense", lambda: seq_model("seq_dense", None, L.LSTM(H, return_sequences=True, name="lstm"),
                                       L.Dense(2, name="dense")),
        "LSTM(return_sequences=True) followed by Dense(2) applied to every step (Dense on a 3-D tensor); the "
        "time dimension is dynamic (None).", time_steps=T)
    # TimeDistributed keeps a fixed time dimension: with time None Keras 3 traces it as a pfor while-loop that
    # tf2onnx 1.17 converts wrongly (ONNX Runtime returns [B, 2, 2] instead of [B, T, 2]).
    add("seq_timedistributed", lambda: seq_model("seq_timedistributed", T,
                                                 L.LSTM(H, return_sequences=True, name="lstm"),
                                                 L.TimeDistributed(L.Dense(2, name="dense"), name="td")),
        "LSTM(return_sequences=True) followed by TimeDistributed(Dense(2)).")
    add("stacked2", lambda: seq_model("stacked2", T, L.LSTM(H, return_sequences=True, name="lstm_1"),
                                      L.LSTM(4, name="lstm_2"), L.Dense(2, name="dense")),
        "Two stacked LSTMs (5 then 4 units), last output, Dense(2).")
    add("stacked3", lambda: seq_model("stacked3", T, L.LSTM(H, return_sequences=True, name="lstm_1"),
                                      L.LSTM(4, return_sequences=True, name="lstm_2"),
                                      L.LSTM(3, name="lstm_3"), L.Dense(2, name="dense")),
        "Three stacked LSTMs (5, 4, 3 units), last output, Dense(2).")
    for mode in ["concat", "sum", "ave", "mul"]:
        add(f"bidi_{mode}", (lambda m=mode: seq_model(f"bidi_{m}", T,
                                                       L.Bidirectional(L.LSTM(H, name="lstm"), merge_mode=m,
                                                                       name="bidi"),
                                                       L.Dense(2, name="dense"))),
            f"Bidirectional(LSTM(5), merge_mode='{mode}'), last output (forward's last step with backward's "
            f"final state), Dense(2).")
    add("bidi_concat_sequences", lambda: seq_model("bidi_concat_sequences", T,
                                                   L.Bidirectional(L.LSTM(H, return_sequences=True, name="lstm"),
                                                                   merge_mode="concat", name="bidi"),
                                                   L.Dense(2, name="dense")),
        "Bidirectional(LSTM(5, return_sequences=True), merge_mode='concat'), Dense(2) on every step.")
    add("go_backwards_last", lambda: seq_model("go_backwards_last", T, L.LSTM(H, go_backwards=True, name="lstm"),
                                               L.Dense(2, name="dense")),
        "LSTM(go_backwards=True) (reads the sequence from the end), last output, Dense(2).")
    add("go_backwards_sequences", lambda: seq_model("go_backwards_sequences", T,
                                                    L.LSTM(H, go_backwards=True, return_sequences=True,
                                                           name="lstm"),
                                                    L.Dense(2, name="dense")),
        "LSTM(go_backwards=True, return_sequences=True): Keras returns the outputs in processing order, i.e. "
        "reversed with respect to the input (reversedOutputOrder), then Dense(2) on every step.")
    add("hard_sigmoid", lambda: seq_model("hard_sigmoid", T, L.LSTM(H, recurrent_activation="hard_sigmoid",
                                                                    name="lstm"), L.Dense(2, name="dense")),
        "LSTM(recurrent_activation='hard_sigmoid'): Keras 3's hard_sigmoid is relu6(x + 3) / 6 (alpha 1/6, beta "
        "0.5), not Keras 2's 0.2x + 0.5.",
        refusal="recurrent_activation='hard_sigmoid'",
        refusal_why="tf2onnx 1.17 fuses only sigmoid/tanh gate patterns it recognises; for Keras 3's hard_sigmoid "
                    "it writes the recurrence as a Loop (TensorFlow while_loop) whose body computes the gates "
                    "with Add/Clip/Mul (relu6(x+3)/6) instead of a HardSigmoid activation on an LSTM node.")
    add("relu", lambda: seq_model("relu", T, L.LSTM(H, activation="relu", name="lstm"), L.Dense(2, name="dense")),
        "LSTM(activation='relu'): tf2onnx fuses it into an LSTM node with activations [Sigmoid, Relu, Relu].")
    add("no_bias", lambda: seq_model("no_bias", T, L.LSTM(H, use_bias=False, name="lstm"),
                                     L.Dense(2, name="dense")),
        "LSTM(use_bias=False); tf2onnx still writes a (zero) B input.")
    add("trained_sine", trained_model,
        "LSTM(8) + Dense(1) trained 8 epochs to predict the next value of a noisy synthetic series from a "
        "12-step window (trained, not random, weights); the sample is two real held-out windows.")
    add("masking", lambda: seq_model("masking", T, L.Masking(0.0, name="mask"), L.LSTM(H, name="lstm"),
                                     L.Dense(2, name="dense")),
        "Masking(mask_value=0.0) before LSTM(5); the second sample sequence is right-padded with zeros after 4 "
        "steps, so Keras keeps its state past step 4.",
        inputs=masking_inputs,
        refusal="Masking",
        refusal_why="tf2onnx 1.17 does not turn the Keras mask into an LSTM sequence_lens input: it writes the "
                    "mask as Equal/Not/ReduceSum ops on the input and the recurrence as a Loop whose body "
                    "selects between new and previous state, with no fused LSTM node.")
    add("state_sequences", state_sequences_model,
        "LSTM(5, return_sequences=True, return_state=True): outputs the sequence y [B,T,5] and the final h and c "
        "[B,5] (graph outputs renamed from tf2onnx's lstm, lstm_1, lstm_2 to y, hn, cn).",
        output_names=["y", "hn", "cn"])
    add("state_serving", state_serving_model,
        "Stateful serving pattern: inputs x [B,T,3] (dynamic T), h0 and c0 [B,5] as initial_state; outputs "
        "Dense(2) of the last output, and the final h and c to feed the next call (outputs renamed from "
        "tf2onnx's dense, lstm, lstm_1 to y, hn, cn).",
        inputs=state_serving_inputs, time_steps=T, output_names=["y", "hn", "cn"], streaming_check=True)
    return c


# ---------------------------------------------------------------------------------------------------------------

def layer_summary(model):
    keys = ["units", "activation", "recurrent_activation", "use_bias", "return_sequences", "return_state",
            "go_backwards", "unit_forget_bias", "merge_mode", "mask_value"]
    out = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        cfg = layer.get_config()
        entry = {"class": type(layer).__name__, "name": layer.name}
        entry.update({k: cfg[k] for k in keys if k in cfg})
        for inner in ("layer", "forward_layer"):
            if hasattr(layer, inner) and isinstance(getattr(layer, inner), keras.layers.Layer):
                icfg = getattr(layer, inner).get_config()
                entry["wrapped"] = {"class": type(getattr(layer, inner)).__name__,
                                    **{k: icfg[k] for k in keys if k in icfg}}
        out.append(entry)
    return out


def framework_weights(model):
    """Keras's own weight arrays: {file stem: (array, description)} per LSTM (per direction) and Dense layer."""
    out = {}

    def lstm(prefix, layer):
        names = ["kernel", "recurrent_kernel", "bias"]
        for name, arr in zip(names, layer.get_weights()):
            out[f"{prefix}_{name}"] = (arr, KERAS_LAYOUT[name])

    def dense(prefix, layer):
        for name, arr in zip(["kernel", "bias"], layer.get_weights()):
            out[f"{prefix}_{name}"] = (arr, KERAS_LAYOUT["dense_" + name])

    for layer in model.layers:
        if isinstance(layer, L.Bidirectional):
            lstm(f"{layer.name}_forward", layer.forward_layer)
            lstm(f"{layer.name}_backward", layer.backward_layer)
        elif isinstance(layer, L.LSTM):
            lstm(layer.name, layer)
        elif isinstance(layer, L.TimeDistributed):
            dense(f"{layer.name}_{layer.layer.name}", layer.layer)
        elif isinstance(layer, L.Dense):
            dense(layer.name, layer)
    return out


# --- an independent check of framework/: Keras's LSTM equations in numpy float64 from the written .npy files ---

NP_ACTIVATIONS = {
    "tanh": np.tanh,
    "sigmoid": lambda v: 1.0 / (1.0 + np.exp(-v)),
    "relu": lambda v: np.maximum(v, 0.0),
    "hard_sigmoid": lambda v: np.clip(v + 3.0, 0.0, 6.0) / 6.0,  # Keras 3: relu6(x + 3) / 6
    "linear": lambda v: v,
}


def np_lstm(x, kernel, recurrent, bias, cfg, go_backwards, mask=None, h0=None, c0=None):
    """Keras LSTM: z = x W + h U + b, gate blocks i, f, c, o. Returns (outputs in processing order, h, c)."""
    batch, steps, _ = x.shape
    units = recurrent.shape[0]
    act, ract = NP_ACTIVATIONS[cfg["activation"]], NP_ACTIVATIONS[cfg["recurrent_activation"]]
    h = np.zeros((batch, units)) if h0 is None else h0.astype(np.float64)
    c = np.zeros((batch, units)) if c0 is None else c0.astype(np.float64)
    outs = []
    for t in (range(steps - 1, -1, -1) if go_backwards else range(steps)):
        z = x[:, t] @ kernel + h @ recurrent + (0.0 if bias is None else bias)
        i, f, g, o = (z[:, k * units:(k + 1) * units] for k in range(4))
        c_new = ract(f) * c + ract(i) * act(g)
        h_new = ract(o) * act(c_new)
        if mask is not None:  # a masked step keeps the previous state (Keras masking semantics)
            keep = mask[:, t][:, None]
            c_new = np.where(keep, c_new, c)
            h_new = np.where(keep, h_new, h)
        h, c = h_new, c_new
        outs.append(h)
    return np.stack(outs, axis=1), h, c


def framework_check(model, folder, result):
    w = {p.stem: np.load(p).astype(np.float64) for p in (folder / "framework").glob("*.npy")}
    x = {k: v.astype(np.float64) for k, v in result.inputs.items()}
    h = x["x"]
    mask = None
    state_outputs = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        cfg = layer.get_config()
        if isinstance(layer, L.Masking):
            mask = np.any(h != cfg["mask_value"], axis=-1)
        elif isinstance(layer, L.LSTM):
            n = layer.name
            seq, hn, cn = np_lstm(h, w[f"{n}_kernel"], w[f"{n}_recurrent_kernel"], w.get(f"{n}_bias"), cfg,
                                  cfg["go_backwards"], mask, x.get("h0"), x.get("c0"))
            h = seq if cfg["return_sequences"] else seq[:, -1]
            if cfg["return_state"]:
                state_outputs = [hn, cn]
        elif isinstance(layer, L.Bidirectional):
            n, inner = layer.name, layer.forward_layer.get_config()
            fw, _, _ = np_lstm(h, w[f"{n}_forward_kernel"], w[f"{n}_forward_recurrent_kernel"],
                               w[f"{n}_forward_bias"], inner, False)
            bw, _, _ = np_lstm(h, w[f"{n}_backward_kernel"], w[f"{n}_backward_recurrent_kernel"],
                               w[f"{n}_backward_bias"], inner, True)
            if inner["return_sequences"]:
                bw = bw[:, ::-1]  # Bidirectional puts the backward outputs back in input order
            else:
                fw, bw = fw[:, -1], bw[:, -1]
            mode = cfg["merge_mode"]
            h = {"concat": lambda: np.concatenate([fw, bw], axis=-1), "sum": lambda: fw + bw,
                 "ave": lambda: (fw + bw) / 2, "mul": lambda: fw * bw}[mode]()
        elif isinstance(layer, (L.Dense, L.TimeDistributed)):
            stem = f"{layer.name}_{layer.layer.name}" if isinstance(layer, L.TimeDistributed) else layer.name
            h = h @ w[f"{stem}_kernel"] + w[f"{stem}_bias"]
        else:
            raise ValueError(f"framework_check: no numpy model for {type(layer).__name__}")
    got = dict(zip(result.info["outputs"], [h] + state_outputs))
    if len(got) != len(result.expected):
        raise AssertionError(f"framework_check: {len(got)} numpy outputs for {list(result.expected)}")
    diffs = {}
    for name, e in result.expected.items():
        d = np.abs(got[name] - e.astype(np.float64))
        if not np.all(d <= export_keras.ATOL + export_keras.RTOL * np.abs(e)):
            raise AssertionError(f"framework_check: {name} differs from Keras by up to {d.max()}")
        diffs[name] = float(d.max())
    return {"what": "numpy float64 re-implementation of Keras's LSTM/Bidirectional/Masking/Dense equations "
                    "(gate blocks i, f, c, o) fed with framework/*.npy, against Keras's expected outputs",
            "max_abs_diff": diffs}


def streaming_check(model, result):
    """Runs the serving graph in ONNX Runtime on two chunks, feeding hn/cn back, against Keras on the whole input."""
    import onnxruntime as ort
    session = ort.InferenceSession(result.model_proto.SerializeToString(), providers=["CPUExecutionProvider"])
    x, h0, c0 = result.inputs["x"], result.inputs["h0"], result.inputs["c0"]
    split = x.shape[1] // 2
    _, h1, c1 = session.run(["y", "hn", "cn"], {"x": x[:, :split], "h0": h0, "c0": c0})
    y2, h2, c2 = session.run(["y", "hn", "cn"], {"x": x[:, split:], "h0": h1, "c0": c1})
    diffs = {"y": float(np.abs(y2 - result.expected["y"]).max()),
             "hn": float(np.abs(h2 - result.expected["hn"]).max()),
             "cn": float(np.abs(c2 - result.expected["cn"]).max())}
    return {"what": f"ONNX Runtime on x[:, :{split}] then x[:, {split}:] feeding hn/cn back as h0/c0, against "
                    f"Keras on the whole x", "max_abs_diff": diffs}


def randomize_biases(model, seed=4321):
    """Keras initialises biases to zeros (LSTM: ones for the forget gate), which would let a bias mix-up pass and
    lets tf2onnx drop the Dense Add; untrained fixtures get seeded uniform(-0.5, 0.5) biases instead."""
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        if weight.path.endswith("bias"):
            weight.assign(rng.uniform(-0.5, 0.5, weight.shape).astype(np.float32))


def make_fixture(spec, out_root):
    name = spec["name"]
    keras.utils.set_random_seed(1234)
    built = spec["build"]()
    extra = {}
    if isinstance(built, tuple):
        model, sample, extra = built
    else:
        model, sample = built, (spec["inputs"]() if "inputs" in spec else None)
        randomize_biases(model)
        extra = {"weights": "Keras default initializers (seeded), then every bias set to seeded uniform(-0.5, 0.5)"}
    result = export_keras.export(model, time_steps=spec.get("time_steps"), batch=BATCH, seed=99,
                                 inputs=sample, output_names=spec.get("output_names"))
    info = result.info
    check = info["ort_check"]
    if not check["within_tolerance"]:
        raise AssertionError(f"{name}: ONNX Runtime differs from Keras beyond tolerance: {check}")
    fused = info["fused_lstm_nodes"] > 0
    refuse = "refusal" in spec
    if refuse == fused:
        raise AssertionError(f"{name}: expected {'a Loop' if refuse else 'fused LSTM nodes'}, got ops "
                             f"{info['onnx_ops']}")

    folder = out_root / name
    if folder.exists():
        shutil.rmtree(folder)
    export_keras.write(result, folder)
    # export_keras.write also leaves its command-line extras; the fixture format keeps inputs/ and expected/ only.
    for stray in ("input.npy", "keras_output.npy", "export.json"):
        (folder / stray).unlink()
    (folder / "framework").mkdir()
    weights = {}
    for stem, (arr, description) in framework_weights(model).items():
        np.save(folder / "framework" / f"{stem}.npy", np.asarray(arr, dtype=np.float32))
        weights[stem] = {"shape": list(arr.shape), "layout": description}
    model.save(folder / "model.keras")
    framework = framework_check(model, folder, result)

    v = info["versions"]
    fixture = {
        "name": name,
        "group": "keras",
        "description": spec["description"],
        "source": f"Keras {v['keras']} (TensorFlow {v['tensorflow']} backend, CPU, float32): "
                  f"model(x, training=False)",
        "exporter": f"tf2onnx {v['tf2onnx']}: {info['route']}",
        "generator": GENERATOR,
        "versions": {k: v[k] for k in ("keras", "tensorflow", "tf2onnx", "onnx", "onnxruntime", "numpy")},
        "inputs": info["inputs"],
        "outputs": info["outputs"],
        "atol": export_keras.ATOL,
        "rtol": export_keras.RTOL,
        "expect": "refuse" if refuse else "match",
    }
    if refuse:
        fixture["refusal"] = spec["refusal"]
        fixture["refusal_why"] = spec["refusal_why"]
    if spec.get("output_names"):
        fixture["outputs_renamed"] = "graph outputs renamed after tf2onnx by tools/keras/export_keras.py " \
                                     "rename_graph_outputs (tensor names only; the graph is unchanged)"
    fixture["architecture"] = {
        "keras_layers": layer_summary(model),
        "input_shapes": info["input_shapes"],
        "output_shapes": info["output_shapes"],
        "dynamic_batch": True,
        "opset": info["opset"],
        "fused_lstm_nodes": info["fused_lstm_nodes"],
    }
    fixture["onnx_ops"] = info["onnx_ops"]
    if info["onnx_ops_in_subgraphs"]:
        fixture["onnx_ops_in_subgraphs"] = info["onnx_ops_in_subgraphs"]
    fixture["ort_check"] = check
    if spec.get("streaming_check"):
        fixture["streaming_check"] = streaming_check(model, result)
    fixture["framework_weights"] = weights
    fixture["framework_check"] = framework
    fixture["keras_model"] = "model.keras (keras.Model.save, Keras native format)"
    fixture.update(extra)
    (folder / "fixture.json").write_text(json.dumps(fixture, indent=2) + "\n")
    return fixture


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", default=None, help="comma-separated fixture names (index.txt is still complete)")
    args = parser.parse_args(argv)
    tf.config.experimental.enable_op_determinism()
    specs = corpus()
    only = set(args.only.split(",")) if args.only else None
    args.out.mkdir(parents=True, exist_ok=True)
    for spec in specs:
        if only and spec["name"] not in only:
            continue
        f = make_fixture(spec, args.out)
        diffs = ", ".join(f"{k}={d:.2e}" for k, d in f["ort_check"]["max_abs_diff"].items())
        print(f"{f['name']:24s} {f['expect']:6s} ort-vs-keras max|diff| {diffs}  ops {f['onnx_ops']}")
    (args.out / "index.txt").write_text("".join(s["name"] + "\n" for s in specs))
    total = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"group size: {total / 1024:.0f} KiB in {args.out}")


if __name__ == "__main__":
    main()
