#!/usr/bin/env python3
"""Writes the Keras models that the container tests feed to the export when it must fail (KerasContainerExporterTest):

    custom_layer.keras      LSTM + a custom layer registered only in this script ("lstm4j_cases>Scale"): Keras in
                            the container cannot load it ("Could not locate class"), as with any user's model whose
                            custom objects are not importable where it is loaded
    td_dynamic_time.keras   LSTM(return_sequences) + TimeDistributed(Dense) on a time dimension None: tf2onnx 1.17
                            converts it wrongly, so ONNX Runtime does not reproduce Keras (output [B, 2, 2] for
                            [B, T, 2]; tools/keras/README.md)

into lstm-conformance/src/test/resources/org/lstm4j/conformance/keras/, with cases.json naming the versions.
Run with the keras environment: "$(tools/python/venv.sh keras)/bin/python" tools/keras/make_container_cases.py
"""
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import export_keras  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "lstm-conformance/src/test/resources/org/lstm4j/conformance/keras"


@keras.saving.register_keras_serializable(package="lstm4j_cases")
class Scale(L.Layer):
    """Multiplies by a constant: trivial, but a class Keras can only rebuild where it is registered."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def custom_layer():
    inp = keras.Input((6, 3), name="x")
    return keras.Model(inp, Scale(name="scale")(L.LSTM(4, name="lstm")(inp)))


def td_dynamic_time():
    inp = keras.Input((None, 3), name="x")
    h = L.LSTM(4, return_sequences=True, name="lstm")(inp)
    return keras.Model(inp, L.TimeDistributed(L.Dense(2), name="td")(h))


def main():
    keras.utils.set_random_seed(1234)
    OUT.mkdir(parents=True, exist_ok=True)
    cases = {}

    model = custom_layer()
    model.save(OUT / "custom_layer.keras")
    keras.saving.get_custom_objects().clear()  # as in a process that never imported this script
    try:
        keras.models.load_model(OUT / "custom_layer.keras", compile=False)
        raise AssertionError("custom_layer.keras loaded without its custom class")
    except TypeError as exc:
        cases["custom_layer.keras"] = {"expect": "Keras cannot load it", "keras_error": str(exc).splitlines()[0]}

    model = td_dynamic_time()
    model.save(OUT / "td_dynamic_time.keras")
    check = export_keras.export(model, time_steps=5, batch=2).info["ort_check"]
    if check["within_tolerance"]:
        raise AssertionError(f"td_dynamic_time: ONNX Runtime reproduces Keras now: {check}")
    cases["td_dynamic_time.keras"] = {"expect": "ONNX Runtime does not reproduce Keras", "ort_check": check,
                                      "time_steps": 5}

    info = {"source": "tools/keras/make_container_cases.py", "versions": export_keras.versions(), "cases": cases}
    (OUT / "cases.json").write_text(json.dumps(info, indent=2) + "\n")
    print(json.dumps(info, indent=2))


if __name__ == "__main__":
    main()
