#!/usr/bin/env python3
"""How much the frontier depends on the noise simulation's seed, at two sample counts.

Runs SearchSpaces/vgg16-cifar10-periphery.json (standard widths: periphery and precision
searched, EDAP and accuracy) with seeds 1 and 2 at noise.samples 64 and 256, and prints, per
sample count, the share of frontier designs (their per-layer choices) the two seeds have in
common and the largest difference of a common design's estimated accuracy.

Run from the repository root after a release build: python3 Benchmarks/seed_stability.py
"""
import csv
import json
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XPERT = os.path.join(ROOT, ".build", "release", "xpert")
SPACE = os.path.join(ROOT, "SearchSpaces", "vgg16-cifar10-periphery.json")
CHOICES = ["out_channels", "adc_type", "adc_bits", "column_sharing", "input_bits"]


def frontier(samples, seed, work):
    space = json.load(open(SPACE))
    space["seed"] = seed
    space["accuracy"]["noise"]["samples"] = samples
    space["accuracy"]["noise"]["cache_dir"] = False
    path = os.path.join(work, f"s{samples}-{seed}.json")
    json.dump(space, open(path, "w"))
    out = os.path.join(work, f"r{samples}-{seed}")
    subprocess.run([XPERT, "search", path, "--out", out, "--quiet"], check=True, capture_output=True)
    rows = list(csv.DictReader(open(os.path.join(out, "pareto.csv"))))
    return ({tuple(r[c] for c in CHOICES): float(r["accuracy_pct"]) for r in rows},
            [(float(r["accuracy_drop_pct"]), float(r["edap"])) for r in rows])


def least_edap(points, budget):
    return min((e for d, e in points if d <= budget), default=float("nan"))


def main():
    with tempfile.TemporaryDirectory() as work:
        for samples in [64, 256]:
            (a, pa), (b, pb) = frontier(samples, 1, work), frontier(samples, 2, work)
            common = set(a) & set(b)
            share = len(common) / max(1, len(set(a) | set(b)))
            diff = max((abs(a[k] - b[k]) for k in common), default=float("nan"))
            print(f"samples {samples}: frontiers of {len(a)} and {len(b)} designs, {len(common)} in common "
                  f"({100 * share:.0f}% of their union); largest accuracy difference of a common design {diff:.3f} points")
            for budget in [0.1, 0.3, 1.0]:
                ea, eb = least_edap(pa, budget), least_edap(pb, budget)
                print(f"  least EDAP within {budget} points: seed 1 {ea:.1f}, seed 2 {eb:.1f} ({100 * abs(ea - eb) / min(ea, eb):.1f}% apart)")


if __name__ == "__main__":
    main()
