#!/usr/bin/python3
"""Load an RNN Lab model file into the tutorial's PyTorch model.

    python3 tests/reference/load-into-torch.py MODEL.json [--points N]
        [--period P] [--time-step T] [--train-ratio R]

Reads the file with json.load, builds the article's RNNModel with the file's
hidden_size (with nn.LSTM or nn.GRU in place of nn.RNN when its "cell" says
lstm or gru), loads the tensors with load_state_dict (strict: every tensor
present, no extra one, every shape right), and prints the model's prediction
on every window of the series (the tutorial's by default), train windows
first, one value per line, as the repr of the float32 value.  As in the
tutorial, the train windows and the test windows go through the model as two
batches, so for a trained tutorial model the output equals the "predictions"
of tests/reference/tutorial.json bit for bit.

Exits with status 1 and a one-line message on stderr if the file cannot be
read or does not load.
"""

import argparse
import json
import os
import sys

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np
import torch
import torch.nn as nn


class RNNModel(nn.Module):
    def __init__(self, input_size, hidden_size, output_size, cell="rnn"):
        super(RNNModel, self).__init__()
        self.hidden_size = hidden_size
        self.cell = cell
        self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](input_size, hidden_size,
                                                                       batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        h0 = torch.zeros(1, x.size(0), self.hidden_size)
        out, _ = self.rnn(x, (h0, torch.zeros_like(h0)) if self.cell == "lstm" else h0)
        out = self.fc(out[:, -1, :])
        return out


def windows(n_points, period, time_step):
    wave = np.array([np.sin(2 * np.pi * i / period) for i in range(n_points)])
    X = [wave[i:i + time_step] for i in range(len(wave) - time_step - 1)]
    return torch.tensor(np.array(X).reshape(-1, time_step, 1), dtype=torch.float32)


def main():
    parser = argparse.ArgumentParser(description="Load an RNN Lab model into PyTorch.")
    parser.add_argument("model")
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--period", type=float, default=None)
    parser.add_argument("--time-step", type=int, default=10)
    parser.add_argument("--train-ratio", type=float, default=0.7)
    args = parser.parse_args()
    period = args.period if args.period is not None else float(args.points)

    try:
        with open(args.model, encoding="utf-8") as f:
            m = json.load(f)
        if m.get("format") != "rnn-lab-model" or m.get("version") != 1:
            raise ValueError("not an rnn-lab-model version 1 file")
        if m.get("input_size") != 1 or m.get("output_size") != 1:
            raise ValueError("input_size and output_size must be 1")
        if m.get("cell", "rnn") not in ("rnn", "lstm", "gru"):
            raise ValueError("cell must be rnn, lstm or gru")
        model = RNNModel(1, int(m["hidden_size"]), 1, m.get("cell", "rnn"))
        model.load_state_dict({k: torch.tensor(v) for k, v in m["state_dict"].items()})
    except Exception as e:  # any failure is reported, never a traceback
        print(f"load-into-torch: {args.model}: {type(e).__name__}: {e}".replace("\n", " ").replace("\t", ""),
              file=sys.stderr)
        return 1

    model.eval()
    X = windows(args.points, period, args.time_step)
    train_size = int(len(X) * args.train_ratio)
    with torch.no_grad():
        out = model(X[:train_size]).flatten().tolist() + model(X[train_size:]).flatten().tolist()
    for v in out:
        print(repr(v))
    return 0


if __name__ == "__main__":
    sys.exit(main())
