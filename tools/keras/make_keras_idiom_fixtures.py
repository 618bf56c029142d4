#!/usr/bin/env python3
"""Generates fixture group "keras-idioms": Keras 3 layers users put in front of an LSTM, exported to ONNX by tf2onnx,
with Keras's own outputs (model(x, training=False), float32, TensorFlow CPU) as the expected values.

- "normalization": keras.layers.Normalization(mean, variance) -> LSTM(5) -> Dense(4, softmax). tf2onnx writes the
  per-feature Sub/Div (or Mul) before the LSTM node; lstm4j folds it into the LSTM's weights.
- "embedding": Embedding(12, 4) -> LSTM(5) -> Dense(3) over int32 token ids. Keras 3's Embedding looks ids up with
  ops.take, which wraps negative ids (id + vocabulary); tf2onnx writes that wrap as Less/Not/Cast/Mul/Add on the ids
  before the Gather, which lstm4j reads as the ids themselves (its embedding refuses negative ids instead).

Each export is run in onnxruntime (Python, CPU) and compared with Keras (recorded as "ort_check"); the script stops
if they disagree beyond atol = rtol = 1e-5. A re-run writes the same inputs, expected outputs and weights; tf2onnx
may order and number its nodes and initializers differently from run to run, so model.onnx is not byte-identical.

Re-run:  "$(tools/python/venv.sh keras)"/bin/python tools/keras/make_keras_idiom_fixtures.py
"""
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf2onnx  # noqa: E402
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

import export_keras  # noqa: E402
import fixture_io as fio  # noqa: E402

GROUP = "keras-idioms"
ATOL = RTOL = 1e-5
FEATURES, HIDDEN, TIME, VOCAB, EMBED = 3, 5, 6, 12, 4


def normalization():
    inp = keras.Input((None, FEATURES), name="x")
    norm = L.Normalization(mean=[0.5, -2.0, 10.0], variance=[4.0, 0.0625, 16.0], name="normalization")
    h = L.LSTM(HIDDEN, name="lstm")(norm(inp))
    out = L.Dense(4, activation="softmax", name="dense")(h)
    model = keras.Model(inp, out, name="normalization")
    rng = np.random.default_rng(fio.seed_for(GROUP + "/normalization"))
    x = (rng.normal(size=(3, TIME, FEATURES)) * [2.0, 0.25, 4.0] + [0.5, -2.0, 10.0]).astype(np.float32)
    return model, {"x": x}, tf.TensorSpec([None, None, FEATURES], tf.float32, name="x")


def embedding():
    inp = keras.Input((None,), dtype="int32", name="ids")
    h = L.Embedding(VOCAB, EMBED, name="embedding")(inp)
    h = L.LSTM(HIDDEN, name="lstm")(h)
    out = L.Dense(3, name="dense")(h)
    model = keras.Model(inp, out, name="embedding")
    rng = np.random.default_rng(fio.seed_for(GROUP + "/embedding"))
    ids = rng.integers(0, VOCAB, size=(3, TIME)).astype(np.int32)
    return model, {"ids": ids}, tf.TensorSpec([None, None], tf.int32, name="ids")


CASES = {
    "normalization": (normalization, "Normalization(mean=[0.5, -2, 10], variance=[4, 0.0625, 16]) -> LSTM(5) -> "
                      "Dense(4, softmax): a model that keeps its input scaler."),
    "embedding": (embedding, "Embedding(12, 4) -> LSTM(5) -> Dense(3) over int32 token ids (no mask_zero)."),
}


def main():
    tf.config.experimental.enable_op_determinism()
    group_dir = fio.reset_group(GROUP)
    names = []
    for name, (build, description) in CASES.items():
        keras.utils.set_random_seed(fio.seed_for(GROUP + "/" + name))
        model, inputs, spec = build()
        expected = {"y": np.asarray(model(next(iter(inputs.values())), training=False), np.float32)}
        proto, _ = tf2onnx.convert.from_keras(model, input_signature=(spec,), opset=export_keras.DEFAULT_OPSET)
        export_keras.rename_graph_outputs(proto, ["y"])
        export_keras.name_dynamic_dims(proto)
        onnx.checker.check_model(proto)
        model_bytes = proto.SerializeToString()
        sess = ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
        got = sess.run(["y"], inputs)[0]
        diff = fio.max_abs_diff(got, expected["y"])
        if fio.worst_ratio(got, expected["y"], ATOL, RTOL) > 1.0:
            raise SystemExit(f"{name}: ONNX Runtime disagrees with Keras (max |diff| {diff}); investigate")
        ops = dict(sorted(Counter(n.op_type for n in proto.graph.node).items()))
        v = export_keras.versions()
        meta = {
            "description": description,
            "source": f"Keras {v['keras']} (TensorFlow {v['tensorflow']} backend, CPU, float32): model(x, training=False)",
            "exporter": f"tf2onnx {v['tf2onnx']}: tf2onnx.convert.from_keras(model, input_signature, "
                        f"opset={export_keras.DEFAULT_OPSET})",
            "generator": "tools/keras/make_keras_idiom_fixtures.py",
            "versions": {k: v[k] for k in ("keras", "tensorflow", "tf2onnx", "onnx", "onnxruntime", "numpy")},
            "atol": ATOL, "rtol": RTOL, "expect": "match",
            **({"token_inputs": ["ids"]} if name == "embedding" else {}),
            "onnx_ops": ops,
            "ort_check": {"runtime": f"onnxruntime {ort.__version__} (Python, CPUExecutionProvider)",
                          "max_abs_diff": {"y": diff}},
        }
        fio.write_fixture(group_dir, name, model_bytes, inputs, expected, meta)
        names.append(name)
        print(f"{name:16s} ops {ops}  ORT max|diff| {diff:.3g}", flush=True)
    fio.write_index(group_dir, names)
    groups = fio.FIXTURES_ROOT / "groups.txt"
    listed = groups.read_text(encoding="utf-8").split()
    if GROUP not in listed:
        groups.write_text("".join(g + "\n" for g in listed + [GROUP]), encoding="utf-8")


if __name__ == "__main__":
    main()
