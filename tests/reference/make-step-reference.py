#!/usr/bin/python3
"""Reference values for the one-step view (rnn_step_terms in engine/rnn.c):
the terms of every step of one window, for each cell, computed term by term
with PyTorch's own tensors in float32 from a model PyTorch built.

Writes tests/reference/step-terms.json: one case per cell (rnn, lstm, gru),
hidden size 6, time step 5, input size 1, under torch.manual_seed(0):
  initial: the model in the model file format (state_dict names and shapes);
  x:       the window's inputs x_1 .. x_T;
  steps:   for t = 1..T: x (I), h_prev (H), c_prev (H, LSTM), ih = W_ih x_t,
           hh = W_hh h_{t-1}, pre (the sum with both biases; the GRU's n
           block W_in x + b_in + r (W_hn h + b_hn)), gates (after the
           nonlinearities: LSTM i f g o, GRU r z n; the RNN's is h_t),
           c (LSTM), h (G H or H values, flat);
  hidden:  h_1 .. h_T as the layer (nn.RNN, nn.LSTM, nn.GRU) computes them:
           the script refuses to write unless every h_t above equals it
           within 1e-6.

Run from the project root: /usr/bin/python3 tests/reference/make-step-reference.py
"""
import importlib.util
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("make_reference", os.path.join(HERE, "make-reference.py"))
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)  # sets the BLAS threads before torch loads

import torch  # noqa: E402

H, T = 6, 5


def step_terms(cell, model, x):
    rnn = model.rnn
    W_ih, W_hh = rnn.weight_ih_l0, rnn.weight_hh_l0
    b_ih, b_hh = rnn.bias_ih_l0, rnn.bias_hh_l0
    h = torch.zeros(H)
    c = torch.zeros(H)
    steps = []
    for t in range(T):
        xt = x[t:t + 1]
        ih = W_ih @ xt
        hh = W_hh @ h
        pre = ih + b_ih + hh + b_hh
        entry = {"t": t + 1, "x": xt.tolist(), "h_prev": h.tolist()}
        if cell == "rnn":
            h = torch.tanh(pre)
            gates = h
        elif cell == "lstm":
            i, f, g, o = pre.split(H)
            gates = torch.cat([torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)])
            entry["c_prev"] = c.tolist()
            c = gates[H:2 * H] * c + gates[:H] * gates[2 * H:3 * H]
            h = gates[3 * H:] * torch.tanh(c)
            entry["c"] = c.tolist()
        else:
            r = torch.sigmoid(pre[:H])
            z = torch.sigmoid(pre[H:2 * H])
            pre = torch.cat([pre[:2 * H], ih[2 * H:] + b_ih[2 * H:] + r * (hh[2 * H:] + b_hh[2 * H:])])
            n = torch.tanh(pre[2 * H:])
            gates = torch.cat([r, z, n])
            h = (1 - z) * n + z * h
        entry.update({"ih": ih.tolist(), "hh": hh.tolist(), "pre": pre.tolist(),
                      "gates": gates.tolist(), "h": h.tolist()})
        steps.append(entry)
    return steps


def case(cell):
    torch.manual_seed(0)
    model = ref.RNNModel(1, H, 1) if cell == "rnn" else ref.CellModel(cell, 1, H, 1)
    # a window of a sine on the model's scale, its amplitude below 1
    x = torch.tensor([0.9 * math.sin(2 * math.pi * k / 12) for k in range(T)], dtype=torch.float32)
    with torch.no_grad():
        steps = step_terms(cell, model, x)
        if cell == "lstm":
            out, _ = model.rnn(x.view(1, T, 1), (torch.zeros(1, 1, H), torch.zeros(1, 1, H)))
        else:
            out, _ = model.rnn(x.view(1, T, 1), torch.zeros(1, 1, H))
    hidden = out.view(T, H)
    for t, entry in enumerate(steps):
        if not torch.allclose(torch.tensor(entry["h"]), hidden[t], rtol=0, atol=1e-6):
            sys.exit(f"make-step-reference: the {cell} step {t + 1} disagrees with the layer")
    return {"cell": cell, "input_size": 1, "hidden_size": H, "time_step": T,
            "initial": ref.model_to_json(model, cell), "x": x.tolist(),
            "steps": steps, "hidden": hidden.tolist()}


def main():
    torch.set_num_threads(1)
    cases = [case(cell) for cell in ("rnn", "lstm", "gru")]
    ref.write(os.path.join(HERE, "step-terms.json"),
              ref.dumps({"generator": "torch " + torch.__version__, "cases": cases}) + "\n")


if __name__ == "__main__":
    main()
