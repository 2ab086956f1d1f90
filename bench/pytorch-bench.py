#!/usr/bin/python3
"""The PyTorch side of RNN Lab's benchmark.

Times the tutorial's model (nn.RNN tanh + nn.Linear, full-batch forward,
backward and Adam step, lr 0.01), and the same with nn.LSTM or nn.GRU in
place of nn.RNN, at the three sizes of the benchmark and prints one line per
configuration, in the same format as the C benchmark
(build/bench/bench-engine):

    tutorial N=   62 T= 10 H=  50 epochs= 200 ms/epoch=   1.218 GFLOP/s=  7.79 train_loss=... test_mse=...
    lstm-tutorial N=   62 ...

GFLOP/s counts 2*3*windows*T*G*(H + H*H) per epoch, G = 1, 4, 3 gate blocks
for the RNN, LSTM, GRU: the forward matrix work and about twice that
backward.  Before the timed epochs, a throwaway model of the
same shape trains a few epochs, so that first-call costs are not counted (this
can only make PyTorch look faster).  The timed model starts from
torch.manual_seed(0), so train_loss and test_mse are reproducible.

Usage: python3 bench/pytorch-bench.py [--config NAME] [--threads N] [--plain-malloc]

NAME is tutorial, medium or large (the RNN), or lstm- or gru- and one of
those (lstm-medium, ...); default: every cell at every size.

PyTorch allocates its activations and gradients afresh every epoch; glibc
returns the large blocks to the kernel on free, so every epoch page-faults
them in again, which on some machines (virtual machines especially) costs
PyTorch 2x to 4x at the medium and large sizes.  The C engine allocates
nothing inside an epoch.  To compare against PyTorch at its best, this script
re-runs itself with glibc's malloc told to keep freed memory
(MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_, MALLOC_MMAP_THRESHOLD_); pass
--plain-malloc to time PyTorch with the default allocator.

Needs Debian's python3-torch with libopenblas-dev installed: with only the
reference BLAS, PyTorch is several times slower and the comparison is unfair.
The first line says which BLAS PyTorch's matrix products went through.
"""

import argparse
import ctypes
import os
import sys
import time

MALLOC_ENV = {
    "MALLOC_MMAP_THRESHOLD_": str(32 << 20),   # the most glibc accepts
    "MALLOC_TRIM_THRESHOLD_": str(1 << 30),
    "MALLOC_TOP_PAD_": str(256 << 20),
}

if "--plain-malloc" not in sys.argv and any(os.environ.get(k) != v for k, v in MALLOC_ENV.items()):
    os.environ.update(MALLOC_ENV)
    os.execv(sys.executable, [sys.executable] + sys.argv)

import numpy as np
import torch
import torch.nn as nn

# name: (points, period, time step, hidden size, timed epochs, warm-up epochs)
SHAPES = {
    "tutorial": (100, 100, 10, 50, 200, 10),
    "medium": (1000, 100, 32, 128, 50, 3),
    "large": (4000, 200, 64, 256, 10, 1),
}
GATES = {"rnn": 1, "lstm": 4, "gru": 3}
# name: (cell, shape); the RNN's lines keep the shape's name
CONFIGS = {(shape if cell == "rnn" else f"{cell}-{shape}"): (cell, shape)
           for cell in GATES for shape in SHAPES}
LR = 0.01


def make(n_points, period, time_step):
    wave = np.array([np.sin(2 * np.pi * i / period) for i in range(n_points)])
    X, y = [], []
    for i in range(len(wave) - time_step - 1):
        X.append(wave[i:i + time_step])
        y.append(wave[i + time_step])
    X = torch.tensor(np.array(X).reshape(-1, time_step, 1), dtype=torch.float32)
    y = torch.tensor(np.array(y).reshape(-1, 1), dtype=torch.float32)
    n = int(len(X) * 0.7)
    return X[:n], y[:n], X[n:], y[n:]


class RNNModel(nn.Module):
    def __init__(self, hidden_size, cell="rnn"):
        super().__init__()
        self.hidden_size = hidden_size
        self.cell = cell
        self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](1, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, 1)

    def forward(self, x):
        h0 = torch.zeros(1, x.size(0), self.hidden_size)
        out, _ = self.rnn(x, (h0, torch.zeros_like(h0)) if self.cell == "lstm" else h0)
        return self.fc(out[:, -1, :])


def train(model, X, Y, epochs):
    crit = nn.MSELoss()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss = None
    for _ in range(epochs):
        opt.zero_grad()
        loss = crit(model(X), Y)
        loss.backward()
        opt.step()
    return loss


def run(name):
    cell, shape = CONFIGS[name]
    n_points, period, T, H, epochs, warmup = SHAPES[shape]
    torch.manual_seed(0)
    trX, trY, teX, teY = make(n_points, period, T)
    model = RNNModel(H, cell)

    train(RNNModel(H, cell), trX, trY, warmup)

    t0 = time.perf_counter()
    loss = train(model, trX, trY, epochs)
    dt = time.perf_counter() - t0

    with torch.no_grad():
        test = nn.MSELoss()(model(teX), teY).item()
    flops = 2 * 3 * len(trX) * T * GATES[cell] * (H + H * H)
    print(f"{name:8s} N={len(trX):5d} T={T:3d} H={H:4d} epochs={epochs:4d} "
          f"ms/epoch={1000 * dt / epochs:8.3f} GFLOP/s={flops * epochs / dt / 1e9:6.2f} "
          f"train_loss={loss.item():.3e} test_mse={test:.3e}", flush=True)


def loaded_blas():
    """The BLAS library this process has mapped, and OpenBLAS's handle if it is one."""
    a = torch.ones(64, 64)
    (a @ a).sum().item()  # make sure the BLAS is loaded and used
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in path.lower() and ".so" in path:
                paths.add(path)
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return path, lib
        except (OSError, AttributeError):
            continue
    return ", ".join(sorted(paths)) or "none found", None


def main():
    parser = argparse.ArgumentParser(description="Time the tutorial's model in PyTorch.")
    parser.add_argument("--config", choices=list(CONFIGS), action="append",
                        help="configuration to run (repeatable; default: all nine)")
    parser.add_argument("--threads", type=int, default=0,
                        help="PyTorch and OpenBLAS threads (default: as they start)")
    parser.add_argument("--plain-malloc", action="store_true",
                        help="keep glibc's default allocator settings")
    args = parser.parse_args()

    path, openblas = loaded_blas()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
        if openblas is not None:
            openblas.openblas_set_num_threads(args.threads)
    if openblas is not None:
        blas = (f"blas {openblas.openblas_get_config().decode()} "
                f"core {openblas.openblas_get_corename().decode()} "
                f"blas_threads {openblas.openblas_get_num_threads()}")
    else:
        blas = f"blas NOT OpenBLAS ({path})"
    malloc = "malloc plain" if args.plain_malloc else "malloc keep-freed"
    print("torch", torch.__version__, "threads", torch.get_num_threads(), blas, malloc, flush=True)
    if openblas is None:
        print("warning: PyTorch is not using OpenBLAS; install libopenblas-dev", file=sys.stderr)

    for name in args.config or list(CONFIGS):
        run(name)


if __name__ == "__main__":
    main()
