#!/usr/bin/env python3
"""Export a Keras 3 LSTM model to ONNX (opset 17, dynamic batch) and write what the Java side needs to verify it.

Command line:
    python tools/keras/export_keras.py model.keras out_dir/ [--time-steps T] [--batch B] [--seed S] [--inputs DIR]
                                       [--opset 17] [--route auto|from-keras|saved-model] [--output-names y,hn,cn]

writes into out_dir/:
    model.onnx                     the converted graph (graph inputs named after the Keras inputs)
    input.npy                      a seeded float32 sample input for the first graph input, [B, T, F]
    keras_output.npy               Keras's own prediction for it (first output), float32
    inputs/<graph input>.npy       every sample input, keyed by its ONNX graph input name
    expected/<graph output>.npy    every Keras output, keyed by its ONNX graph output name
    export.json                    route used, versions, graph input/output names, op types, ONNX Runtime check
--inputs DIR takes <Keras input name>.npy files instead of the seeded sample. Exit status: 0 done; 1 ONNX Runtime
does not reproduce Keras (files written); 2 bad arguments; 3 Keras cannot load the model; 4 the export failed.

As a library (used by tools/keras/make_keras_fixtures.py and tools/demo/train_demo.py):
    from export_keras import export
    result = export(model, "out_dir", batch=2)              # model built in code
    result.model_proto, result.inputs, result.expected, result.info

Why the route matters: with TensorFlow >= 2.16 (Keras 3) tf2onnx.convert.from_keras cannot trace a model without an
explicit input_signature. We build one from the model's Keras inputs (batch dimension None, so the ONNX graph has a
dynamic batch; the time dimension stays as the model declares it). If that route fails, the fallback is
model.export() to a TensorFlow SavedModel followed by `python -m tf2onnx.convert --saved-model`. The route that
was used is recorded in export.json ("route").
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
import tf2onnx  # noqa: E402

DEFAULT_OPSET = 17
ATOL = 1e-5
RTOL = 1e-5


@dataclass
class ExportResult:
    model_proto: onnx.ModelProto
    inputs: dict            # ONNX graph input name -> sample array fed to both Keras and ONNX Runtime
    expected: dict          # ONNX graph output name -> Keras's output for the sample
    info: dict = field(default_factory=dict)


def versions():
    import importlib.metadata as md
    return {
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "tf2onnx": tf2onnx.__version__,
        "onnx": onnx.__version__,
        "onnxruntime": ort.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "protobuf": md.version("protobuf"),
    }


def input_signature(model, time_steps=None):
    """One tf.TensorSpec per Keras input: batch None (dynamic in ONNX), time as declared (or time_steps if given)."""
    specs = []
    for tensor in model.inputs:
        shape = list(tensor.shape)
        shape[0] = None
        if time_steps is not None and len(shape) == 3:
            if shape[1] is not None and shape[1] != time_steps:
                raise ValueError(f"input '{tensor.name}' has a fixed time dimension {shape[1]}, "
                                 f"--time-steps {time_steps} contradicts it")
        specs.append(tf.TensorSpec(shape, tensor.dtype, name=keras_input_name(tensor)))
    return tuple(specs)


def keras_input_name(tensor):
    # Keras 3 symbolic tensors carry the Input layer's name; strip any ':0' a TF tensor name would add.
    return tensor.name.split(":")[0]


def sample_inputs(model, batch=2, time_steps=None, seed=0):
    """Seeded standard-normal float32 inputs, one per Keras input, keyed by the Keras input name."""
    rng = np.random.default_rng(seed)
    out = {}
    for tensor in model.inputs:
        shape = list(tensor.shape)
        shape[0] = batch
        if len(shape) == 3 and shape[1] is None:
            if time_steps is None:
                raise ValueError(f"input '{tensor.name}' has a dynamic time dimension: pass --time-steps")
            shape[1] = time_steps
        if any(d is None for d in shape):
            raise ValueError(f"cannot make a sample for input '{tensor.name}' of shape {tensor.shape}")
        out[keras_input_name(tensor)] = rng.standard_normal(shape).astype(np.float32)
    return out


def keras_outputs(model, inputs):
    """Keras's own prediction (inference mode, float32), as a list in model output order."""
    feed = [inputs[keras_input_name(t)] for t in model.inputs]
    result = model(feed if len(feed) > 1 else feed[0], training=False)
    if not isinstance(result, (list, tuple)):
        result = [result]
    return [np.asarray(r, dtype=np.float32) for r in result]


def _convert_from_keras(model, signature, opset):
    proto, _ = tf2onnx.convert.from_keras(model, input_signature=signature, opset=opset)
    return proto


def _convert_saved_model(model, signature, opset):
    """Fallback: Keras 3 model.export() -> SavedModel -> tf2onnx command line."""
    with tempfile.TemporaryDirectory() as tmp:
        saved = os.path.join(tmp, "saved_model")
        onnx_path = os.path.join(tmp, "model.onnx")
        model.export(saved, format="tf_saved_model", input_signature=list(signature), verbose=False)
        cmd = [sys.executable, "-m", "tf2onnx.convert", "--saved-model", saved, "--opset", str(opset),
               "--output", onnx_path]
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"tf2onnx --saved-model failed ({done.returncode}):\n{done.stderr[-4000:]}")
        return onnx.load(onnx_path)


def rename_graph_outputs(proto, names):
    """Renames the graph outputs (and every reference to those tensors) in order; returns the proto."""
    outputs = list(proto.graph.output)
    if len(names) != len(outputs):
        raise ValueError(f"{len(names)} output names given for {len(outputs)} graph outputs "
                         f"{[o.name for o in outputs]}")
    mapping = {o.name: n for o, n in zip(outputs, names) if o.name != n}
    existing = {t for node in proto.graph.node for t in list(node.output) + list(node.input)}
    clash = [n for n in mapping.values() if n in existing]
    if clash:
        raise ValueError(f"output names {clash} already name tensors in the graph")

    def rename(graph):
        for node in graph.node:
            for i, t in enumerate(node.input):
                if t in mapping:
                    node.input[i] = mapping[t]
            for i, t in enumerate(node.output):
                if t in mapping:
                    node.output[i] = mapping[t]
            for attr in node.attribute:  # Loop/Scan bodies may read outer tensors by name
                if attr.type == onnx.AttributeProto.GRAPH:
                    rename(attr.g)
        for value in list(graph.output) + list(graph.value_info):
            if value.name in mapping:
                value.name = mapping[value.name]

    rename(proto.graph)
    return proto


def name_dynamic_dims(proto):
    """tf2onnx calls the dynamic dimensions unk__N; name them: dimension 0 of every graph input and output is the
    batch (Keras tensors are batch-first), dimension 1 of a rank-3 input is the time."""
    def rename(value, axis, name):
        dims = value.type.tensor_type.shape.dim
        if len(dims) > axis and not dims[axis].HasField("dim_value"):
            dims[axis].dim_param = name

    for value in proto.graph.input:
        rename(value, 0, "batch")
        if len(value.type.tensor_type.shape.dim) == 3:
            rename(value, 1, "time")
    for value in proto.graph.output:
        rename(value, 0, "batch")
        if len(value.type.tensor_type.shape.dim) == 3:
            rename(value, 1, "time")
    return proto


def onnx_op_types(proto):
    """Sorted op types of the main graph; op types inside subgraphs (Loop/Scan/If bodies) listed apart."""
    main = sorted({n.op_type for n in proto.graph.node})
    nested = set()

    def walk(graph):
        for node in graph.node:
            for attr in node.attribute:
                if attr.type == onnx.AttributeProto.GRAPH:
                    for inner in attr.g.node:
                        nested.add(inner.op_type)
                    walk(attr.g)
    walk(proto.graph)
    return main, sorted(nested)


def ort_check(proto, inputs, expected, atol=ATOL, rtol=RTOL):
    """Runs the ONNX model in ONNX Runtime (Python, CPU) and compares with Keras's outputs elementwise."""
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    got = session.run(names, inputs)
    max_abs, ratio, ok = {}, {}, True
    shape_mismatch = {}
    for name, g in zip(names, got):
        e = expected[name]
        if g.shape != e.shape:  # a wrong conversion (e.g. TimeDistributed with a dynamic time dimension)
            shape_mismatch[name] = f"ONNX Runtime output '{name}' has shape {g.shape}, Keras gave {e.shape}"
            max_abs[name], ratio[name], ok = None, None, False
            continue
        diff = np.abs(g.astype(np.float64) - e.astype(np.float64))
        max_abs[name] = float(diff.max())
        ratio[name] = float((diff / (atol + rtol * np.abs(e.astype(np.float64)))).max())
        ok = ok and ratio[name] <= 1.0
    check = {
        "runtime": f"onnxruntime {ort.__version__} (Python, CPUExecutionProvider)",
        "reference": "Keras output for the same inputs",
        "max_abs_diff": max_abs,
        "worst_tolerance_ratio": ratio,
        "within_tolerance": ok,
    }
    if shape_mismatch:
        check["shape_mismatch"] = shape_mismatch
    return check


def export(model, out_dir=None, time_steps=None, batch=2, seed=0, opset=DEFAULT_OPSET, route="auto",
           output_names=None, inputs=None, check=True):
    """Converts `model` (a built keras.Model) to ONNX, computes Keras's outputs for a sample and checks ONNX Runtime.

    inputs: optional dict Keras input name -> array (else seeded standard normal, [batch, time, features]).
    output_names: optional list renaming the ONNX graph outputs in model output order (default: tf2onnx's names,
    which are the Keras output layer names). When out_dir is given, writes the files listed in the module doc.
    """
    signature = input_signature(model, time_steps)
    if inputs is None:
        inputs = sample_inputs(model, batch, time_steps, seed)
    inputs = {k: np.asarray(v, dtype=np.float32) for k, v in inputs.items()}

    errors = {}
    proto = None
    used = None
    routes = ["from-keras", "saved-model"] if route == "auto" else [route]
    for r in routes:
        try:
            proto = (_convert_from_keras if r == "from-keras" else _convert_saved_model)(model, signature, opset)
            used = r
            break
        except Exception as exc:  # keep going to the fallback, but remember why the first route failed
            errors[r] = f"{type(exc).__name__}: {exc}"[:2000]
    if proto is None:
        raise RuntimeError("every export route failed:\n" + "\n".join(f"  {r}: {e}" for r, e in errors.items()))
    if output_names:
        rename_graph_outputs(proto, list(output_names))
    name_dynamic_dims(proto)
    onnx.checker.check_model(proto)

    graph_inputs = [i.name for i in proto.graph.input]
    graph_outputs = [o.name for o in proto.graph.output]
    missing = [n for n in graph_inputs if n not in inputs]
    if missing:
        raise RuntimeError(f"ONNX graph inputs {missing} do not match the Keras inputs {list(inputs)}")
    keras_out = keras_outputs(model, inputs)
    if len(keras_out) != len(graph_outputs):
        raise RuntimeError(f"Keras gives {len(keras_out)} outputs, the ONNX graph has {graph_outputs}")
    expected = dict(zip(graph_outputs, keras_out))

    main_ops, nested_ops = onnx_op_types(proto)
    info = {
        "route": {"from-keras": "tf2onnx.convert.from_keras(model, input_signature=(tf.TensorSpec(...),), "
                                f"opset={opset})",
                  "saved-model": f"model.export(tf_saved_model) + python -m tf2onnx.convert --saved-model "
                                 f"--opset {opset}"}[used],
        "route_name": used,
        "route_errors": errors,
        "opset": opset,
        "versions": versions(),
        "inputs": graph_inputs,
        "outputs": graph_outputs,
        "input_shapes": {k: list(v.shape) for k, v in inputs.items()},
        "output_shapes": {k: list(v.shape) for k, v in expected.items()},
        "onnx_ops": main_ops,
        "onnx_ops_in_subgraphs": nested_ops,
        "fused_lstm_nodes": sum(1 for n in proto.graph.node if n.op_type == "LSTM"),
    }
    if check:
        info["ort_check"] = ort_check(proto, inputs, expected)
    result = ExportResult(proto, inputs, expected, info)
    if out_dir is not None:
        write(result, out_dir)
    return result


def write(result, out_dir):
    out = Path(out_dir)
    (out / "inputs").mkdir(parents=True, exist_ok=True)
    (out / "expected").mkdir(parents=True, exist_ok=True)
    onnx.save(result.model_proto, str(out / "model.onnx"))
    first_in = result.info["inputs"][0]
    first_out = result.info["outputs"][0]
    np.save(out / "input.npy", result.inputs[first_in])
    np.save(out / "keras_output.npy", result.expected[first_out])
    for name, arr in result.inputs.items():
        np.save(out / "inputs" / f"{name}.npy", arr)
    for name, arr in result.expected.items():
        np.save(out / "expected" / f"{name}.npy", arr)
    (out / "export.json").write_text(json.dumps(result.info, indent=2) + "\n")


# Exit statuses of the command line (KerasContainerExporter tells them apart): 0 exported and ONNX Runtime reproduces
# Keras; 1 exported, but ONNX Runtime does not reproduce Keras (the files are written for inspection); 2 bad command
# line (argparse); 3 Keras cannot load the model file; 4 the export failed (conversion, inputs that do not fit).
EXIT_ORT_DISAGREES = 1
EXIT_CANNOT_LOAD = 3
EXIT_EXPORT_FAILED = 4


def read_inputs(model, folder):
    """The user's inputs: <Keras input name>.npy in folder for every Keras input, as float32."""
    out = {}
    for tensor in model.inputs:
        name = keras_input_name(tensor)
        path = Path(folder) / f"{name}.npy"
        if not path.is_file():
            given = sorted(p.name for p in Path(folder).glob("*.npy"))
            raise ValueError(f"no {path.name} in {folder} for the Keras input '{name}' (inputs: "
                             f"{[keras_input_name(t) for t in model.inputs]}; given: {given})")
        out[name] = np.load(path).astype(np.float32)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description="Export a Keras 3 model (.keras) to ONNX with a Keras-checked sample.")
    parser.add_argument("model", help="a .keras file")
    parser.add_argument("out_dir")
    parser.add_argument("--time-steps", type=int, default=None,
                        help="time steps of the sample input (required when the model's time dimension is None)")
    parser.add_argument("--batch", type=int, default=2, help="batch size of the sample input (the graph's is dynamic)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample input")
    parser.add_argument("--inputs", default=None,
                        help="a folder with <Keras input name>.npy for every input, used instead of the seeded sample")
    parser.add_argument("--opset", type=int, default=DEFAULT_OPSET)
    parser.add_argument("--route", choices=["auto", "from-keras", "saved-model"], default="auto")
    parser.add_argument("--output-names", default=None, help="comma-separated new names for the graph outputs")
    args = parser.parse_args(argv)

    try:
        model = keras.models.load_model(args.model, compile=False)
    except Exception as exc:
        print(f"Keras {keras.__version__} cannot load {args.model}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_CANNOT_LOAD
    names = args.output_names.split(",") if args.output_names else None
    try:
        inputs = read_inputs(model, args.inputs) if args.inputs else None
        result = export(model, args.out_dir, time_steps=args.time_steps, batch=args.batch, seed=args.seed,
                        opset=args.opset, route=args.route, output_names=names, inputs=inputs)
    except Exception as exc:
        print(f"exporting {args.model} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_EXPORT_FAILED
    info = result.info
    # Say which route was taken and, when it was the fallback, why the first one failed.
    for failed, why in info["route_errors"].items():
        print(f"route {failed} failed, so the next route was tried: {why}")
    first = "the first route" if not info["route_errors"] else "the fallback"
    print(f"route used: {info['route_name']} ({first}): {info['route']}")
    print(f"inputs: {info['inputs']}  outputs: {info['outputs']}")
    print(f"ops: {info['onnx_ops']}" + (f"  in subgraphs: {info['onnx_ops_in_subgraphs']}"
                                       if info['onnx_ops_in_subgraphs'] else ""))
    check = info["ort_check"]
    for mismatch in check.get("shape_mismatch", {}).values():
        print(mismatch)
    print(f"ONNX Runtime vs Keras max |diff|: {check['max_abs_diff']}  within atol/rtol {ATOL}/{RTOL}: "
          f"{check['within_tolerance']}")
    print(f"wrote {args.out_dir}")
    return 0 if check["within_tolerance"] else EXIT_ORT_DISAGREES


if __name__ == "__main__":
    sys.exit(main())
