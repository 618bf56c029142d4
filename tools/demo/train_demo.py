#!/usr/bin/env python3
"""The forecasting demo: an LSTM trained in Keras on monthly Mauna Loa CO2, exported to ONNX for lstm4j.

    "$(tools/python/venv.sh keras)"/bin/python tools/demo/train_demo.py            train the chosen variant, export
    "$(tools/python/venv.sh keras)"/bin/python tools/demo/train_demo.py --compare  score every variant (selection)

Data: statsmodels.datasets.co2 (weekly CO2 at Mauna Loa, 1958-03 .. 2001-12; statsmodels ships it with COPYRIGHT
"This is public domain."; source Scripps/CDIAC, Keeling & Whorf 2004), resampled to monthly means (month start), the
few empty months filled by linear interpolation, rounded to 3 decimals: what the CSV holds and what models see.

Evaluation (demo_models.py; the same as `lstm forecast --demo`): the last 36 months are held out; 25 origins, one
a month, each forecasting 12 months; every forecaster is fitted once on the 490 months before the tail.

Variants (demo_models.variants), each an ensemble of MEMBERS LSTMs trained side by side and merged into one LSTM:
the plain LSTM of the first demo (standardised series, one month ahead, rolled forward), and ES hybrids in the
manner of Smyl's ES-RNN: Holt-Winters (statsmodels' fit on the training part, parameters recorded in the model)
runs before and after the LSTM, which reads the 24 months relative to the smoothing's level and season and outputs
its correction to the smoothing's 12-month forecast. --compare trains each variant on the first 454 months and
scores it on the 36 after them (validation), and again on 490 / the held-out tail (test), and writes
tools/demo/results/variants.json. VARIANT is the best on validation; the test tail played no part in the choice.

Writes lstm-examples/src/main/resources/org/lstm4j/examples/demo/{co2_monthly.csv, co2_lstm.onnx, demo.json}.
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
from statsmodels.datasets import co2  # noqa: E402

import demo_models as dm  # noqa: E402
import export_keras  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "lstm-examples/src/main/resources/org/lstm4j/examples/demo"
RESULTS = Path(__file__).resolve().parent / "results"
MEMBERS = 5
SEED = 42
VARIANT = 1  # index into demo_models.variants(): the best on validation in results/variants.json


def dataset_license():
    return {
        "name": "statsmodels.datasets.co2 (Mauna Loa atmospheric CO2, weekly flask/continuous samples, ppmv)",
        "statsmodels": statsmodels.__version__,
        "copyright": co2.COPYRIGHT.strip(),
        "source": " ".join(co2.SOURCE.split()),
        "title": co2.TITLE.strip(),
    }


def git_commit():
    try:
        return subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def compare(values):
    n = len(values)
    out = {"generator": "tools/demo/train_demo.py --compare", "git_commit": git_commit(),
           "load_average": os.getloadavg(), "machine": platform.platform(), "members": MEMBERS, "seed": SEED,
           "design": {"holdout": dm.HOLDOUT, "horizon": dm.HORIZON, "origins": dm.ORIGINS},
           "splits": {"validation": {"train": n - 2 * dm.HOLDOUT, "scored": [n - 2 * dm.HOLDOUT, n - dm.HOLDOUT]},
                      "test": {"train": n - dm.HOLDOUT, "scored": [n - dm.HOLDOUT, n]}},
           "classical": {}, "variants": []}
    for split, n_train in (("validation", n - 2 * dm.HOLDOUT), ("test", n - dm.HOLDOUT)):
        out["classical"][split] = dm.classical_rows(values, n_train)
        for label, row in out["classical"][split].items():
            print(f"{split:10s} {label:70s} MASE {row['mase']:.3f} ± {row['mase_sd']:.3f}", flush=True)
    for i, variant in enumerate(dm.variants(MEMBERS)):
        entry = {"index": i, "name": variant.name, "kind": variant.kind, "hyperparameters": variant.hp}
        for split, n_train in (("validation", n - 2 * dm.HOLDOUT), ("test", n - dm.HOLDOUT)):
            started = time.time()
            entry[split] = dm.evaluate_variant(variant, values, n_train, SEED)
            entry[split]["train_seconds"] = time.time() - started
            print(f"{split:10s} {variant.name:70s} MASE {entry[split]['ensemble']['mase']:.3f} "
                  f"(member 1: {entry[split]['member_1']['mase']:.3f})  {entry[split]['train_seconds']:.0f}s", flush=True)
        out["variants"].append(entry)
    best = min(out["variants"], key=lambda v: v["validation"]["ensemble"]["mase"])
    out["best_on_validation"] = best["index"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "variants.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"best on validation: {best['index']} {best['name']}; wrote {RESULTS / 'variants.json'}")


def reference_row(summary, source):
    return (f"holdout={dm.HOLDOUT}; horizon={dm.HORIZON}; origins={dm.ORIGINS}; mase={summary['mase']!r}; "
            f"mase_sd={summary['mase_sd']!r}; smape={summary['smape']!r}; rmse={summary['rmse']!r}; "
            f"mae={summary['mae']!r}; mape={summary['mape']!r}; source={source}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--compare", action="store_true", help="score every variant on validation and test")
    args = parser.parse_args(argv)
    dm.configure_tf()
    dates, values, gaps = dm.monthly_series()
    if args.compare:
        compare(values)
        return 0

    n = len(values)
    n_train = n - dm.HOLDOUT
    variant = dm.variants(MEMBERS)[VARIANT]
    variant.train(values, n_train, SEED)
    model = variant.model
    olist = dm.origins(n)
    x = variant.inputs(values, olist)
    keras_scaled = variant.forecast_scaled(model, x)
    forecasts = variant.forecasts(values, olist)
    lstm = dm.summary(dm.scores(values, olist, forecasts))
    classical = dm.classical_rows(values, n_train)
    sarima, sarima_params = dm.sarima_forecasts(values, n_train, olist)

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    csv = out / "co2_monthly.csv"
    with open(csv, "w", newline="\n") as f:
        f.write(f"date,{dm.COLUMN}\n")
        for d, v in zip(dates, values):
            f.write(f"{d},{v:.3f}\n")

    result = export_keras.export(model, inputs={"x": x[:4]}, output_names=["y"])
    check = result.info["ort_check"]
    if not check["within_tolerance"]:
        raise AssertionError(f"ONNX Runtime differs from Keras: {check}")
    lic = dataset_license()
    kind, offset, factor = variant.scaling()
    meta = {
        "lstm4j.scale.kind": kind,
        "lstm4j.scale.offset": repr(offset),
        "lstm4j.scale.factor": repr(factor),
        "lstm4j.window": str(dm.WINDOW),
        "lstm4j.column": dm.COLUMN,
        "lstm4j.season": str(dm.SEASON),
        "lstm4j.holdout": str(dm.HOLDOUT),
        "lstm4j.horizon": str(dm.HORIZON),
        "lstm4j.origins": str(dm.ORIGINS),
        "lstm4j.reference.SARIMA(1,1,1)(0,1,1)12": reference_row(
            classical["SARIMA(1,1,1)(0,1,1)12"],
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
    proto.doc_string = (f"lstm4j demo: {variant.name}; an ensemble of {MEMBERS} LSTM({variant.hp['units']}) merged "
                        f"into one LSTM({MEMBERS * variant.hp['units']}) + Dense; input x = 24 scaled months [B, 24, 1]")
    onnx.checker.check_model(proto)
    model_path = out / "co2_lstm.onnx"
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
        "description": f"Monthly Mauna Loa CO2; {variant.name}; 12-month forecasts from 25 origins over the held-out "
                       f"last 36 months.",
        "generator": "tools/demo/train_demo.py",
        "versions": {k: v[k] for k in ("keras", "tensorflow", "tf2onnx", "onnx", "onnxruntime", "numpy")}
                    | {"statsmodels": statsmodels.__version__},
        "dataset": lic | {"csv": csv.name, "column": dm.COLUMN, "rows": n, "first": dates[0], "last": dates[-1],
                          "preparation": f"weekly -> monthly mean (month start), {gaps} empty months filled by linear "
                                         f"interpolation, rounded to 3 decimals"},
        "model": {"file": model_path.name, "inputs": result.info["inputs"], "outputs": result.info["outputs"],
                  "input_shape": ["batch", dm.WINDOW, 1], "output_shape": ["batch", int(model.outputs[0].shape[-1])],
                  "onnx_ops": result.info["onnx_ops"], "exporter": f"tf2onnx {v['tf2onnx']}: {result.info['route']}",
                  "metadata_props": meta, "ort_check": check},
        "variant": {"index": VARIANT, "name": variant.name, "kind": variant.kind, "members": MEMBERS,
                    "hyperparameters": variant.hp, "seed": SEED, "train_rows": n_train, "train_windows": variant.windows,
                    "final_loss": float(variant.loss[-1]),
                    "merge": "the members' LSTMs side by side in one LSTM (block-diagonal recurrent weights per gate) "
                             "and one Dense averaging their outputs: exactly the ensemble's mean",
                    "selection": "best rolling-origin MASE on the 36 months before the tail (train_demo.py --compare, "
                                 "tools/demo/results/variants.json), not on the held-out tail",
                    "deterministic": "keras.utils.set_random_seed + tf.config.experimental.enable_op_determinism, "
                                     "one TensorFlow thread"},
        "smoothing": variant.params if variant.kind == "hybrid" else None,
        "scale": {"kind": kind, "offset": offset, "factor": factor},
        "evaluation": {"holdout": dm.HOLDOUT, "horizon": dm.HORIZON, "origins": olist, "season": dm.SEASON,
                       "onnxruntime_scaled_max_abs_diff_from_keras": ort_diff, "per_origin": per_origin},
        "metrics": {"LSTM (Keras)": lstm} | classical,
        "sarima": {"order": list(dm.SARIMA_ORDER), "seasonal_order": list(dm.SARIMA_SEASONAL),
                   "params": sarima_params, "fitted_on": n_train},
    }
    best = min((k for k in classical if k != "seasonal naive"), key=lambda k: classical[k]["mase"])
    demo["verdict"] = {"best_classical": best, "ratio": lstm["mase"] / classical[best]["mase"],
                       "lstm_wins": lstm["mase"] < classical[best]["mase"]}
    (out / "demo.json").write_text(json.dumps(demo, indent=1) + "\n")

    print(f"held-out tail {dates[n_train]} .. {dates[-1]}: {dm.ORIGINS} origins x {dm.HORIZON} months")
    for name, row in demo["metrics"].items():
        print(f"  {name:36s} MASE {row['mase']:.3f} ± {row['mase_sd']:.3f}  sMAPE {row['smape']:.3f}%  "
              f"RMSE {row['rmse']:.4f}")
    print(f"verdict: LSTM MASE / {best} = {demo['verdict']['ratio']:.3f}")
    print(f"ONNX Runtime vs Keras over every origin, scaled: max|diff| {ort_diff:.3g}")
    for p in (csv, model_path, out / "demo.json"):
        print(f"wrote {p} ({p.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
