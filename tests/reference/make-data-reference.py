#!/usr/bin/python3
"""Write the numpy references of the data side: generated series, scaling,
baselines and the free-running forecast.  Needs numpy only; from the project
root:

    python3 tests/reference/make-data-reference.py

It writes tests/reference/data-reference.json with:

    generators   for each case, its spec (kind, n_points, period, period2,
                 decay, noise, seed) and the series as float32 values.  The
                 engine's PCG32 and Box-Muller (engine/generators.h) are
                 written out again below in plain Python integers.
    scaling      sunspots (data/series/sunspots.csv) with time step 10 and
                 train ratio 0.7, minmax and zscore: the values, the
                 statistics fitted on series[0 : n_train + T] (a: min or
                 mean, b: max - min or sd) and the scaled series.
    baselines    the tutorial's sine and the scaled sunspots: persistence and
                 the linear AR (numpy.linalg.lstsq with an intercept column,
                 rcond 1e-6, as the engine's LAPACK dgelsd) predictions for
                 every window and their test MSE.
    forecast     the tutorial's initial model (tutorial.json's "initial") run
                 free from the first test window's inputs, in float32 numpy,
                 h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh).
"""

import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

MASK64 = (1 << 64) - 1
PCG_MULT = 6364136223846793005
PCG_INC = ((0xda3e39cb94b95bdb << 1) | 1) & MASK64


class Pcg32:
    """engine/rng.c: PCG32, XSH RR."""

    def __init__(self, seed):
        self.state = 0
        self.next()
        self.state = (self.state + seed) & MASK64
        self.next()

    def next(self):
        old = self.state
        self.state = (old * PCG_MULT + PCG_INC) & MASK64
        xorshifted = (((old >> 18) ^ old) >> 27) & 0xffffffff
        rot = old >> 59
        return ((xorshifted >> rot) | (xorshifted << ((-rot) & 31))) & 0xffffffff

    def uniform(self, lo, hi):
        """rnn_rng_uniform: 24 bits, float32 arithmetic."""
        u = np.float32(self.next() >> 8) * np.float32(1.0 / 16777216.0)
        x = np.float32(u * np.float32(hi - lo)) + np.float32(lo)
        return x if x < np.float32(hi) else np.float32(lo)

    def normal(self):
        u1 = (self.next() + 0.5) / 4294967296.0
        u2 = (self.next() + 0.5) / 4294967296.0
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def generate(kind, n, period=100.0, period2=25.0, decay=3.0, noise=0.0, seed=0, burst=0):
    rng = Pcg32(seed)
    i = np.arange(n, dtype=np.float64)
    if kind == "sine":
        x = np.sin(2 * np.pi * i / period)
    elif kind == "square":
        x = np.where(np.mod(i / period, 1.0) < 0.5, 1.0, -1.0)
    elif kind == "sawtooth":
        x = 2.0 * np.mod(i / period, 1.0) - 1.0
    elif kind == "damped":
        x = np.exp(-decay * i / n) * np.sin(2 * np.pi * i / period)
    elif kind == "sum":
        x = 0.5 * (np.sin(2 * np.pi * i / period) + np.sin(2 * np.pi * i / period2))
    elif kind == "random-walk":
        x = np.zeros(n)
        walk = 0.0
        for k in range(1, n):
            walk += 0.1 * rng.normal()
            x[k] = walk
    elif kind == "pattern":
        p = int(period)
        k = burst if burst > 0 else p
        pattern = [rng.uniform(-1.0, 1.0) if j < k else 0.0 for j in range(p)]
        x = np.array([pattern[k % p] for k in range(n)], dtype=np.float64)
    else:
        raise ValueError(kind)
    x = x.astype(np.float32)
    if noise > 0:
        x = np.array([np.float32(float(v) + noise * rng.normal()) for v in x], dtype=np.float32)
    return x


GENERATOR_CASES = [
    dict(kind="sine", n_points=100, period=100.0),
    dict(kind="square", n_points=120, period=25.0),
    dict(kind="sawtooth", n_points=120, period=30.0),
    dict(kind="damped", n_points=200, period=40.0, decay=3.0),
    dict(kind="sum", n_points=200, period=50.0, period2=12.5),
    dict(kind="random-walk", n_points=150, seed=7),
    dict(kind="pattern", n_points=100, period=12.0, seed=3),
    dict(kind="sine", n_points=100, period=100.0, noise=0.1, seed=42),
    dict(kind="pattern", n_points=60, period=5.0, noise=0.05, seed=11),
    dict(kind="pattern", n_points=80, period=24.0, burst=2, seed=5),
]


def windows(z, T):
    N = len(z) - T - 1
    X = np.array([z[k:k + T] for k in range(N)], dtype=np.float32)
    Y = np.array([z[k + T] for k in range(N)], dtype=np.float32)
    return X, Y


def scale(series, T, ratio, kind):
    N = len(series) - T - 1
    n_train = int(ratio * N)
    fit = series[:n_train + T].astype(np.float64)
    s = series.astype(np.float64)
    if kind == "minmax":
        a, b = fit.min(), fit.max() - fit.min()
        z = 2.0 * (s - a) / b - 1.0
    else:
        a, b = fit.mean(), fit.std()
        z = (s - a) / b
    return a, b, z.astype(np.float32), n_train


def baselines(z, T, n_train):
    X, Y = windows(z, T)
    persistence = X[:, -1].copy()
    A = np.hstack([np.ones((len(X), 1)), X.astype(np.float64)])
    coef, _, _, _ = np.linalg.lstsq(A[:n_train], Y[:n_train].astype(np.float64), rcond=1e-6)
    ar = (A @ coef).astype(np.float32)

    def mse(p):
        d = p[n_train:].astype(np.float64) - Y[n_train:].astype(np.float64)
        return float(np.mean(d * d))

    return dict(persistence=persistence.tolist(), linear_ar=ar.tolist(), coef=coef.tolist(),
                persistence_test_mse=mse(persistence), linear_ar_test_mse=mse(ar))


def forecast(model, start, steps):
    sd = {k: np.array(v, dtype=np.float32) for k, v in model["state_dict"].items()}
    W_ih, W_hh = sd["rnn.weight_ih_l0"], sd["rnn.weight_hh_l0"]
    b_ih, b_hh = sd["rnn.bias_ih_l0"], sd["rnn.bias_hh_l0"]
    W_fc, b_fc = sd["fc.weight"], sd["fc.bias"]
    T = len(start)
    buf = list(np.asarray(start, dtype=np.float32))
    for k in range(steps):
        h = np.zeros(W_hh.shape[0], dtype=np.float32)
        for t in range(T):
            x = np.array([buf[k + t]], dtype=np.float32)
            h = np.tanh(W_ih @ x + b_ih + W_hh @ h + b_hh).astype(np.float32)
        buf.append(np.float32((W_fc @ h + b_fc)[0]))
    return [float(v) for v in buf[T:]]


def read_column(path, column):
    with open(path, encoding="utf-8") as f:
        header = [c.strip('"') for c in f.readline().strip().split(",")]
        j = header.index(column)
        return np.array([float(line.split(",")[j]) for line in f if line.strip()], dtype=np.float32)


def f32list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32)]


def main():
    out = {"generators": [], "scaling": [], "baselines": {}, "forecast": {}}

    for case in GENERATOR_CASES:
        spec = dict(period=100.0, period2=25.0, decay=3.0, noise=0.0, seed=0, burst=0)
        spec.update(case)
        values = generate(spec["kind"], spec["n_points"], spec["period"], spec["period2"],
                          spec["decay"], spec["noise"], spec["seed"], spec["burst"])
        out["generators"].append({"spec": spec, "values": f32list(values)})

    sunspots = read_column(os.path.join(ROOT, "data", "series", "sunspots.csv"), "SUNACTIVITY")
    T, ratio = 10, 0.7
    for kind in ("minmax", "zscore"):
        a, b, z, n_train = scale(sunspots, T, ratio, kind)
        out["scaling"].append({"series": "sunspots", "normalize": kind, "time_step": T,
                               "train_ratio": ratio, "n_train": n_train, "a": a, "b": b,
                               "values": f32list(sunspots), "scaled": f32list(z)})

    sine = np.array([np.sin(2 * np.pi * i / 100) for i in range(100)], dtype=np.float32)
    out["baselines"]["tutorial"] = dict(time_step=10, train_ratio=0.7, **baselines(sine, 10, 62))
    _, _, z, n_train = scale(sunspots, T, ratio, "minmax")
    out["baselines"]["sunspots-minmax"] = dict(time_step=T, train_ratio=ratio,
                                               **baselines(z, T, n_train))

    with open(os.path.join(HERE, "tutorial.json"), encoding="utf-8") as f:
        initial = json.load(f)["initial"]
    start = sine[62:72]
    out["forecast"]["tutorial-initial"] = dict(time_step=10, steps=40,
                                               forecast=forecast(initial, start, 40))

    path = os.path.join(HERE, "data-reference.json")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)
    print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
