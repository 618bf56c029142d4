"""The demo's forecasters in Python: data, exponential smoothing states, LSTM variants, rolling-origin scoring.

Used by train_demo.py. Every number Java is checked against is computed here from statsmodels and Keras.

Rolling-origin evaluation (as org.lstm4j.forecast.evaluation.RollingOrigin does it): an origin o is the number of
observations a forecast may see; forecasts of HORIZON steps from ORIGINS origins spread over the last HOLDOUT steps;
every forecaster is fitted once, on the steps before the first origin, and keeps its parameters at later origins.
MASE divides the MAE by the in-sample seasonal naive MAE of y[:o]; sMAPE = 200/h sum |e| / (|y| + |f|).
"""
import os
import warnings

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from statsmodels.datasets import co2, sunspots  # noqa: E402
from statsmodels.tsa.holtwinters import ExponentialSmoothing  # noqa: E402
from statsmodels.tsa.statespace.sarimax import SARIMAX  # noqa: E402

WINDOW = 24
HOLDOUT = 36
HORIZON = 12
ORIGINS = 25
SARIMA_ORDER = (1, 1, 1)


@dataclass
class Task:
    """A demo series: its data, its season, and where its files go."""
    key: str            # co2, sunspots: the file names' prefix and `lstm forecast --demo KEY`
    column: str
    dates: list
    values: np.ndarray
    season: int
    dataset: dict       # name, licence and source, for the model's metadata and the demo's json
    preparation: str


def co2_task():
    """Monthly Mauna Loa CO2: weekly means to months (month start), the few empty months filled by linear
    interpolation, rounded to 3 decimals (what the CSV holds and what the models see)."""
    weekly = co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean()
    gaps = int(monthly.isna().sum())
    monthly = monthly.interpolate("linear").round(3)
    return Task("co2", "co2", [d.strftime("%Y-%m-%d") for d in monthly.index], monthly.to_numpy(dtype=np.float64), 12,
                _licence("statsmodels.datasets.co2 (Mauna Loa atmospheric CO2, weekly flask/continuous samples, ppmv)",
                         co2),
                f"weekly -> monthly mean (month start), {gaps} empty months filled by linear interpolation, rounded "
                f"to 3 decimals")


def sunspots_task():
    """Yearly sunspot activity 1700 .. 2008 as statsmodels ships it; an 11-year cycle whose length and height vary."""
    d = sunspots.load_pandas().data
    return Task("sunspots", "sunspots", [f"{int(y)}-01-01" for y in d["YEAR"]], d["SUNACTIVITY"].to_numpy(np.float64), 11,
                _licence("statsmodels.datasets.sunspots (yearly sunspot activity, SUNACTIVITY)", sunspots),
                "as shipped (yearly values, one decimal)")


TASKS = {"co2": co2_task, "sunspots": sunspots_task}


def _licence(name, module):
    import statsmodels
    return {"name": name, "statsmodels": statsmodels.__version__, "copyright": module.COPYRIGHT.strip(),
            "source": " ".join(module.SOURCE.split()), "title": module.TITLE.strip()}


def origins(length):
    """ORIGINS origins from length - HOLDOUT to length - HORIZON, evenly spread (RollingOrigin.overTail)."""
    first, last = length - HOLDOUT, length - HORIZON
    return [first + int(np.floor(i * (last - first) / (ORIGINS - 1) + 0.5)) for i in range(ORIGINS)]  # Math.round


def scores(y, origin_list, forecasts, season):
    """Per-origin (MASE, sMAPE, RMSE, MAE, MAPE) rows; as Accuracy, steps where a percentage is undefined left out."""
    rows = []
    for o, f in zip(origin_list, forecasts):
        a = y[o:o + HORIZON]
        f = np.asarray(f, dtype=np.float64)
        e = f - a
        scale = np.mean(np.abs(y[season:o] - y[:o - season]))
        denominator = np.abs(a) + np.abs(f)
        rows.append([np.mean(np.abs(e)) / scale,
                     200 * np.mean(np.abs(e[denominator != 0]) / denominator[denominator != 0]),
                     np.sqrt(np.mean(e ** 2)), np.mean(np.abs(e)), 100 * np.mean(np.abs(e[a != 0] / a[a != 0]))])
    return np.asarray(rows)


def summary(rows):
    return {"mase": float(rows[:, 0].mean()), "mase_sd": float(rows[:, 0].std(ddof=1)) if len(rows) > 1 else 0.0,
            "smape": float(rows[:, 1].mean()), "rmse": float(rows[:, 2].mean()), "mae": float(rows[:, 3].mean()),
            "mape": float(rows[:, 4].mean())}


# ---------------------------------------------------------------------------------------------------------------
# Exponential smoothing, with statsmodels' parameters and statsmodels' own states


def fit_smoothing(train, trend, seasonal, season):
    """statsmodels' least-squares fit on the training part; returns the parameters as lstm4j records them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ExponentialSmoothing(train, trend=trend, seasonal=seasonal, seasonal_periods=season).fit()
    p = res.params
    return {"trend": "additive" if trend else "none", "season": {"add": "additive", "mul": "multiplicative"}[seasonal],
            "period": season, "alpha": float(p["smoothing_level"]),
            "beta": float(p["smoothing_trend"]) if trend else 0.0,
            "gamma": float(p["smoothing_seasonal"]), "initial_level": float(p["initial_level"]),
            "initial_trend": float(p["initial_trend"]) if trend else 0.0,
            "initial_seasons": [float(v) for v in p["initial_seasons"]], "sse": float(res.sse)}


class Smoothing:
    """statsmodels run over the whole series with fixed parameters (its recursions are causal: the states after
    observation o-1 depend on y[:o] only), read at any origin."""

    def __init__(self, params, y):
        self.p = params
        self.period = params["period"]
        trend = "add" if params["trend"] == "additive" else None
        seasonal = "add" if params["season"] == "additive" else "mul"
        kw = dict(initial_level=params["initial_level"], initial_seasonal=params["initial_seasons"])
        if trend:
            kw["initial_trend"] = params["initial_trend"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ExponentialSmoothing(y, trend=trend, seasonal=seasonal, seasonal_periods=self.period,
                                         initialization_method="known", **kw)
            fit_kw = dict(smoothing_level=params["alpha"], smoothing_seasonal=params["gamma"], optimized=False)
            if trend:
                fit_kw["smoothing_trend"] = params["beta"]
            res = model.fit(**fit_kw)
        self.level = np.asarray(res.level)
        self.trend = np.asarray(res.trend) if trend else np.zeros(len(y))
        self.season = np.concatenate([np.asarray(params["initial_seasons"]), np.asarray(res.season)])  # [t + m] = s(t)
        self.multiplicative = seasonal == "mul"

    def prior(self, t):
        """The seasonal factor in effect at step t before y[t]: s(t - m)."""
        return self.season[t]

    def forecast(self, o, h=HORIZON):
        """l(o-1) + k b(o-1) with s(o-1+k-m(j+1)), k = 1..h (the textbook season; see make_smoothing_fixtures.py)."""
        l, b = self.level[o - 1], self.trend[o - 1]
        out = []
        for k in range(1, h + 1):
            s = self.season[o + (k - 1) % self.period]
            out.append((l + k * b) * s if self.multiplicative else l + k * b + s)
        return np.asarray(out)

    def relative_window(self, y, o):
        """y[o-W:o] relative to the level after o-1 combined with each step's season (HybridMethod's inputs, unscaled)."""
        l = self.level[o - 1]
        t = np.arange(o - WINDOW, o)
        s = self.season[t]
        return np.log(y[t] / (l * s)) if self.multiplicative else y[t] - (l + s)

    def relative(self, actual, o):
        f = self.forecast(o, len(actual))
        return np.log(actual / f) if self.multiplicative else actual - f

    def back(self, z, o):
        f = self.forecast(o, len(z))
        return f * np.exp(z) if self.multiplicative else f + z


def sarima_label(season):
    return f"SARIMA(1,1,1)(0,1,1){season}"


def sarima_forecasts(y, n_train, origin_list, season):
    """SARIMA(1,1,1)(0,1,1)m fitted once on y[:n_train], its parameters applied at each origin (results.apply)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = SARIMAX(y[:n_train], order=SARIMA_ORDER, seasonal_order=(0, 1, 1, season)).fit(disp=False)
        return [np.asarray(res.apply(y[:o]).forecast(HORIZON)) for o in origin_list], res.params.tolist()


# ---------------------------------------------------------------------------------------------------------------
# LSTM variants: an ensemble of members trained side by side in one Keras graph (each its own loss), then merged
# into one LSTM whose weights are block-diagonal per gate and one Dense that averages: exactly the ensemble's
# mean, as a model every backend runs.


def configure_tf():
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def train_members(x, z, members, units, epochs, batch, lr, loss, seed):
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    inp = keras.Input((x.shape[1], 1), name="x")
    outs = [keras.layers.Dense(z.shape[1], name=f"dense_{i}")(keras.layers.LSTM(units, name=f"lstm_{i}")(inp))
            for i in range(members)]
    model = keras.Model(inp, outs)
    model.compile(optimizer=keras.optimizers.Adam(lr), loss=[loss] * members)
    history = model.fit(x, [z] * members, epochs=epochs, batch_size=batch, shuffle=True, verbose=0)
    weights = [(model.get_layer(f"lstm_{i}").get_weights(), model.get_layer(f"dense_{i}").get_weights())
               for i in range(members)]
    return weights, history.history["loss"]


def merged_model(weights, window, name):
    """One LSTM(units * members) + Dense: the members' mean output."""
    members = len(weights)
    units = weights[0][0][1].shape[0]
    outputs = weights[0][1][0].shape[1]
    big = members * units
    kernel = np.zeros((1, 4 * big), np.float32)
    recurrent = np.zeros((big, 4 * big), np.float32)
    bias = np.zeros(4 * big, np.float32)
    dense = np.zeros((big, outputs), np.float32)
    dense_bias = np.zeros(outputs, np.float32)
    for m, ((k, r, b), (dk, db)) in enumerate(weights):
        for g in range(4):  # Keras gate blocks i, f, c, o
            cols = slice(g * big + m * units, g * big + (m + 1) * units)
            src = slice(g * units, (g + 1) * units)
            kernel[:, cols] = k[:, src]
            recurrent[m * units:(m + 1) * units, cols] = r[:, src]
            bias[cols] = b[src]
        dense[m * units:(m + 1) * units] = dk / members
        dense_bias += db / members
    inp = keras.Input((window, 1), name="x")
    h = keras.layers.LSTM(big, name="lstm")(inp)
    out = keras.layers.Dense(outputs, name="dense")(h)
    model = keras.Model(inp, out, name=name)
    model.get_layer("lstm").set_weights([kernel, recurrent, bias])
    model.get_layer("dense").set_weights([dense, dense_bias])
    return model


def predict(model, x):
    """A Keras model's (or any callable's, such as an ONNX Runtime session's) output for x, as an array."""
    out = model(np.asarray(x, np.float32), training=False)
    return np.asarray(out.numpy() if hasattr(out, "numpy") else out)


class PlainVariant:
    """The LSTM on the standardised series, one step ahead, rolled forward (Forecaster SLIDING_WINDOW)."""
    kind = "plain"

    def __init__(self, name, members, units=32, epochs=80, batch=16, lr=3e-3, loss="mse"):
        self.name, self.members = name, members
        self.hp = dict(units=units, epochs=epochs, batch=batch, lr=lr, loss=loss)

    def train(self, y, n_train, season, seed):
        train = y[:n_train]
        self.offset, self.factor = float(train.mean()), float(train.std())
        s = ((y[:n_train] - self.offset) / self.factor).astype(np.float32)
        x = np.stack([s[i:i + WINDOW] for i in range(n_train - WINDOW)])[..., None]
        z = s[WINDOW:, None]
        self.weights, self.loss = train_members(x, z, self.members, seed=seed, **self.hp)
        self.model = merged_model(self.weights, WINDOW, "lstm")
        self.windows = len(x)

    def inputs(self, y, origin_list):
        return np.stack([((y[o - WINDOW:o] - self.offset) / self.factor) for o in origin_list]).astype(np.float32)[..., None]

    def forecast_scaled(self, model, x):
        """Sliding-window autoregression in scaled float32 units, as Forecaster does."""
        window = np.asarray(x, np.float32)
        out = []
        for _ in range(HORIZON):
            nxt = predict(model, window)[:, 0].astype(np.float32)
            out.append(nxt)
            window = np.concatenate([window[:, 1:, :], nxt[:, None, None]], axis=1)
        return np.stack(out, 1)

    def forecasts(self, y, origin_list, model=None):
        z = self.forecast_scaled(model or self.model, self.inputs(y, origin_list))
        return z.astype(np.float64) * self.factor + self.offset

    def scaling(self):
        return "standard", self.offset, self.factor


class HybridVariant:
    """The ES hybrid (org.lstm4j.forecast.hybrid.HybridMethod): the LSTM reads the window relative to the smoothing's
    level and season and outputs its correction to the smoothing's forecast, HORIZON steps at once."""
    kind = "hybrid"

    def __init__(self, name, trend, seasonal, members, units=32, epochs=60, batch=32, lr=3e-3, loss="mae"):
        self.name, self.trend, self.seasonal, self.members = name, trend, seasonal, members
        self.hp = dict(units=units, epochs=epochs, batch=batch, lr=lr, loss=loss)

    def train(self, y, n_train, season, seed):
        self.params = fit_smoothing(y[:n_train], self.trend, self.seasonal, season)
        sm = Smoothing(self.params, y[:n_train])
        pairs = [(sm.relative_window(y, o), sm.relative(y[o:o + HORIZON], o))
                 for o in range(WINDOW, n_train - HORIZON + 1)]
        x = np.stack([p[0] for p in pairs])
        z = np.stack([p[1] for p in pairs])
        self.factor = float(x.std())  # one scale for what the model reads and writes
        self.weights, self.loss = train_members((x / self.factor)[..., None].astype(np.float32),
                                                (z / self.factor).astype(np.float32), self.members, seed=seed, **self.hp)
        self.model = merged_model(self.weights, WINDOW, "lstm")
        self.windows = len(x)

    def inputs(self, y, origin_list):
        sm = Smoothing(self.params, y)
        return np.stack([sm.relative_window(y, o) / self.factor for o in origin_list]).astype(np.float32)[..., None]

    def forecast_scaled(self, model, x):
        return predict(model, x)

    def forecasts(self, y, origin_list, model=None):
        sm = Smoothing(self.params, y)
        z = self.forecast_scaled(model or self.model, self.inputs(y, origin_list)).astype(np.float64) * self.factor
        return [sm.back(z[i], o) for i, o in enumerate(origin_list)]

    def smoothing_forecasts(self, y, origin_list):
        sm = Smoothing(self.params, y)
        return [sm.forecast(o) for o in origin_list]

    def scaling(self):
        return "standard", 0.0, self.factor


def variants(task, members):
    """The variants that apply to the task's series (multiplicative seasons need a positive series)."""
    positive = bool(np.all(task.values > 0))
    out = [PlainVariant("plain LSTM (standardised series, one step, recursive)", members),
           HybridVariant("ES hybrid on Holt-Winters additive", "add", "add", members)]
    if positive:
        out += [HybridVariant("ES hybrid on Holt-Winters multiplicative (log ratios)", "add", "mul", members),
                HybridVariant("ES-RNN style: level and multiplicative season, no trend (log ratios)", None, "mul",
                              members)]
    return out


def evaluate_variant(task, variant, n_train, seed):
    """Trains on the first n_train steps and scores over the next HOLDOUT (origins as RollingOrigin.overTail)."""
    tail = task.values[:n_train + HOLDOUT]
    variant.train(tail, n_train, task.season, seed)
    olist = origins(len(tail))
    out = {"ensemble": summary(scores(tail, olist, variant.forecasts(tail, olist), task.season))}
    first = merged_model(variant.weights[:1], WINDOW, "member")
    out["member_1"] = summary(scores(tail, olist, variant.forecasts(tail, olist, first), task.season))
    return out


def classical_rows(task, n_train):
    """statsmodels' forecasters under the same protocol (fitted once on the first n_train steps)."""
    m = task.season
    tail = task.values[:n_train + HOLDOUT]
    olist = origins(len(tail))
    rows = {}
    kinds = [("Holt-Winters additive", "add", "add")]
    if np.all(tail > 0):
        kinds.append(("Holt-Winters multiplicative", "add", "mul"))
    for label, trend, seasonal in kinds:
        sm = Smoothing(fit_smoothing(tail[:n_train], trend, seasonal, m), tail)
        rows[label] = summary(scores(tail, olist, [sm.forecast(o) for o in olist], m))
    sar, _ = sarima_forecasts(tail, n_train, olist, m)
    rows[sarima_label(m)] = summary(scores(tail, olist, sar, m))
    rows["seasonal naive"] = summary(scores(tail, olist, [tail[o - m:o][np.arange(HORIZON) % m] for o in olist], m))
    return rows
