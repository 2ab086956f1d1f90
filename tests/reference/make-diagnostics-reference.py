#!/usr/bin/python3
"""Reference values for engine/diagnostics.c, computed with numpy in double.

Writes tests/reference/diagnostics.json:
  matrices: W (H, H) row-major, its spectral radius max |eig| and its
            largest singular value (numpy.linalg.eigvals, numpy.linalg.norm(W, 2));
            the tutorial's initial W_hh among them;
  saturation: an Elman RNN (weights given) run forward over sine windows;
            the share of |h_t| > 0.99 over every step of every window.

Run from the project root: /usr/bin/python3 tests/reference/make-diagnostics-reference.py
"""
import json
import numpy as np

THRESHOLD = 0.99


def matrix_case(name, W):
    W = np.asarray(W, dtype=np.float32).astype(np.float64)
    return {
        "name": name,
        "H": int(W.shape[0]),
        "W": W.flatten().tolist(),
        "spectral_radius": float(np.max(np.abs(np.linalg.eigvals(W)))),
        "largest_singular_value": float(np.linalg.norm(W, 2)),
    }


def main():
    rng = np.random.default_rng(20261130)
    with open("data/tutorial-model.json") as f:
        tutorial = json.load(f)["state_dict"]

    cases = [
        matrix_case("tutorial initial W_hh", tutorial["rnn.weight_hh_l0"]),
        # A rotation scaled by 1.5: complex eigenvalues +-1.5i.
        matrix_case("rotation", [[0.0, -1.5], [1.5, 0.0]]),
        # Non-normal: eigenvalues 0.5, yet it stretches a vector by about 10.
        matrix_case("non-normal", [[0.5, 10.0], [0.0, 0.5]]),
        matrix_case("gaussian 16", rng.normal(0.0, 2.0 / np.sqrt(16), (16, 16))),
    ]

    # Saturation: H = 8 units with large input weights, on the tutorial's
    # sine, windows of T = 10, all 89 windows.
    H, T = 8, 10
    series = np.sin(2 * np.pi * np.arange(100) / 100.0).astype(np.float32).astype(np.float64)
    W_ih = rng.uniform(-6.0, 6.0, (H, 1)).astype(np.float32).astype(np.float64)
    W_hh = rng.uniform(-0.5, 0.5, (H, H)).astype(np.float32).astype(np.float64)
    b_ih = rng.uniform(-0.3, 0.3, H).astype(np.float32).astype(np.float64)
    b_hh = rng.uniform(-0.3, 0.3, H).astype(np.float32).astype(np.float64)
    N = len(series) - T - 1
    hs = []
    for k in range(N):
        h = np.zeros(H)
        for t in range(T):
            h = np.tanh(W_ih[:, 0] * series[k + t] + b_ih + W_hh @ h + b_hh)
            hs.append(h.copy())
    hs = np.array(hs)
    margin = np.min(np.abs(np.abs(hs) - THRESHOLD))
    # The engine runs in float with a tanh a few ULP from tanhf: no state may
    # sit so near the threshold that float rounding could move it across.
    assert margin > 1e-5, "a state sits on the threshold; pick other weights"
    saturation = {
        "H": H, "T": T, "n_points": 100, "period": 100.0,
        "W_ih": W_ih.flatten().tolist(), "W_hh": W_hh.flatten().tolist(),
        "b_ih": b_ih.tolist(), "b_hh": b_hh.tolist(),
        "share": float(np.mean(np.abs(hs) > THRESHOLD)),
        "margin": float(margin),
    }

    with open("tests/reference/diagnostics.json", "w") as f:
        json.dump({"generator": "numpy " + np.__version__, "threshold": THRESHOLD,
                   "matrices": cases, "saturation": saturation}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
