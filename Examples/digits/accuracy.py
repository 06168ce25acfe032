#!/usr/bin/env python3
"""xpert's `command` accuracy program for the digits MLP (see train.py).

Reads one request on standard input ({"design": ..., "network": ..., "nsr": [per layer]}) and
prints the test-split accuracy, percent, with each layer's noise injected at the design's NSR:
the layer's matrix-vector product y = W x gets Gaussian noise of power NSR * mean(y^2) (the
NSR xpert measured for that layer on the crossbar, against the float product, so weight and
activation quantisation, dropped input bits and the ADC are all in it), then the bias and the
ReLU. The accuracy is the mean over REPEATS noise draws, seeded, so an answer is reproducible.
"""
import json
import os
import sys
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPEATS = 16


def accuracy(model, nsr, repeats=REPEATS, seed=0):
    rng = np.random.default_rng(seed)
    layers = [(model["w1"], model["b1"]), (model["w2"], model["b2"]), (model["w3"], model["b3"])]
    x, labels = model["x_test"].astype(np.float64), model["y_test"]
    correct = 0.0
    for _ in range(repeats):
        h = x
        for i, (w, b) in enumerate(layers):
            y = h @ w.T.astype(np.float64)
            if nsr[i] > 0:
                power = float(np.mean(y * y))
                y = y + rng.normal(0.0, np.sqrt(nsr[i] * power), size=y.shape)
            y = y + b
            h = np.maximum(y, 0) if i < len(layers) - 1 else y
        correct += float(np.mean(np.argmax(h, axis=1) == labels))
    return 100.0 * correct / repeats


def main():
    request = json.load(sys.stdin)
    layers = request["network"]["layers"]
    if [l["name"] for l in layers] != ["fc1", "fc2", "fc3"]:
        sys.exit("expected the digits MLP's layers fc1, fc2, fc3")
    nsr = request.get("nsr") or [0.0, 0.0, 0.0]
    if len(nsr) != 3 or any(not np.isfinite(v) or v < 0 for v in nsr):
        sys.exit(f"expected three non-negative NSRs, got {nsr}")
    model = np.load(os.path.join(HERE, "data", "model.npz"))
    print(f"{accuracy(model, nsr):.6f}")


if __name__ == "__main__":
    main()
