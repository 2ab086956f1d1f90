#!/usr/bin/python3
"""Write the PyTorch reference runs for mini-batches and for real series on
the model's scale.  From the project root, with python3-torch installed:

    python3 tests/reference/make-batch-reference.py

Each run builds the article's model (make-reference.py's RNNModel, under
torch.manual_seed(0)) and trains it with Adam as a PyTorch loop over
mini-batches does:

    for epoch in range(epochs):
        total = 0.0
        for xb, yb in batches:            # in order, the last batch smaller
            optimizer.zero_grad(); loss = criterion(model(xb), yb)
            loss.backward(); optimizer.step(); total += loss.item()
        train_loss.append(total / len(batches))

With "shuffle", the order of the windows is drawn every epoch as the engine
draws it (engine/session.c: Fisher-Yates from PCG32 seeded with the shuffle
seed, here 0), so both see the same batches.  A real series (data/series/)
is scaled as the engine does it (engine/scaling.h): the statistics of
series[0 : n_train + T], minmax to [-1, 1] or zscore.  Each file holds
config, series (the float32 values before scaling), initial, train_loss,
train_mse_final, test_mse_final and predictions (on the model's scale).
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def load(name, filename):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ref = load("make_reference", "make-reference.py")        # sets one thread, imports torch
data_ref = load("make_data_reference", "make-data-reference.py")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CONFIGS = {
    "batch-sine-b16": dict(series="sine", n_points=100, period=100.0, time_step=10,
                           train_ratio=0.7, hidden_size=16, lr=0.01, epochs=40,
                           batch_size=16, shuffle=False, normalize="none"),
    "shuffle-sine-b8": dict(series="sine", n_points=200, period=50.0, time_step=5,
                            train_ratio=0.7, hidden_size=8, lr=0.01, epochs=20,
                            batch_size=8, shuffle=True, normalize="none"),
    "nile-minmax": dict(series="nile", time_step=5, train_ratio=0.7, hidden_size=16,
                        lr=0.01, epochs=50, batch_size=0, shuffle=False, normalize="minmax"),
    "sunspots-zscore-b32": dict(series="sunspots", time_step=10, train_ratio=0.7,
                                hidden_size=32, lr=0.005, epochs=30, batch_size=32,
                                shuffle=False, normalize="zscore"),
}

REAL = {"nile": ("nile.csv", "volume"), "sunspots": ("sunspots.csv", "SUNACTIVITY")}


def rng_below(rng, bound):
    threshold = ((1 << 32) - bound) % bound
    while True:
        r = rng.next()
        if r >= threshold:
            return r % bound


def series_for(cfg):
    if cfg["series"] == "sine":
        return np.array([np.sin(2 * np.pi * i / cfg["period"]) for i in range(cfg["n_points"])],
                        dtype=np.float32)
    filename, column = REAL[cfg["series"]]
    return data_ref.read_column(os.path.join(ROOT, "data", "series", filename), column)


def run(cfg):
    torch.manual_seed(0)
    np.random.seed(0)
    series = series_for(cfg)
    T = cfg["time_step"]
    if cfg["normalize"] == "none":
        z = series
    else:
        _, _, z, _ = data_ref.scale(series, T, cfg["train_ratio"], cfg["normalize"])
    X, Y = data_ref.windows(z, T)
    n_train = int(len(X) * cfg["train_ratio"])
    X = torch.tensor(X.reshape(len(X), T, 1), dtype=torch.float32)
    Y = torch.tensor(Y.reshape(-1, 1), dtype=torch.float32)
    trainX, trainY, testX, testY = X[:n_train], Y[:n_train], X[n_train:], Y[n_train:]

    model = ref.RNNModel(1, cfg["hidden_size"], 1)
    initial = ref.model_to_json(model)
    criterion = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    batch = cfg["batch_size"] if 0 < cfg["batch_size"] < n_train else n_train
    rng = data_ref.Pcg32(0)

    train_loss = []
    for _ in range(cfg["epochs"]):
        order = list(range(n_train))
        if cfg["shuffle"]:
            for i in range(n_train - 1, 0, -1):
                j = rng_below(rng, i + 1)
                order[i], order[j] = order[j], order[i]
        model.train()
        total, n_batches = 0.0, 0
        for b0 in range(0, n_train, batch):
            idx = torch.tensor(order[b0:b0 + batch])
            optimizer.zero_grad()
            loss = criterion(model(trainX[idx]), trainY[idx])
            loss.backward()
            optimizer.step()
            total += loss.item()
            n_batches += 1
        train_loss.append(total / n_batches)

    model.eval()
    with torch.no_grad():
        train_predict, test_predict = model(trainX), model(testX)
        train_mse = criterion(train_predict, trainY).item()
        test_mse = criterion(test_predict, testY).item()
    predictions = train_predict.flatten().tolist() + test_predict.flatten().tolist()
    for v in train_loss + predictions:
        if not np.isfinite(v):
            sys.exit(f"make-batch-reference: non-finite value in {cfg}")
    return {
        "config": cfg,
        "series": data_ref.f32list(series),
        "initial": initial,
        "train_loss": train_loss,
        "train_mse_final": train_mse,
        "test_mse_final": test_mse,
        "predictions": predictions,
    }


def main():
    torch.set_num_threads(1)
    for name, cfg in CONFIGS.items():
        result = run(cfg)
        ref.write(os.path.join(HERE, name + ".json"), ref.dumps(result) + "\n")


if __name__ == "__main__":
    main()
