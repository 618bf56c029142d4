#!/usr/bin/env python3
"""lstm4j side by side: the same LSTM shapes, weights and thread count on PyTorch (eager nn.LSTM under
inference_mode), ONNX Runtime for Python, Keras on TensorFlow (a tf.function call and model.predict) and
every lstm4j backend (the Java timing main in lstm-bench), in one run; plus the machine's single-precision
matmul peak and each backend's cold start and peak RSS. Writes one table (markdown), a PNG chart and the raw
JSON under --out. Run it through tools/bench/run.sh, which sets the thread environment and builds the jar.

Parts (the script runs itself in the Keras venv for the Keras part):
  side_by_side.py --out DIR [--quick] [--shapes a,b,c,d]      (torch venv: the whole run)
  side_by_side.py --part keras --work DIR --out FILE           (keras venv: Keras timings only)
"""
import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

SHAPES = {  # letter: (batch, time, input, hidden, dense, label)
    "a": (1, 100, 10, 50, True, "(a) streaming: one step, batch 1, input 10, hidden 50, Dense(10), state carried"),
    "b": (1, 100, 10, 50, True, "(b) one request: batch 1, 100 steps, input 10, hidden 50, final state -> Dense(10)"),
    "c": (64, 100, 32, 256, False, "(c) throughput: batch 64, 100 steps, input 32, hidden 256, all steps out"),
    "d": (256, 100, 128, 512, False, "(d) large: batch 256, 100 steps, input 128, hidden 512, all steps out"),
}
PYTHON_ANCHORS = ("pytorch-eager", "onnxruntime-python", "keras-tf.function", "keras-predict")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def budgets(shape, quick):
    """(warm-up s, measuring s, min samples, max samples) per shape: the whole run stays within minutes on 2 cores."""
    s = 0.4 if quick else 1.0
    return {"a": (1.5 * s, 2.0 * s, 5, 400), "b": (1.5 * s, 2.0 * s, 5, 400),
            "c": (2.5 * s, 3.0 * s, 5, 40), "d": (3.0 * s, 5.0 * s, 3, 15)}[shape]


def measure(call, units, shape, quick, slow=False):
    """Median wall (perf_counter) and process-CPU (process_time: every thread of the process) ms per unit."""
    warm, budget, lo, hi = budgets(shape, quick)
    if slow:
        warm, budget, lo, hi = 0.0, 0.0, 2 if shape == "c" else 1, 2
    end = time.perf_counter() + warm
    n = 0
    while n < 2 or time.perf_counter() < end:
        call()
        n += 1
    # A sample repeats the call for at least 0.2 s, as the Java side does (its CPU clock ticks every 10 ms).
    t = time.perf_counter()
    call()
    reps = max(1, min(100000, int(0.2 / max(time.perf_counter() - t, 1e-9))))
    wall, cpu = [], []
    stop = time.perf_counter() + budget
    while len(wall) < hi and (len(wall) < lo or time.perf_counter() < stop):
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(reps):
            call()
        t1, c1 = time.perf_counter(), time.process_time()
        wall.append((t1 - t0) * 1e3 / units / reps)
        cpu.append((c1 - c0) * 1e3 / units / reps)
    return {"median_wall_ms": statistics.median(wall), "median_cpu_ms": statistics.median(cpu), "samples": len(wall)}


def max_diff(expected, got):
    import numpy as np
    got = np.asarray(got, dtype=np.float32).reshape(expected.shape)
    return float(np.max(np.abs(expected.astype(np.float64) - got.astype(np.float64))))


# ---------------------------------------------------------------------------------------------- torch venv part

def make_data(work, shapes):
    """Seeded weights (PyTorch's uniform +-1/sqrt(H)), input, PyTorch's output and an ONNX export per shape."""
    import numpy as np
    import torch
    models = {}
    for letter in shapes:
        b, t, i, h, dense, _ = SHAPES[letter]
        d = os.path.join(work, letter)
        os.makedirs(d, exist_ok=True)
        rng = np.random.default_rng(2026)
        k = 1.0 / np.sqrt(h)
        arrays = {"weight_ih_l0": rng.uniform(-k, k, (4 * h, i)), "weight_hh_l0": rng.uniform(-k, k, (4 * h, h)),
                  "bias_ih_l0": rng.uniform(-k, k, 4 * h), "bias_hh_l0": rng.uniform(-k, k, 4 * h)}
        if dense:
            arrays["linear_weight"] = rng.uniform(-k, k, (10, h))
            arrays["linear_bias"] = rng.uniform(-k, k, 10)
        arrays = {n: a.astype(np.float32) for n, a in arrays.items()}
        for n, a in arrays.items():
            np.save(os.path.join(d, n + ".npy"), a)
        x = rng.uniform(-1, 1, (b, t, i)).astype(np.float32)
        np.save(os.path.join(d, "x.npy"), x)
        lstm = torch.nn.LSTM(i, h, batch_first=True)
        with torch.no_grad():
            for n in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
                getattr(lstm, n).copy_(torch.from_numpy(arrays[n]))
        linear = None
        if dense:
            linear = torch.nn.Linear(h, 10)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(arrays["linear_weight"]))
                linear.bias.copy_(torch.from_numpy(arrays["linear_bias"]))
        lstm.eval()
        module = Step(lstm, linear) if letter == "a" else (Request(lstm, linear) if letter == "b" else Whole(lstm))
        with torch.inference_mode():
            if letter == "a":
                hh = torch.zeros(1, 1, h)
                cc = torch.zeros(1, 1, h)
                outs = []
                for s in range(t):
                    y, hh, cc = module(torch.from_numpy(x[:, s:s + 1]), hh, cc)
                    outs.append(y.numpy())
                expected = np.concatenate(outs, axis=1)
            else:
                expected = module(torch.from_numpy(x)).numpy()
        np.save(os.path.join(d, "expected.npy"), expected.astype(np.float32))
        onnx_path = os.path.join(d, "model.onnx")
        if letter == "a":
            torch.onnx.export(module, (torch.from_numpy(x[:, :1]), torch.zeros(1, 1, h), torch.zeros(1, 1, h)), onnx_path,
                              input_names=["x", "h0", "c0"], output_names=["y", "hn", "cn"], opset_version=17, dynamo=False)
        else:
            torch.onnx.export(module, (torch.from_numpy(x),), onnx_path, input_names=["x"], output_names=["y"],
                              opset_version=17, dynamo=False)
        models[letter] = (module, x, expected)
    return models


def torch_modules():
    import torch

    class Step(torch.nn.Module):
        """(a) one step from a carried state, then the Dense."""
        def __init__(self, lstm, linear):
            super().__init__()
            self.lstm, self.linear = lstm, linear

        def forward(self, x, h0, c0):
            y, (hn, cn) = self.lstm(x, (h0, c0))
            return self.linear(y), hn, cn

    class Request(torch.nn.Module):
        """(b) the seed model: the LSTM's final hidden state through the Dense."""
        def __init__(self, lstm, linear):
            super().__init__()
            self.lstm, self.linear = lstm, linear

        def forward(self, x):
            _, (hn, _) = self.lstm(x)
            return self.linear(hn[-1])

    class Whole(torch.nn.Module):
        """(c), (d): every step's hidden state."""
        def __init__(self, lstm):
            super().__init__()
            self.lstm = lstm

        def forward(self, x):
            return self.lstm(x)[0]

    return Step, Request, Whole


def time_pytorch(models, quick):
    import torch
    rows = []
    with torch.inference_mode():
        for letter, (module, x, expected) in models.items():
            h = SHAPES[letter][3]
            if letter == "a":
                steps = [torch.from_numpy(x[:, s:s + 1]) for s in range(x.shape[1])]

                def run():
                    hh, cc = torch.zeros(1, 1, h), torch.zeros(1, 1, h)
                    for xs in steps:
                        y, hh, cc = module(xs, hh, cc)
                    return y
                got = run().numpy()
                diff = max_diff(expected[:, -1:], got)
                r = measure(run, len(steps), letter, quick)
                unit = "per step"
            else:
                xt = torch.from_numpy(x)
                diff = max_diff(expected, module(xt).numpy())
                r = measure(lambda: module(xt), 1, letter, quick)
                unit = "per call"
            rows.append(dict(shape=letter, backend="pytorch-eager", unit=unit, max_abs_diff_vs_pytorch=diff, **r))
            print(json.dumps(rows[-1]), flush=True)
    return rows


def ort_session(path, threads):
    import onnxruntime as ort
    o = ort.SessionOptions()
    o.intra_op_num_threads = threads
    o.inter_op_num_threads = 1
    o.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    o.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, o, providers=["CPUExecutionProvider"])


def time_onnxruntime(work, models, threads, quick):
    import numpy as np
    rows = []
    for letter, (_, x, expected) in models.items():
        h = SHAPES[letter][3]
        sess = ort_session(os.path.join(work, letter, "model.onnx"), threads)
        if letter == "a":
            steps = [np.ascontiguousarray(x[:, s:s + 1]) for s in range(x.shape[1])]

            def run():
                hh = np.zeros((1, 1, h), np.float32)
                cc = np.zeros((1, 1, h), np.float32)
                for xs in steps:
                    y, hh, cc = sess.run(None, {"x": xs, "h0": hh, "c0": cc})
                return y
            diff = max_diff(expected[:, -1:], run())
            r = measure(run, len(steps), letter, quick)
            unit = "per step"
        else:
            diff = max_diff(expected, sess.run(None, {"x": x})[0])
            r = measure(lambda: sess.run(None, {"x": x}), 1, letter, quick)
            unit = "per call"
        rows.append(dict(shape=letter, backend="onnxruntime-python", unit=unit, max_abs_diff_vs_pytorch=diff, **r))
        print(json.dumps(rows[-1]), flush=True)
    return rows


def sgemm_peak():
    """Single-precision matmul, one thread, n = 2048: best of 5, GFLOP/s by wall and by CPU time; torch (MKL) and numpy."""
    import numpy as np
    import torch
    n = 2048
    a = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)
    b = np.random.default_rng(2).standard_normal((n, n), dtype=np.float32)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    out = {}
    for name, f in (("torch.mm (MKL)", lambda: torch.mm(ta, tb)), ("numpy.matmul", lambda: a @ b)):
        f()
        walls, cpus = [], []
        for _ in range(5):
            c0, t0 = time.process_time(), time.perf_counter()
            f()
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        flops = 2.0 * n ** 3
        out[name] = {"gflops_wall": flops / min(walls) / 1e9, "gflops_cpu": flops / min(cpus) / 1e9, "n": n}
    best = max(out, key=lambda k: out[k]["gflops_cpu"])
    return {"kernels": out, "peak_source": best, "peak_gflops_cpu": out[best]["gflops_cpu"], "peak_gflops_wall": out[best]["gflops_wall"]}


# ---------------------------------------------------------------------------------------------- keras venv part

def keras_part(work, out, threads, quick, shapes):
    import numpy as np
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras
    rows = []
    for letter in shapes:
        b, t, i, h, dense, _ = SHAPES[letter]
        d = os.path.join(work, letter)
        w = {n: np.load(os.path.join(d, n + ".npy")) for n in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")}
        x = np.load(os.path.join(d, "x.npy"))
        expected = np.load(os.path.join(d, "expected.npy"))
        # Keras's gate order (i, f, c, o) is PyTorch's (i, f, g, o); kernels are the transposes; one bias.
        lstm_weights = [w["weight_ih_l0"].T, w["weight_hh_l0"].T, w["bias_ih_l0"] + w["bias_hh_l0"]]
        if letter == "a":
            xin = keras.Input(batch_shape=(1, 1, i))
            h0 = keras.Input(batch_shape=(1, h))
            c0 = keras.Input(batch_shape=(1, h))
            layer = keras.layers.LSTM(h, return_sequences=True, return_state=True)
            y, hn, cn = layer(xin, initial_state=[h0, c0])
            head = keras.layers.Dense(10)
            model = keras.Model([xin, h0, c0], [head(y), hn, cn])
        else:
            xin = keras.Input(batch_shape=(b, t, i))
            layer = keras.layers.LSTM(h, return_sequences=letter != "b")
            y = layer(xin)
            head = keras.layers.Dense(10) if dense else None
            model = keras.Model(xin, head(y) if head else y)
        layer.set_weights(lstm_weights)
        if dense:
            head.set_weights([np.load(os.path.join(d, "linear_weight.npy")).T, np.load(os.path.join(d, "linear_bias.npy"))])
        fn = tf.function(lambda *args: model(list(args) if len(args) > 1 else args[0], training=False))
        if letter == "a":
            steps = [tf.constant(x[:, s:s + 1]) for s in range(t)]
            npsteps = [x[:, s:s + 1] for s in range(t)]

            def run_fn():
                hh, cc = tf.zeros((1, h)), tf.zeros((1, h))
                for xs in steps:
                    y, hh, cc = fn(xs, hh, cc)
                return y

            def run_predict(n=t):
                hh, cc = np.zeros((1, h), np.float32), np.zeros((1, h), np.float32)
                for xs in npsteps[:n]:
                    y, hh, cc = model.predict([xs, hh, cc], verbose=0, batch_size=1)
                return y
            rows.append(dict(shape=letter, backend="keras-tf.function", unit="per step",
                             max_abs_diff_vs_pytorch=max_diff(expected[:, -1:], run_fn().numpy()), **measure(run_fn, t, letter, quick)))
            print(json.dumps(rows[-1]), flush=True)
            # model.predict costs milliseconds a call: time it over the first 5 steps of the stream.
            got = run_predict(5)
            rows.append(dict(shape=letter, backend="keras-predict", unit="per step", max_abs_diff_vs_pytorch=max_diff(expected[:, 4:5], got),
                             **measure(lambda: run_predict(5), 5, letter, quick)))
            print(json.dumps(rows[-1]), flush=True)
        else:
            xt = tf.constant(x)
            rows.append(dict(shape=letter, backend="keras-tf.function", unit="per call",
                             max_abs_diff_vs_pytorch=max_diff(expected, fn(xt).numpy()), **measure(lambda: fn(xt), 1, letter, quick)))
            print(json.dumps(rows[-1]), flush=True)
            rows.append(dict(shape=letter, backend="keras-predict", unit="per call",
                             max_abs_diff_vs_pytorch=max_diff(expected, model.predict(x, verbose=0, batch_size=b)),
                             **measure(lambda: model.predict(x, verbose=0, batch_size=b), 1, letter, quick)))
            print(json.dumps(rows[-1]), flush=True)
    with open(out, "w") as f:
        json.dump({"rows": rows, "versions": {"tensorflow": tf.__version__, "keras": keras.__version__}}, f, indent=1)


# ---------------------------------------------------------------------------------------------- Java and cold start

def java_cmd(java_args, heap="-Xmx6g"):
    """java with the Vector API module (java-fast's kernels), ND4J's off-heap limits, and the class path in an @argfile
    (a long command line crashes ONNX Runtime 1.29.0's native start)."""
    return ["java", "--add-modules", "jdk.incubator.vector", heap, "-Dorg.bytedeco.javacpp.maxbytes=4g",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=10g", "@" + java_args]


def run_java(java_args, work, threads, quick, shapes, backends):
    out = os.path.join(work, "java.json")
    cmd = java_cmd(java_args) + ["org.lstm4j.bench.SideBySide", "--data", work, "--out", out, "--threads", str(threads),
                           "--shapes", ",".join(shapes), "--backends", backends] + (["--quick"] if quick else [])
    print("$ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    with open(out) as f:
        return json.load(f)


def spawn_measured(cmd):
    """Runs cmd; returns (epoch seconds at spawn, stdout, wall s, CPU s user+sys from wait4, wait4's max RSS MiB, exit code).
    wait4's max RSS counts the parent's RSS at fork (this process, with PyTorch loaded): the child reports its own VmHWM."""
    t_spawn = time.time()
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stdout = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return t_spawn, stdout, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, p.returncode


def cold_start(java_args, java_only_args, backends, reps):
    """New JVM -> backend selected, seed model compiled, first prediction; and the peak RSS of a process doing one (c).
    The pure-Java backends run twice: with only their own jars on the class path, and with every backend's."""
    rows = []
    runs = [(be, java_only_args, "lstm-api + lstm-backend-java only") for be in backends if be.startswith("java")]
    runs += [(be, java_args, "every backend") for be in backends]
    for be, java_args, cp_label in runs:
        firsts, walls, cpus, rss = [], [], [], []
        skipped = None
        for _ in range(reps):
            t_spawn, out, wall, cpu, maxrss, rc = spawn_measured(java_cmd(java_args, "-Xmx1g") + ["org.lstm4j.bench.ColdStart", be])
            if "skipped=" in out or rc != 0:
                skipped = out.strip().split("skipped=", 1)[-1] or f"exit code {rc}"
                break
            at = int(out.split("first_prediction_epoch_ms=")[1].split()[0]) / 1000.0
            firsts.append(at - t_spawn)
            walls.append(wall)
            cpus.append(cpu)
            rss.append(int(out.split("peak_rss_kib=")[1].split()[0]) / 1024.0)
        if skipped:
            rows.append({"backend": be, "class_path": cp_label, "skipped": skipped})
            continue
        _, out, wall_c, _, _, rc = spawn_measured(java_cmd(java_args, "-Xmx1g") + ["org.lstm4j.bench.ColdStart", be, "c"])
        rss_c = int(out.split("peak_rss_kib=")[1].split()[0]) / 1024.0 if "peak_rss_kib=" in out else None
        rows.append({"backend": be, "class_path": cp_label, "first_prediction_s": statistics.median(firsts), "process_wall_s": statistics.median(walls),
                     "process_cpu_s": statistics.median(cpus), "peak_rss_mib_seed_model": max(rss),
                     "peak_rss_mib_throughput_c": rss_c if rc == 0 else None, "reps": reps})
        print(json.dumps(rows[-1]), flush=True)
    return rows


# ---------------------------------------------------------------------------------------------- report

def report(out_dir, meta, rows, peak, cold, java_args):
    import numpy as np  # noqa: F401  (the torch venv has it; keeps the report's environment explicit)
    os.makedirs(out_dir, exist_ok=True)
    basis = meta["ratio_basis"]
    key = "median_cpu_ms" if basis == "cpu" else "median_wall_ms"
    table = []
    ratios_tsv = []
    targets = {}
    for letter in meta["shapes"]:
        shape_rows = [r for r in rows if r["shape"] == letter and "skipped" not in r]
        anchors = [r for r in shape_rows if r["backend"] in PYTHON_ANCHORS]
        best = min(anchors, key=lambda r: r[key]) if anchors else None
        b, t, i, h, _, label = SHAPES[letter]
        flops = 2.0 * b * t * (i + h) * 4 * h
        table.append(f"\n### {label}\n")
        table.append(f"Best Python anchor: **{best['backend']}** ({best[key]:.4g} ms {best['unit']}, {basis} time)\n" if best else "")
        table.append(f"| backend | median wall ms | median CPU ms | unit | ratio to best anchor ({basis}) | GFLOP/s ({basis}) | % of sgemm peak | max abs diff vs PyTorch |")
        table.append("|---|---:|---:|---|---:|---:|---:|---:|")
        for r in sorted(shape_rows, key=lambda r: r[key]):
            ratio = r[key] / best[key] if best and best[key] > 0 else float("nan")
            gf = "" if letter in "ab" else f"{flops / (r[key] / 1e3) / 1e9:.1f}"
            pct = "" if letter in "ab" else f"{100 * flops / (r[key] / 1e3) / 1e9 / peak['peak_gflops_' + basis]:.0f}%"
            d = r.get("max_abs_diff_vs_pytorch")
            table.append(f"| {r['backend']} | {r['median_wall_ms']:.4g} | {r['median_cpu_ms']:.4g} | {r['unit']} | {ratio:.3f} | {gf} | {pct} | "
                         f"{'' if d is None else f'{d:.2g}'} |")
            if ratio == ratio and ratio > 0:
                ratios_tsv.append(f"{letter}\t{r['backend']}\t{ratio}")
        for r in rows:
            if r["shape"] == letter and "skipped" in r:
                table.append(f"| {r['backend']} | skipped: {r['skipped']} | | | | | | |")
        by = {r["backend"]: r for r in shape_rows}
        lstm4j = [r for r in shape_rows if r["backend"] in ("java", "java-fast", "java-fast-scalar", "onnx", "tf", "nd4j")]
        fastest = min(lstm4j, key=lambda r: r[key]) if lstm4j else None
        if fastest and best:
            if fastest[key] <= 0 or best[key] <= 0:
                continue
            targets[letter] = {"fastest_lstm4j": fastest["backend"], "fastest_ms": fastest[key], "best_anchor": best["backend"],
                               "best_anchor_ms": best[key], "ratio_to_best_anchor": fastest[key] / best[key]}
            if letter in "cd":
                targets[letter]["fraction_of_sgemm_peak"] = flops / (fastest[key] / 1e3) / 1e9 / peak["peak_gflops_" + basis]
            if letter == "a":
                for other in ("ort-java", "pytorch-eager"):
                    if other in by and fastest[key] > 0:
                        targets[letter]["speedup_vs_" + other] = by[other][key] / fastest[key]
            if letter == "b" and "onnx" in by and "ort-java-same-graph" in by:
                targets[letter]["onnx_overhead_vs_bare_ort_java"] = by["onnx"][key] / by["ort-java-same-graph"][key]
    md = [f"# lstm4j side by side, {meta['date']}\n",
          f"Command: `{meta['command']}`  ",
          f"Machine: {meta['machine']}  ",
          f"Threads: {meta['threads']} for every engine ({meta['thread_settings']})  ",
          f"Versions: {', '.join(f'{k} {v}' for k, v in meta['versions'].items())}  ",
          f"java-fast kernels: {meta['java_fast_kernels']}  ",
          f"Load average at start / end: {meta['load_start']} / {meta['load_end']}  ",
          f"Ratios use **{basis} time** ({meta['ratio_basis_why']}). Times are medians; (a) is per step of a 100-step stream, "
          "the rest per call.  ",
          f"sgemm peak (1 thread, {peak['kernels'][peak['peak_source']]['n']}^2, best of 5): **{peak['peak_gflops_' + basis]:.1f} GFLOP/s** "
          f"({basis}) from {peak['peak_source']}; all: " + "; ".join(
              f"{k} {v['gflops_cpu']:.1f} (CPU) / {v['gflops_wall']:.1f} (wall)" for k, v in peak["kernels"].items()) + "\n",
          "## Results"] + table
    md += ["\n## Cold start and memory (new JVM per run, median of %d; peak RSS = the JVM's own VmHWM from /proc/self/status)\n" % meta["cold_reps"],
           "| backend | class path | to first prediction s (wall) | process wall s | process CPU s | peak RSS MiB, seed model | peak RSS MiB, one (c) call |",
           "|---|---|---:|---:|---:|---:|---:|"]
    for c in cold:
        if "skipped" in c:
            md.append(f"| {c['backend']} | {c['class_path']} | skipped: {c['skipped']} | | | | |")
        else:
            md.append(f"| {c['backend']} | {c['class_path']} | {c['first_prediction_s']:.3f} | {c['process_wall_s']:.3f} | {c['process_cpu_s']:.3f} | "
                      f"{c['peak_rss_mib_seed_model']:.0f} | {c['peak_rss_mib_throughput_c'] or float('nan'):.0f} |")
    md += ["\n## Targets (issue 9), from this run\n", "```", json.dumps(targets, indent=1), "```"]
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"meta": meta, "rows": rows, "sgemm": peak, "cold_start": cold, "targets": targets}, f, indent=1)
    tsv = os.path.join(out_dir, "ratios.tsv")
    with open(tsv, "w") as f:
        f.write("\n".join(ratios_tsv) + "\n")
    subprocess.run(["java", "-Djava.awt.headless=true", "@" + java_args, "org.lstm4j.bench.ChartWriter", tsv,
                    os.path.join(out_dir, "chart.png"),
                    f"lstm4j vs Python anchors, {meta['date']}, {meta['threads']} thread, {basis} time ({meta['machine_short']})"], check=True)
    os.remove(tsv)
    return targets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", default="all")
    ap.add_argument("--work", default="/tmp/lstm4j-bench")
    ap.add_argument("--out")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", "1")))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--shapes", default="a,b,c,d")
    ap.add_argument("--backends", default="java,java-fast,java-fast-scalar,onnx,tf,nd4j,ort-java")
    ap.add_argument("--ratio-basis", choices=("cpu", "wall"), default="cpu")
    ap.add_argument("--java-only-args", default=os.path.join(ROOT, "lstm-bench", "target", "bench-java-only.args"),
                    help="java @argfile with only the pure-Java backend's class path (run.sh writes it)")
    ap.add_argument("--java-args", default=os.path.join(ROOT, "lstm-bench", "target", "bench.args"),
                    help="java @argfile with -cp (run.sh writes it)")
    ap.add_argument("--keras-python", required=True, help="python of the keras venv (run.sh passes tools/python/venv.sh keras)")
    ap.add_argument("--cold-reps", type=int, default=3, help="JVM starts per backend for the cold-start table; 0 skips it")
    args = ap.parse_args()
    shapes = [s.strip() for s in args.shapes.split(",")]
    if args.part == "keras":
        keras_part(args.work, args.out, args.threads, args.quick, shapes)
        return
    load_start = " ".join(f"{x:.1f}" for x in os.getloadavg())
    os.makedirs(args.work, exist_ok=True)
    import numpy as np
    import onnx
    import onnxruntime
    import torch
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    global Step, Request, Whole
    Step, Request, Whole = torch_modules()
    print("== data and PyTorch/ONNX exports", flush=True)
    models = make_data(args.work, shapes)
    print("== sgemm peak", flush=True)
    peak = sgemm_peak()
    print(json.dumps(peak), flush=True)
    print("== PyTorch", flush=True)
    rows = time_pytorch(models, args.quick)
    print("== ONNX Runtime (Python)", flush=True)
    rows += time_onnxruntime(args.work, models, args.threads, args.quick)
    print("== Keras / TensorFlow", flush=True)
    keras_json = os.path.join(args.work, "keras.json")
    subprocess.run([args.keras_python, os.path.abspath(__file__), "--part", "keras", "--work", args.work, "--out", keras_json,
                    "--threads", str(args.threads), "--shapes", args.shapes] + (["--quick"] if args.quick else []), check=True)
    with open(keras_json) as f:
        kj = json.load(f)
    rows += kj["rows"]
    print("== lstm4j (Java)", flush=True)
    jj = run_java(args.java_args, args.work, args.threads, args.quick, shapes, args.backends)
    rows += jj["rows"]
    print("== cold start", flush=True)
    cold = cold_start(args.java_args, args.java_only_args, ["java", "java-fast", "onnx", "tf", "nd4j"], args.cold_reps) \
        if args.cold_reps > 0 else []
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": os.environ.get("BENCH_COMMAND", "tools/bench/run.sh"),
        "machine": f"{cpu}, {os.cpu_count()} CPUs, {mem:.0f} GiB, {platform.platform()}",
        "machine_short": f"{cpu}, {os.cpu_count()} CPUs",
        "threads": args.threads,
        "thread_settings": "torch.set_num_threads; ORT intra_op_num_threads, inter_op 1, sequential; TF intra/inter-op parallelism; "
                           "lstm4j PredictorOptions intraOpThreads; OMP/MKL/OPENBLAS_NUM_THREADS in the environment",
        "versions": {"python": platform.python_version(), "torch": torch.__version__, "onnxruntime (Python)": onnxruntime.__version__,
                     "onnx": onnx.__version__, "numpy": np.__version__, **kj["versions"], "java": jj["java"],
                     "onnxruntime (Java)": jj["onnxruntime_java"]},
        "java_fast_kernels": jj["java_fast_kernels"],
        "shapes": shapes,
        "quick": args.quick,
        "ratio_basis": args.ratio_basis,
        "ratio_basis_why": "process CPU time, not wall: on a shared machine other work takes cores mid-run, and CPU time leaves "
                           "that out for every engine alike; wall medians are in the table too" if args.ratio_basis == "cpu"
                           else "wall-clock medians",
        "load_start": load_start,
        "load_end": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "cold_reps": args.cold_reps,
        "python_peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }
    out_dir = args.out or os.path.join(ROOT, "benchmarks", "results", datetime.date.today().isoformat())
    targets = report(out_dir, meta, rows, peak, cold, args.java_args)
    print(json.dumps(targets, indent=1))
    print("written: " + out_dir)


if __name__ == "__main__":
    main()
