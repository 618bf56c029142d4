#!/usr/bin/env python3
"""Reference fits of exponential smoothing by statsmodels, for lstm-forecast's tests.

    "$(tools/python/venv.sh keras)"/bin/python tools/forecast/make_smoothing_fixtures.py

For three public-domain series, each of simple exponential smoothing, additive Holt-Winters and multiplicative
Holt-Winters is fitted by statsmodels.tsa.holtwinters.ExponentialSmoothing (its defaults: initialization_method
"estimated", L-BFGS-B minimising the sum of squared one-step errors, brute-force start). Written per series and model:
the fitted parameters, the SSE, the one-step in-sample predictions, the states after the last observation, and the
forecasts:
  statsmodels_forecast   what results.forecast(h) returns in statsmodels 0.15.0
  textbook_forecast      l(T) + h b(T) with the season s(T+h-m(k+1)), computed here from statsmodels' own states
                         (results.level, .trend, .season). It differs from statsmodels_forecast only at h = m, 2m, ...,
                         where statsmodels 0.15.0 uses s(T-m) instead of s(T) (statsmodels issue 9538, fixed by
                         pull request 10230).

Series (statsmodels 0.15.0's bundled datasets, each "public domain" by its COPYRIGHT note):
  co2           the demo's monthly Mauna Loa CO2, read from the demo's committed CSV (itself made from
                statsmodels.datasets.co2 by tools/demo/train_demo.py), the training part: all but the last 36 months
  elec_equip    statsmodels.datasets.elec_equip: Euro-area turnover index, manufacture of electrical equipment,
                monthly 1995-01 .. 2016-05, working-day adjusted, not seasonally adjusted (Eurostat)
  danish_lrm    statsmodels.datasets.danish_data, column lrm (log real money M2, Denmark), quarterly 1974Q1 .. 1987Q3
                (Johansen and Juselius 1990)

Writes lstm-forecast/src/test/resources/org/lstm4j/forecast/smoothing/statsmodels_<series>.json.
"""
import csv
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import statsmodels
from statsmodels.datasets import danish_data, elec_equip
from statsmodels.tsa.holtwinters import ExponentialSmoothing

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "lstm-forecast/src/test/resources/org/lstm4j/forecast/smoothing"
DEMO_CSV = REPO / "lstm-examples/src/main/resources/org/lstm4j/examples/demo/co2_monthly.csv"
DEMO_HOLDOUT = 36
HORIZON = 30

MODELS = {
    "simple": dict(trend=None, seasonal=None),
    "holt_winters_additive": dict(trend="add", seasonal="add"),
    "holt_winters_multiplicative": dict(trend="add", seasonal="mul"),
}


def series():
    with open(DEMO_CSV) as f:
        rows = list(csv.DictReader(f))
    co2 = [float(r["co2"]) for r in rows][:-DEMO_HOLDOUT]
    ee = elec_equip.load().data.iloc[:, 0]
    dd = danish_data.load().data["lrm"]
    return {
        "co2": dict(values=co2, period=12, first=rows[0]["date"], frequency="monthly",
                    source="lstm-examples/src/main/resources/org/lstm4j/examples/demo/co2_monthly.csv without its last "
                           f"{DEMO_HOLDOUT} rows (statsmodels.datasets.co2, weekly -> monthly by tools/demo/train_demo.py)",
                    copyright="statsmodels.datasets.co2: " + " ".join(__import__("statsmodels.datasets.co2").datasets.co2.COPYRIGHT.split())),
        "elec_equip": dict(values=ee.to_list(), period=12, first=str(ee.index[0].date()), frequency="monthly",
                           source="statsmodels.datasets.elec_equip: " + " ".join(elec_equip.SOURCE.split()),
                           copyright=" ".join(elec_equip.COPYRIGHT.split())),
        "danish_lrm": dict(values=dd.to_list(), period=4, first=str(dd.index[0].date()), frequency="quarterly",
                           source="statsmodels.datasets.danish_data, column lrm: " + " ".join(danish_data.SOURCE.split()),
                           copyright=" ".join(danish_data.COPYRIGHT.split())),
    }


def textbook_forecast(res, kind, m, h):
    level, trend = res.level[-1], (res.trend[-1] if kind["trend"] else 0.0)
    season = np.asarray(res.season) if kind["seasonal"] else None
    out = []
    for k in range(1, h + 1):
        base = level + k * trend
        if season is None:
            out.append(base)
            continue
        s = season[len(season) - m + (k - 1) % m]  # s(T + k - m(j+1)), j = (k-1)//m: one of the last m states
        out.append(base * s if kind["seasonal"] == "mul" else base + s)
    return np.array(out)


def fit(values, m, kind):
    y = np.asarray(values, dtype=np.float64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = ExponentialSmoothing(y, seasonal_periods=m if kind["seasonal"] else None, **kind)
        res = model.fit()
    p = res.params
    trend = bool(kind["trend"])
    seasonal = bool(kind["seasonal"])
    fc = np.asarray(res.forecast(HORIZON))
    tb = textbook_forecast(res, kind, m, HORIZON)
    return {
        "statsmodels_call": f"ExponentialSmoothing(y, trend={kind['trend']!r}, seasonal={kind['seasonal']!r}, "
                            f"seasonal_periods={m if seasonal else None}).fit()",
        "warnings": sorted({str(w.message) for w in caught}),
        "parameters": {
            "alpha": float(p["smoothing_level"]),
            "beta": float(p["smoothing_trend"]) if trend else 0.0,
            "gamma": float(p["smoothing_seasonal"]) if seasonal else 0.0,
            "initial_level": float(p["initial_level"]),
            "initial_trend": float(p["initial_trend"]) if trend else 0.0,
            "initial_seasons": [float(v) for v in p["initial_seasons"]] if seasonal else [],
        },
        "sse": float(res.sse),
        "fitted": [float(v) for v in res.fittedvalues],
        "final_level": float(res.level[-1]),
        "final_trend": float(res.trend[-1]) if trend else 0.0,
        "final_seasons": [float(v) for v in np.asarray(res.season)[-m:]] if seasonal else [],
        "statsmodels_forecast": [float(v) for v in fc],
        "textbook_forecast": [float(v) for v in tb],
        "forecast_differs_at": [k + 1 for k in range(HORIZON) if abs(fc[k] - tb[k]) > 1e-9 * abs(tb[k])],
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    versions = {"statsmodels": statsmodels.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
                "pandas": pd.__version__, "python": sys.version.split()[0]}
    for name, s in series().items():
        doc = {"generator": "tools/forecast/make_smoothing_fixtures.py", "versions": versions, "series": name,
               "frequency": s["frequency"], "first": s["first"], "period": s["period"], "source": s["source"],
               "copyright": s["copyright"], "horizon": HORIZON, "values": s["values"], "models": {}}
        for model, kind in MODELS.items():
            r = fit(s["values"], s["period"], kind)
            doc["models"][model] = r
            print(f"{name:11s} {model:28s} SSE {r['sse']:.6g}  alpha {r['parameters']['alpha']:.4f} beta "
                  f"{r['parameters']['beta']:.4f} gamma {r['parameters']['gamma']:.4f}  forecast differs at h="
                  f"{r['forecast_differs_at']}  {r['warnings']}")
        path = OUT / f"statsmodels_{name}.json"
        path.write_text(json.dumps(doc, indent=1) + "\n")
        print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
