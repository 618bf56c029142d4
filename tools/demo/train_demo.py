#!/usr/bin/env python3
"""The forecasting demos: LSTMs trained in Keras on a public-domain series, exported to ONNX for lstm4j.

    "$(tools/python/venv.sh keras)"/bin/python tools/demo/train_demo.py [--series co2|sunspots]   train, export
    "$(tools/python/venv.sh keras)"/bin/python tools/demo/train_demo.py --compare [--series ...]  selection

Series (demo_models.TASKS, both shipped by statsmodels 0.15.0 with COPYRIGHT "... public domain"):
  co2       monthly Mauna Loa CO2 1958-03 .. 2001-12 (statsmodels.datasets.co2, weekly means to months), season 12:
            `lstm forecast --demo`, the main job
  sunspots  yearly sunspot activity 1700 .. 2008 (statsmodels.datasets.sunspots), an 11-year cycle of varying
            length and height, season 11: `lstm forecast --demo sunspots`

Evaluation (demo_models.py; the same as `lstm forecast --demo`): the last 36 steps are held out; 25 origins, one a
step, each forecasting 12 steps; every forecaster is fitted once on the steps before the tail.

Variants (demo_models.variants), each an ensemble of MEMBERS LSTMs trained side by side and merged into one LSTM:
the plain LSTM (standardised series, one step ahead, rolled forward), and ES hybrids in the manner of Smyl's
ES-RNN: Holt-Winters (statsmodels' fit on the training part, parameters recorded in the model) runs before and after
the LSTM, which reads the 24 steps relative to the smoothing's level and season and outputs its correction to the
smoothing's 12-step forecast. --compare trains each variant on all but the last 72 steps and scores it on the 36
after them (validation), and again on all but 36 / the held-out tail (test), and writes
tools/demo/results/variants_<series>.json. VARIANT[series] is the best on validation; the test tail played no part.

Writes lstm-examples/src/main/resources/org/lstm4j/examples/demo/<series>_{monthly|yearly}.csv, <series>_lstm.onnx
and <series>.json (Keras's forecasts from every origin, and statsmodels' rows under the same evaluation).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "keras"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import statsmodels  # noqa: E402

import demo_models as dm  # noqa: E402
import export_keras  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "lstm-examples/src/main/resources/org/lstm4j/examples/demo"
RESULTS = Path(__file__).resolve().parent / "results"
MEMBERS = 5
SEED = 42
# index into demo_models.variants(task): the best on validation in results/variants_<series>.json
VARIANT = {"co2": 2, "sunspots": 1}
FILES = {"co2": ("co2_monthly.csv", "co2_lstm.onnx", "co2.json"),
         "sunspots": ("sunspots_yearly.csv", "sunspots_lstm.onnx", "sunspots.json")}


def git_status():
    """Uncommitted changes when the results were made (empty: they come from the commit named beside them)."""
    try:
        return subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "tools/demo", ":!tools/demo/results"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def git_commit():
    try:
        return subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def compare(task):
    values = task.values
    n = len(values)
    out = {"generator": "tools/demo/train_demo.py --compare", "git_commit": git_commit(),
           "git_status": git_status(), "load_average": os.getloadavg(), "machine": platform.platform(),
           "series": task.key, "season": task.season, "members": MEMBERS, "seed": SEED,
           "design": {"holdout": dm.HOLDOUT, "horizon": dm.HORIZON, "origins": dm.ORIGINS},
           "splits": {"validation": {"train": n - 2 * dm.HOLDOUT, "scored": [n - 2 * dm.HOLDOUT, n - dm.HOLDOUT]},
                      "test": {"train": n - dm.HOLDOUT, "scored": [n - dm.HOLDOUT, n]}},
           "classical": {}, "variants": []}
    for split, n_train in (("validation", n - 2 * dm.HOLDOUT), ("test", n - dm.HOLDOUT)):
        out["classical"][split] = dm.classical_rows(task, n_train)
        for label, row in out["classical"][split].items():
            print(f"{split:10s} {label:70s} MASE {row['mase']:.3f} ± {row['mase_sd']:.3f}", flush=True)
    for i, variant in enumerate(dm.variants(task, MEMBERS)):
        entry = {"index": i, "name": variant.name, "kind": variant.kind, "hyperparameters": variant.hp}
        for split, n_train in (("validation", n - 2 * dm.HOLDOUT), ("test", n - dm.HOLDOUT)):
            started = time.time()
            entry[split] = dm.evaluate_variant(task, variant, n_train, SEED)
            entry[split]["train_seconds"] = time.time() - started
            print(f"{split:10s} {variant.name:70s} MASE {entry[split]['ensemble']['mase']:.3f} "
                  f"(member 1: {entry[split]['member_1']['mase']:.3f})  {entry[split]['train_seconds']:.0f}s", flush=True)
        out["variants"].append(entry)
    best = min(out["variants"], key=lambda v: v["validation"]["ensemble"]["mase"])
    out["best_on_validation"] = best["index"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"variants_{task.key}.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"best on validation: {best['index']} {best['name']}; wrote {path}")


def reference_row(summary, source):
    return (f"holdout={dm.HOLDOUT}; horizon={dm.HORIZON}; origins={dm.ORIGINS}; mase={summary['mase']!r}; "
            f"mase_sd={summary['mase_sd']!r}; smape={summary['smape']!r}; rmse={summary['rmse']!r}; "
            f"mae={summary['mae']!r}; mape={summary['mape']!r}; source={source}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--series", choices=sorted(dm.TASKS), default="co2")
    parser.add_argument("--compare", action="store_true", help="score every variant on validation and test")
    args = parser.parse_args(argv)
    dm.configure_tf()
    task = dm.TASKS[args.series]()
    if args.compare:
        compare(task)
        return 0

    dates, values, season = task.dates, task.values, task.season
    n = len(values)
    n_train = n - dm.HOLDOUT
    variant = dm.variants(task, MEMBERS)[VARIANT[task.key]]
    variant.train(values, n_train, season, SEED)
    model = variant.model
    olist = dm.origins(n)
    x = variant.inputs(values, olist)
    keras_scaled = variant.forecast_scaled(model, x)
    forecasts = variant.forecasts(values, olist)
    lstm = dm.summary(dm.scores(values, olist, forecasts, season))
    classical = dm.classical_rows(task, n_train)
    sarima, sarima_params = dm.sarima_forecasts(values, n_train, olist, season)
    sarima_label = dm.sarima_label(season)
    csv_name, model_name, json_name = FILES[task.key]

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    csv = out / csv_name
    with open(csv, "w", newline="\n") as f:
        f.write(f"date,{task.column}\n")
        for d, v in zip(dates, values):
            f.write(f"{d},{v:.3f}\n" if task.key == "co2" else f"{d},{v:.1f}\n")

    result = export_keras.export(model, inputs={"x": x[:4]}, output_names=["y"])
    check = result.info["ort_check"]
    if not check["within_tolerance"]:
        raise AssertionError(f"ONNX Runtime differs from Keras: {check}")
    lic = task.dataset
    kind, offset, factor = variant.scaling()
    meta = {
        "lstm4j.scale.kind": kind,
        "lstm4j.scale.offset": repr(offset),
        "lstm4j.scale.factor": repr(factor),
        "lstm4j.window": str(dm.WINDOW),
        "lstm4j.column": task.column,
        "lstm4j.season": str(season),
        "lstm4j.holdout": str(dm.HOLDOUT),
        "lstm4j.horizon": str(dm.HORIZON),
        "lstm4j.origins": str(dm.ORIGINS),
        f"lstm4j.reference.{sarima_label}": reference_row(
            classical[sarima_label],
            f"statsmodels {statsmodels.__version__} SARIMAX fitted on the training part when this model was trained "
            f"(tools/demo/train_demo.py), not computed by lstm4j"),
        "lstm4j.dataset": f"{lic['name']}, statsmodels {lic['statsmodels']}; {lic['copyright']} "
                          f"Source: {lic['source']}",
    }
    if variant.kind == "hybrid":
        p = variant.params
        meta |= {f"lstm4j.smoothing.{k}": (",".join(repr(v) for v in p[k]) if k == "initial_seasons" else
                                           repr(p[k]) if isinstance(p[k], float) else str(p[k]))
                 for k in ("trend", "season", "period", "alpha", "beta", "gamma", "initial_level", "initial_trend",
                           "initial_seasons")}
    proto = result.model_proto
    del proto.metadata_props[:]
    for k, v in meta.items():
        proto.metadata_props.add(key=k, value=v)
    proto.doc_string = (f"lstm4j demo ({task.key}): {variant.name}; an ensemble of {MEMBERS} LSTM({variant.hp['units']}) "
                        f"merged into one LSTM({MEMBERS * variant.hp['units']}) + Dense; input x = {dm.WINDOW} scaled "
                        f"steps [B, {dm.WINDOW}, 1]")
    onnx.checker.check_model(proto)
    model_path = out / model_name
    onnx.save(proto, str(model_path))

    # ONNX Runtime on the saved file over every origin: how far a Java engine may be from Keras.
    session = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    ort_scaled = variant.forecast_scaled(lambda b, training=False: session.run(["y"], {"x": b})[0], x)
    ort_diff = float(np.abs(ort_scaled - keras_scaled).max())

    v = result.info["versions"]
    per_origin = []
    smoothing = variant.smoothing_forecasts(values, olist) if variant.kind == "hybrid" else None
    for i, o in enumerate(olist):
        row = {"origin": o, "after": dates[o - 1], "inputs_scaled": [float(a) for a in x[i, :, 0]],
               "keras_scaled": [float(a) for a in keras_scaled[i]], "forecast": [float(a) for a in forecasts[i]],
               "actual": [float(a) for a in values[o:o + dm.HORIZON]]}
        if smoothing is not None:
            row["smoothing_forecast"] = [float(a) for a in smoothing[i]]
        per_origin.append(row)
    demo = {
        "description": f"{lic['name']}; {variant.name}; {dm.HORIZON}-step forecasts from {dm.ORIGINS} origins over "
                       f"the held-out last {dm.HOLDOUT} steps.",
        "generator": "tools/demo/train_demo.py",
        "versions": {k: v[k] for k in ("keras", "tensorflow", "tf2onnx", "onnx", "onnxruntime", "numpy")}
                    | {"statsmodels": statsmodels.__version__},
        "dataset": lic | {"csv": csv.name, "column": task.column, "rows": n, "first": dates[0], "last": dates[-1],
                          "preparation": task.preparation},
        "model": {"file": model_path.name, "inputs": result.info["inputs"], "outputs": result.info["outputs"],
                  "input_shape": ["batch", dm.WINDOW, 1], "output_shape": ["batch", int(model.outputs[0].shape[-1])],
                  "onnx_ops": result.info["onnx_ops"], "exporter": f"tf2onnx {v['tf2onnx']}: {result.info['route']}",
                  "metadata_props": meta, "ort_check": check},
        "variant": {"index": VARIANT[task.key], "name": variant.name, "kind": variant.kind, "members": MEMBERS,
                    "hyperparameters": variant.hp, "seed": SEED, "train_rows": n_train, "train_windows": variant.windows,
                    "final_loss": float(variant.loss[-1]),
                    "merge": "the members' LSTMs side by side in one LSTM (block-diagonal recurrent weights per gate) "
                             "and one Dense averaging their outputs: exactly the ensemble's mean",
                    "selection": f"best rolling-origin MASE on the {dm.HOLDOUT} steps before the tail (train_demo.py "
                                 f"--compare, tools/demo/results/variants_{task.key}.json), not on the held-out tail",
                    "deterministic": "keras.utils.set_random_seed + tf.config.experimental.enable_op_determinism, "
                                     "one TensorFlow thread"},
        "smoothing": variant.params if variant.kind == "hybrid" else None,
        "scale": {"kind": kind, "offset": offset, "factor": factor},
        "evaluation": {"holdout": dm.HOLDOUT, "horizon": dm.HORIZON, "origins": olist, "season": season,
                       "onnxruntime_scaled_max_abs_diff_from_keras": ort_diff, "per_origin": per_origin},
        "metrics": {"LSTM (Keras)": lstm} | classical,
        "sarima": {"order": list(dm.SARIMA_ORDER), "seasonal_order": [0, 1, 1, season],
                   "params": sarima_params, "fitted_on": n_train},
    }
    (out / json_name).write_text(json.dumps(demo, indent=1) + "\n")

    print(f"held-out tail {dates[n_train]} .. {dates[-1]}: {dm.ORIGINS} origins x {dm.HORIZON} steps")
    for name, row in demo["metrics"].items():
        print(f"  {name:36s} MASE {row['mase']:.3f} ± {row['mase_sd']:.3f}  sMAPE {row['smape']:.3f}%  "
              f"RMSE {row['rmse']:.4f}")
    print(f"ONNX Runtime vs Keras over every origin, scaled: max|diff| {ort_diff:.3g}")
    for p in (csv, model_path, out / json_name):
        print(f"wrote {p} ({p.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
