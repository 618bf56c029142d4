#!/usr/bin/env python3
"""The forecasting demo: a small Keras LSTM trained on monthly Mauna Loa CO2, exported to ONNX for lstm4j.

    "$(tools/python/venv.sh keras)"/bin/python tools/demo/train_demo.py [--validate] [--epochs 80] [--out DIR]

Data: statsmodels.datasets.co2 (weekly CO2 at Mauna Loa, 1958-03 .. 2001-12; statsmodels ships it with
COPYRIGHT "This is public domain."; source Scripps/CDIAC, Keeling & Whorf 2004). Resampled to monthly means
(month start), the few empty months filled by linear interpolation, rounded to 3 decimals; the rounded values
are what is written to the CSV AND what the model is trained on, so Java reading the CSV sees the same numbers.

Task: a window of W = 24 months -> the next month (one output). Standard scaling (mean/std) fitted on the
training part only; scaled = (value - offset) / factor. The last 36 months are the held-out tail. No
differencing: the Java side only knows the affine scaling stored in the model's metadata_props.

Forecasts over the tail, written to demo.json in ppm and in scaled units so Java can be checked against them:
  recursive  the autoregressive sliding-window forecast from the end of the training part: each prediction is
             appended to the window and the oldest value dropped (org.lstm4j.predict.Forecaster SLIDING_WINDOW)
  one_step   each tail month predicted from the 24 ACTUAL months before it
Baselines: naive last value (the last training value, flat) and seasonal naive (season 12: the value 12, 24, 36
months before, taken from the last training year) for the recursive forecast; the previous actual month and the
actual month a year earlier for the one-step forecast.

Hyperparameters (W=24, standard scaling, LSTM(32)+Dense(1), Adam 3e-3, batch 16, 80 epochs) were picked on a
validation tail (the last 36 months of the training part; `--validate` re-runs that) without looking at the
held-out tail.

Writes lstm-examples/src/main/resources/org/lstm4j/examples/demo/{co2_monthly.csv, co2_lstm.onnx, demo.json}.
"""
import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "keras"))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
import statsmodels  # noqa: E402
from statsmodels.datasets import co2  # noqa: E402

import export_keras  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "lstm-examples/src/main/resources/org/lstm4j/examples/demo"
WINDOW = 24
SEASON = 12
HOLDOUT = 36
UNITS = 32
LEARNING_RATE = 3e-3
BATCH = 16
EPOCHS = 80
SEED = 42
COLUMN = "co2"


def monthly_series():
    """(dates as 'YYYY-MM-DD' strings, float64 values rounded to 3 decimals)."""
    weekly = co2.load_pandas().data[COLUMN]
    monthly = weekly.resample("MS").mean()
    gaps = int(monthly.isna().sum())
    monthly = monthly.interpolate("linear").round(3)
    dates = [d.strftime("%Y-%m-%d") for d in monthly.index]
    return dates, monthly.to_numpy(dtype=np.float64), gaps


def dataset_license():
    return {
        "name": "statsmodels.datasets.co2 (Mauna Loa atmospheric CO2, weekly flask/continuous samples, ppmv)",
        "statsmodels": statsmodels.__version__,
        "copyright": co2.COPYRIGHT.strip(),
        "source": " ".join(co2.SOURCE.split()),
        "title": co2.TITLE.strip(),
    }


def windows(scaled, window):
    x = np.stack([scaled[i:i + window] for i in range(len(scaled) - window)])[..., None]
    return x.astype(np.float32), scaled[window:, None].astype(np.float32)


def build_model(window, units):
    inp = keras.Input((window, 1), name="x")
    h = keras.layers.LSTM(units, name="lstm")(inp)
    out = keras.layers.Dense(1, name="dense")(h)
    return keras.Model(inp, out, name="co2_lstm")


def recursive_forecast(predict, start_window, horizon):
    """Sliding-window autoregression in scaled float32 units, as Forecaster does: predict, append, drop oldest."""
    window = list(np.asarray(start_window, dtype=np.float32))
    out = []
    for _ in range(horizon):
        nxt = np.float32(predict(np.asarray(window[-len(start_window):], dtype=np.float32)[None, :, None])[0, 0])
        out.append(nxt)
        window.append(nxt)
    return np.asarray(out, dtype=np.float32)


def metrics(pred, actual):
    err = np.asarray(pred, np.float64) - actual
    return {"rmse": float(np.sqrt(np.mean(err ** 2))), "mae": float(np.mean(np.abs(err))),
            "mape_percent": float(100 * np.mean(np.abs(err / actual)))}


def run(values, n_train, horizon, epochs, seed=SEED):
    """Fits on values[:n_train], evaluates over values[n_train:n_train+horizon]; returns everything."""
    train = values[:n_train]
    actual = values[n_train:n_train + horizon]
    offset, factor = float(train.mean()), float(train.std())
    scaled_all = ((values[:n_train + horizon] - offset) / factor).astype(np.float32)
    x, y = windows(scaled_all[:n_train], WINDOW)

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    model = build_model(WINDOW, UNITS)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=BATCH, shuffle=True, verbose=0)

    def keras_predict(batch):
        return model(batch, training=False).numpy()

    rec_scaled = recursive_forecast(keras_predict, scaled_all[n_train - WINDOW:n_train], horizon)
    one_in = np.stack([scaled_all[n_train + i - WINDOW:n_train + i] for i in range(horizon)])[..., None]
    one_scaled = keras_predict(one_in)[:, 0].astype(np.float32)
    unscale = lambda s: s.astype(np.float64) * factor + offset  # noqa: E731

    naive = np.full(horizon, train[-1])
    seasonal = np.array([train[n_train - SEASON + (h % SEASON)] for h in range(horizon)])
    prev_actual = values[n_train - 1:n_train + horizon - 1]
    year_before = values[n_train - SEASON:n_train + horizon - SEASON]
    return {
        "model": model, "offset": offset, "factor": factor, "scaled_all": scaled_all, "actual": actual,
        "history": history.history["loss"], "rec_scaled": rec_scaled, "one_scaled": one_scaled,
        "one_in": one_in, "rec": unscale(rec_scaled), "one": unscale(one_scaled),
        "metrics": {
            "recursive": {"lstm": metrics(unscale(rec_scaled), actual),
                          "naive_last_value": metrics(naive, actual),
                          "seasonal_naive_12": metrics(seasonal, actual)},
            "one_step": {"lstm": metrics(unscale(one_scaled), actual),
                         "naive_previous_month": metrics(prev_actual, actual),
                         "seasonal_naive_12": metrics(year_before, actual)},
        },
    }


def print_metrics(title, m):
    print(title)
    for kind, rows in m.items():
        for name, v in rows.items():
            print(f"  {kind:9s} {name:22s} RMSE {v['rmse']:7.3f}  MAE {v['mae']:7.3f}  MAPE {v['mape_percent']:6.3f}%")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--validate", action="store_true",
                        help="evaluate on the last 36 months of the training part instead (writes nothing)")
    args = parser.parse_args(argv)

    dates, values, gaps = monthly_series()
    n_train = len(values) - HOLDOUT
    if args.validate:
        r = run(values[:n_train], n_train - HOLDOUT, HOLDOUT, args.epochs)
        print_metrics(f"validation: months {dates[n_train - HOLDOUT]} .. {dates[n_train - 1]}", r["metrics"])
        return 0

    r = run(values, n_train, HOLDOUT, args.epochs)
    model = r["model"]
    out = args.out
    out.mkdir(parents=True, exist_ok=True)

    csv = out / "co2_monthly.csv"
    with open(csv, "w", newline="\n") as f:
        f.write(f"date,{COLUMN}\n")
        for d, v in zip(dates, values):
            f.write(f"{d},{v:.3f}\n")

    # The ONNX graph input is the scaled window x [B, 24, 1]; the output y [B, 1] is the scaled next month.
    sample = {"x": r["one_in"][:4]}
    result = export_keras.export(model, inputs=sample, output_names=["y"])
    check = result.info["ort_check"]
    if not check["within_tolerance"]:
        raise AssertionError(f"ONNX Runtime differs from Keras: {check}")
    lic = dataset_license()
    meta = {
        "lstm4j.scale.kind": "standard",
        "lstm4j.scale.offset": repr(r["offset"]),
        "lstm4j.scale.factor": repr(r["factor"]),
        "lstm4j.window": str(WINDOW),
        "lstm4j.column": COLUMN,
        "lstm4j.season": str(SEASON),
        "lstm4j.holdout": str(HOLDOUT),
        "lstm4j.dataset": f"{lic['name']}, statsmodels {lic['statsmodels']}; {lic['copyright']} "
                          f"Source: {lic['source']}",
    }
    proto = result.model_proto
    del proto.metadata_props[:]
    for k, v in meta.items():
        proto.metadata_props.add(key=k, value=v)
    proto.doc_string = ("lstm4j demo: LSTM(32)+Dense(1), monthly Mauna Loa CO2; input x = 24 scaled months "
                        "[B, 24, 1], output y = the scaled next month [B, 1]; scaled = (ppm - offset) / factor")
    onnx.checker.check_model(proto)
    model_path = out / "co2_lstm.onnx"
    onnx.save(proto, str(model_path))

    # Recursive forecast again with ONNX Runtime on the saved file: how far Java may drift from Keras over 36 steps.
    session = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    ort_rec = recursive_forecast(lambda b: session.run(["y"], {"x": b})[0],
                                 r["scaled_all"][n_train - WINDOW:n_train], HOLDOUT)
    ort_rec_diff = float(np.abs(ort_rec - r["rec_scaled"]).max())

    v = result.info["versions"]
    demo = {
        "description": "Monthly Mauna Loa CO2; LSTM(32)+Dense(1) trained in Keras on 24-month windows to predict the "
                       "next month; forecasts over the held-out last 36 months.",
        "generator": "tools/demo/train_demo.py",
        "versions": {k: v[k] for k in ("keras", "tensorflow", "tf2onnx", "onnx", "onnxruntime", "numpy")}
                    | {"statsmodels": statsmodels.__version__},
        "dataset": lic | {"csv": csv.name, "column": COLUMN, "rows": len(values), "first": dates[0],
                          "last": dates[-1], "preparation": f"weekly -> monthly mean (month start), {gaps} empty "
                                                            f"months filled by linear interpolation, rounded to "
                                                            f"3 decimals"},
        "model": {"file": model_path.name, "inputs": result.info["inputs"], "outputs": result.info["outputs"],
                  "input_shape": ["batch", WINDOW, 1], "output_shape": ["batch", 1],
                  "onnx_ops": result.info["onnx_ops"], "exporter": f"tf2onnx {v['tf2onnx']}: {result.info['route']}",
                  "metadata_props": meta,
                  "ort_check": check},
        "scale": {"kind": "standard", "offset": r["offset"], "factor": r["factor"],
                  "formula": "scaled = (value - offset) / factor; offset/factor = mean/std of the training part"},
        "window": WINDOW, "season": SEASON, "holdout": HOLDOUT, "train_rows": n_train,
        "training": {"units": UNITS, "optimizer": f"Adam(learning_rate={LEARNING_RATE})", "loss": "mse",
                     "batch_size": BATCH, "epochs": args.epochs, "shuffle": True, "seed": SEED,
                     "deterministic": "keras.utils.set_random_seed + tf.config.experimental.enable_op_determinism",
                     "train_windows": n_train - WINDOW, "first_loss": r["history"][0],
                     "final_loss": r["history"][-1],
                     "selection": "hyperparameters picked on the last 36 months of the training part "
                                  "(train_demo.py --validate), not on the held-out tail"},
        "tail": {"first_date": dates[n_train], "last_date": dates[-1], "first_index": n_train,
                 "actual": [float(a) for a in r["actual"]]},
        "forecast": {
            "recursive": {
                "what": "sliding-window autoregression from the 24 months before the tail (rows "
                        f"{n_train - WINDOW}..{n_train - 1}), each scaled float32 prediction appended to the window",
                "keras": [float(a) for a in r["rec"]],
                "keras_scaled": [float(a) for a in r["rec_scaled"]],
                "onnxruntime_scaled_max_abs_diff_from_keras": ort_rec_diff,
            },
            "one_step": {
                "what": "each tail month from the 24 actual months before it",
                "keras": [float(a) for a in r["one"]],
                "keras_scaled": [float(a) for a in r["one_scaled"]],
            },
        },
        "metrics": r["metrics"],
    }
    rec, naive = r["metrics"]["recursive"]["lstm"], r["metrics"]["recursive"]["naive_last_value"]
    demo["beats_naive_last_value"] = rec["rmse"] < naive["rmse"] and rec["mae"] < naive["mae"]
    (out / "demo.json").write_text(json.dumps(demo, indent=2) + "\n")

    print_metrics(f"held-out tail: {dates[n_train]} .. {dates[-1]} ({HOLDOUT} months), ppm", r["metrics"])
    print(f"training loss {r['history'][0]:.5f} -> {r['history'][-1]:.5f} over {args.epochs} epochs")
    print(f"ONNX Runtime vs Keras: one-step sample max|diff| {check['max_abs_diff']}, "
          f"recursive 36 steps max|diff| (scaled) {ort_rec_diff:.3g}")
    for p in (csv, model_path, out / "demo.json"):
        print(f"wrote {p} ({p.stat().st_size} bytes)")
    print("LSTM beats the naive last-value baseline on the tail:", demo["beats_naive_last_value"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
