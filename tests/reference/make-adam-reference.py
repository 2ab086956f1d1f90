#!/usr/bin/python3
"""Write adam-tiny.json: torch.optim.Adam and torch.optim.SGD on a tiny problem.

Run from the project root with Debian 12's python3-torch:

    /usr/bin/python3 tests/reference/make-adam-reference.py

Eight float32 parameters of mixed sizes get ten optimizer steps with fixed,
hand-picked gradients (signs flipping, zeros, a very large and a very small
value), so every term of the update matters. For each optimizer setting the
file records the parameters after every step; test-adam.c replays the same
gradients through adam_update / sgd_update and compares.
"""

import json
import os

os.environ["OMP_NUM_THREADS"] = "1"

import torch

HERE = os.path.dirname(os.path.abspath(__file__))

INITIAL = [0.5, -0.25, 1.5, -2.0, 0.001, 0.0, 3.0, -0.75]

# One row of gradients per step.
GRADS = [
    [0.1, -0.2, 0.3, 1e-4, -5.0, 0.0, 1e3, 1e-7],
    [0.1, 0.2, -0.3, 2e-4, -4.0, 0.0, -1e3, 1e-7],
    [-0.05, 0.2, 0.3, 0.0, 3.0, 0.5, 1e3, -1e-7],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [0.3, -0.1, 0.01, -1e-3, 2.0, -0.5, 10.0, 1e-6],
    [0.3, -0.1, 0.01, -1e-3, 2.0, -0.5, 10.0, 1e-6],
    [-1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0],
    [0.7, 0.01, -0.02, 0.5, 0.0, 0.25, 100.0, 0.0],
    [1e-5, -1e-5, 1e-5, -1e-5, 1e-5, -1e-5, 1e-5, -1e-5],
    [2.0, -3.0, 4.0, -5.0, 6.0, -7.0, 8.0, -9.0],
]

SETTINGS = [
    dict(name="adam-default", optimizer="adam", lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8),
    dict(name="adam-custom", optimizer="adam", lr=0.1, beta1=0.8, beta2=0.99, eps=1e-6),
    dict(name="sgd", optimizer="sgd", lr=0.05),
]


def run(setting):
    p = torch.tensor(INITIAL, dtype=torch.float32, requires_grad=True)
    if setting["optimizer"] == "adam":
        opt = torch.optim.Adam([p], lr=setting["lr"],
                               betas=(setting["beta1"], setting["beta2"]),
                               eps=setting["eps"], foreach=False)
    else:
        opt = torch.optim.SGD([p], lr=setting["lr"], foreach=False)
    steps = []
    for g in GRADS:
        opt.zero_grad()
        p.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
        steps.append(p.detach().tolist())
    return dict(setting, params=steps)


def main():
    torch.set_num_threads(1)
    out = {
        "torch_version": torch.__version__,
        "initial": torch.tensor(INITIAL, dtype=torch.float32).tolist(),
        "grads": [torch.tensor(g, dtype=torch.float32).tolist() for g in GRADS],
        "runs": [run(s) for s in SETTINGS],
    }
    path = os.path.join(HERE, "adam-tiny.json")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    os.replace(path + ".tmp", path)
    print("wrote", path)


if __name__ == "__main__":
    main()
