#!/usr/bin/python3
"""Write the PyTorch reference runs that the engine tests compare against.

Run with PyTorch installed (Debian 12: apt-get install python3-torch
libopenblas-dev), from the project root:

    python3 tests/reference/make-reference.py

It builds the tutorial's model exactly as the article's script does
(torch.manual_seed(0) and np.random.seed(0) first, the same class, the same
data), trains it full batch, and writes for each configuration below a JSON
file next to this script:

    config           the hyperparameters of the run
    initial          the model right after construction, in the model format
                     of RNN Lab ("rnn-lab-model", version 1)
    train_loss       one value per epoch: the loss of that epoch's forward
                     pass, before that epoch's optimizer step
    train_mse_final  MSE of the trained model (eval mode) on the train windows
    test_mse_final   MSE of the trained model (eval mode) on the test windows
    predictions      the trained model's output on every window, train
                     windows first, then test windows

The runs of the other cells (nn.LSTM, nn.GRU swapped into the article's
model, as the article's closing paragraph suggests) and the runs with
gradient clipping also hold

    grad_norms       one list per epoch of T values: the Frobenius norm over
                     the train batch of dL/dh_t for t = 1..T, L that epoch's
                     training loss, before clipping.  nn.RNN/LSTM/GRU do not
                     expose h_t's gradient, so it comes from the same model
                     unrolled over nn.RNNCell/LSTMCell/GRUCell with the same
                     weights (whose parameter gradients are checked against
                     the layer's).

and their config says "cell" ("rnn" when absent) and "clip_grad_norm" (0,
none, when absent; else torch.nn.utils.clip_grad_norm_ before each step).

It also writes data/tutorial-model.json (the tutorial's initial model, shipped
with the app as its default start) and tests/reference/tutorial-stdout.txt
(the 20 lines the article's script prints).  Every number is the exact value
of a float32, written as the repr of the Python float that holds it.
"""

import json
import math
import os
import sys

# One BLAS thread and one PyTorch thread: with more, the order of some sums
# changes and the larger runs move in the fifth significant digit.  Set before
# PyTorch loads OpenBLAS.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"
# OpenBLAS's Haswell kernels, which wrote the committed files: on a CPU it
# does not recognise, OpenBLAS falls back to older kernels whose sums round
# differently in the last bits.
with open("/proc/cpuinfo") as _cpuinfo:
    if " avx2" in _cpuinfo.read():
        os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

CONFIGS = {
    "tutorial": dict(n_points=100, period=100.0, time_step=10, train_ratio=0.7,
                     hidden_size=50, lr=0.01, optimizer="adam", epochs=200),
    "small-h16-t5": dict(n_points=200, period=50.0, time_step=5, train_ratio=0.7,
                         hidden_size=16, lr=0.005, optimizer="adam", epochs=150),
    "wide-h96-t20": dict(n_points=300, period=60.0, time_step=20, train_ratio=0.7,
                         hidden_size=96, lr=0.003, optimizer="adam", epochs=100),
    "sgd-h8": dict(n_points=100, period=100.0, time_step=8, train_ratio=0.7,
                   hidden_size=8, lr=0.1, optimizer="sgd", epochs=100),
}

# Each cell at the tutorial's shape and two others, Adam and SGD, with the
# per-step gradient norms; and clipped runs.
for _cell in ("lstm", "gru"):
    CONFIGS[f"{_cell}-tutorial"] = dict(CONFIGS["tutorial"], cell=_cell)
    CONFIGS[f"{_cell}-small-h16-t5"] = dict(CONFIGS["small-h16-t5"], cell=_cell)
    CONFIGS[f"{_cell}-sgd-h8"] = dict(CONFIGS["sgd-h8"], cell=_cell)
CONFIGS["rnn-clip-sgd-h32-t16"] = dict(n_points=200, period=40.0, time_step=16, train_ratio=0.7,
                                       hidden_size=32, lr=0.5, optimizer="sgd", epochs=80,
                                       cell="rnn", clip_grad_norm=0.02)
CONFIGS["lstm-clip-sgd-h24"] = dict(n_points=150, period=30.0, time_step=12, train_ratio=0.7,
                                    hidden_size=24, lr=0.5, optimizer="sgd", epochs=120,
                                    cell="lstm", clip_grad_norm=0.02)
CONFIGS["gru-clip-h20"] = dict(n_points=150, period=30.0, time_step=12, train_ratio=0.7,
                               hidden_size=20, lr=0.002, optimizer="adam", epochs=60,
                               cell="gru", clip_grad_norm=0.02)


# What the article's script prints (tests/reference/tutorial-stdout.txt must
# equal this; it is checked before anything is written).
TUTORIAL_LINES = [
    "Epoch [10/200], Loss: 0.0518", "Epoch [20/200], Loss: 0.0083",
    "Epoch [30/200], Loss: 0.0019", "Epoch [40/200], Loss: 0.0012",
    "Epoch [50/200], Loss: 0.0006", "Epoch [60/200], Loss: 0.0002",
    "Epoch [70/200], Loss: 0.0002", "Epoch [80/200], Loss: 0.0001",
    "Epoch [90/200], Loss: 0.0001", "Epoch [100/200], Loss: 0.0001",
    "Epoch [110/200], Loss: 0.0001", "Epoch [120/200], Loss: 0.0001",
    "Epoch [130/200], Loss: 0.0000", "Epoch [140/200], Loss: 0.0000",
    "Epoch [150/200], Loss: 0.0000", "Epoch [160/200], Loss: 0.0000",
    "Epoch [170/200], Loss: 0.0000", "Epoch [180/200], Loss: 0.0000",
    "Epoch [190/200], Loss: 0.0000", "Epoch [200/200], Loss: 0.0000",
]


# The article's data preparation, with the point count and period as
# parameters (the article has 100 and 100).
def create_dataset(data, time_step=1):
    dataX, dataY = [], []
    for i in range(len(data) - time_step - 1):
        a = data[i:(i + time_step)]
        dataX.append(a)
        dataY.append(data[i + time_step])
    return np.array(dataX), np.array(dataY)


def make_data(n_points, period, time_step, train_ratio):
    sin_wave = np.array([np.sin(2 * np.pi * i / period) for i in range(n_points)])
    X, y = create_dataset(sin_wave, time_step)
    X = X.reshape(X.shape[0], time_step, 1)
    y = y.reshape(-1, 1)
    X = torch.tensor(X, dtype=torch.float32)
    y = torch.tensor(y, dtype=torch.float32)
    train_size = int(len(X) * train_ratio)
    return X[:train_size], y[:train_size], X[train_size:], y[train_size:]


# The article's model, unchanged.
class RNNModel(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super(RNNModel, self).__init__()
        self.hidden_size = hidden_size
        self.rnn = nn.RNN(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        h0 = torch.zeros(1, x.size(0), self.hidden_size)
        out, _ = self.rnn(x, h0)
        out = self.fc(out[:, -1, :])
        return out


# The article's model with nn.LSTM or nn.GRU in place of nn.RNN.
class CellModel(nn.Module):
    def __init__(self, cell, input_size, hidden_size, output_size):
        super().__init__()
        self.cell = cell
        self.hidden_size = hidden_size
        self.rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[cell](input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        h0 = torch.zeros(1, x.size(0), self.hidden_size)
        if self.cell == "lstm":
            out, _ = self.rnn(x, (h0, torch.zeros(1, x.size(0), self.hidden_size)))
        else:
            out, _ = self.rnn(x, h0)
        return self.fc(out[:, -1, :])


def unrolled_grad_norms(model, cell, X, Y, criterion):
    """|dL/dh_t| for t = 1..T: the model unrolled over the one-step cell
    module with the same weights; also checks its parameter gradients
    against the layer's (which must be in model's .grad already)."""
    H = model.hidden_size
    step = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}[cell](1, H)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(step, name).copy_(getattr(model.rnn, name + "_l0"))
    fc = nn.Linear(H, 1)
    fc.load_state_dict(model.fc.state_dict())
    h = torch.zeros(X.size(0), H)
    c = torch.zeros(X.size(0), H)
    hs = []
    for t in range(X.size(1)):
        if cell == "lstm":
            h, c = step(X[:, t, :], (h, c))
        else:
            h = step(X[:, t, :], h)
        h.retain_grad()
        hs.append(h)
    criterion(fc(h), Y).backward()
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        a, b = getattr(step, name).grad, getattr(model.rnn, name + "_l0").grad
        if not torch.allclose(a, b, rtol=1e-4, atol=1e-7):
            sys.exit(f"make-reference: the unrolled {cell} disagrees with the layer on {name}")
    return [torch.linalg.norm(h.grad).item() for h in hs]


def model_to_json(model, cell="rnn"):
    """The model in RNN Lab's model format (design section 6)."""
    header = {"format": "rnn-lab-model", "version": 1, "cell": cell}
    if cell == "rnn":
        header["nonlinearity"] = "tanh"
    return dict(header, **{
        "input_size": 1, "hidden_size": model.hidden_size, "output_size": 1,
        "state_dict": {k: v.tolist() for k, v in model.state_dict().items()},
    })


def run(cfg, printed=None):
    torch.manual_seed(0)
    np.random.seed(0)
    trainX, trainY, testX, testY = make_data(cfg["n_points"], cfg["period"],
                                             cfg["time_step"], cfg["train_ratio"])
    cell = cfg.get("cell", "rnn")
    clip = cfg.get("clip_grad_norm", 0.0)
    with_norms = "cell" in cfg
    if cell == "rnn":
        model = RNNModel(1, cfg["hidden_size"], 1)
    else:
        model = CellModel(cell, 1, cfg["hidden_size"], 1)
    initial = model_to_json(model, cell)

    criterion = nn.MSELoss()
    if cfg["optimizer"] == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"])

    num_epochs = cfg["epochs"]
    train_loss = []
    grad_norms = []
    for epoch in range(num_epochs):
        model.train()
        optimizer.zero_grad()
        outputs = model(trainX)
        loss = criterion(outputs, trainY)
        loss.backward()
        if with_norms:
            grad_norms.append(unrolled_grad_norms(model, cell, trainX, trainY, criterion))
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        train_loss.append(loss.item())
        if printed is not None and (epoch + 1) % 10 == 0:
            printed.append(f'Epoch [{epoch + 1}/{num_epochs}], Loss: {loss.item():.4f}')

    model.eval()
    with torch.no_grad():
        train_predict = model(trainX)
        test_predict = model(testX)
        train_mse = criterion(train_predict, trainY).item()
        test_mse = criterion(test_predict, testY).item()
    predictions = train_predict.flatten().tolist() + test_predict.flatten().tolist()

    for v in train_loss + predictions + [train_mse, test_mse] + sum(grad_norms, []):
        if not math.isfinite(v):
            sys.exit(f"make-reference: non-finite value in run {cfg}")

    result = {
        "config": cfg,
        "initial": initial,
        "train_loss": train_loss,
        "train_mse_final": train_mse,
        "test_mse_final": test_mse,
        "predictions": predictions,
    }
    if with_norms:
        result["grad_norms"] = grad_norms
    return result


def dumps(obj, indent=0):
    """JSON with objects indented, number lists on one line, one matrix row a line."""
    pad = "  " * indent
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f'{pad}  {json.dumps(k)}: {dumps(v, indent + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and obj and isinstance(obj[0], list):
        rows = [f"{pad}  {dumps(r, indent + 1)}" for r in obj]
        return "[\n" + ",\n".join(rows) + "\n" + pad + "]"
    if isinstance(obj, list):
        return "[" + ", ".join(dumps(v, indent) for v in obj) + "]"
    if isinstance(obj, float):
        return repr(obj)
    return json.dumps(obj)


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    print("wrote", os.path.relpath(path, ROOT))


def main():
    torch.set_num_threads(1)
    results = {}
    printed = []
    for name, cfg in CONFIGS.items():
        results[name] = run(cfg, printed if name == "tutorial" else None)

    if printed != TUTORIAL_LINES:
        sys.exit("make-reference: the tutorial run does not print the article's lines:\n"
                 + "\n".join(printed))

    # Same seed, same run: a second tutorial run must give the same numbers.
    again = run(CONFIGS["tutorial"])
    if again != results["tutorial"]:
        sys.exit("make-reference: two tutorial runs differ; the reference would not be stable")

    for name, result in results.items():
        write(os.path.join(HERE, name + ".json"), dumps(result) + "\n")
    write(os.path.join(ROOT, "data", "tutorial-model.json"),
          dumps(results["tutorial"]["initial"]) + "\n")
    write(os.path.join(HERE, "tutorial-stdout.txt"), "\n".join(printed) + "\n")


if __name__ == "__main__":
    main()
