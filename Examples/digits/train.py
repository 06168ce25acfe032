#!/usr/bin/env python3
"""Trains a small MLP on scikit-learn's bundled digits data (1797 8x8 images, no download) and
writes what xpert and the accuracy program need into data/:

  fc1.weights.npy, fc2.weights.npy, fc3.weights.npy   (out, in), PyTorch's Linear.weight layout
  fc1.activations.npy, ...                           (N, in) samples of each layer's input
  model.npz                                          weights, biases and the test split

Deterministic: fixed split and seed. Run: python3 Examples/digits/train.py
"""
import os
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
SAMPLES = 512  # activation vectors kept per layer


def main():
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)  # pixels 0..16 -> [0, 1]
    x_train, x_test, y_train, y_test = train_test_split(x, digits.target, test_size=0.3, random_state=0,
                                                        stratify=digits.target)
    mlp = MLPClassifier(hidden_layer_sizes=(64, 32), activation="relu", alpha=1e-3, max_iter=600, random_state=0)
    mlp.fit(x_train, y_train)
    weights = [np.ascontiguousarray(w.T, dtype=np.float32) for w in mlp.coefs_]  # (out, in), C order
    biases = [b.astype(np.float32) for b in mlp.intercepts_]
    os.makedirs(OUT, exist_ok=True)
    h = x_train
    for i, (w, b) in enumerate(zip(weights, biases), start=1):
        np.save(os.path.join(OUT, f"fc{i}.weights.npy"), w)
        np.save(os.path.join(OUT, f"fc{i}.activations.npy"), np.ascontiguousarray(h[:SAMPLES], dtype=np.float32))
        h = np.maximum(h @ w.T + b, 0)
    np.savez(os.path.join(OUT, "model.npz"), w1=weights[0], w2=weights[1], w3=weights[2],
             b1=biases[0], b2=biases[1], b3=biases[2], x_test=x_test, y_test=y_test)
    accuracy = 100.0 * float(np.mean(mlp.predict(x_test) == y_test))
    print(f"test accuracy {accuracy:.2f}% on {len(y_test)} images; layers "
          + ", ".join(f"{w.shape[1]}->{w.shape[0]}" for w in weights))


if __name__ == "__main__":
    main()
