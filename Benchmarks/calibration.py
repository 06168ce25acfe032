#!/usr/bin/env python3
"""Estimated against measured accuracy on the digits example, before and after calibration.

Measured: the frontier of SearchSpaces/digits-mlp.json (Results/digits-mlp/pareto.csv), each
design's test accuracy from Examples/digits/accuracy.py. Estimated: the proxy with its priors
(20 points per unit NSR, linear), and the proxy `xpert calibrate --probe` fitted
(SearchSpaces/digits-mlp-calibrated.json). Prints a Markdown table and the errors, points.

Run from the repository root after a release build: python3 Benchmarks/calibration.py
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XPERT = os.path.join(ROOT, ".build", "release", "xpert")
MEASURED = os.path.join(ROOT, "Results", "digits-mlp", "pareto.csv")


def calibrate(space):
    out = subprocess.run([XPERT, "calibrate", os.path.join(ROOT, "SearchSpaces", space), "--measured", MEASURED, "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    prior = calibrate("digits-mlp.json")         # "prior" column: the default terms
    probed = calibrate("digits-mlp-calibrated.json")  # "prior" column: the probe-fitted proxy
    rows = zip(prior["designs_detail"], probed["designs_detail"])
    print("| design | measured (%) | prior estimate (%) | error | calibrated estimate (%) | error |")
    print("| --- | --- | --- | --- | --- | --- |")
    for a, b in rows:
        m = a["measured_pct"]
        print(f"| {a['design_id']} | {m:.2f} | {a['prior_pct']:.2f} | {a['prior_pct'] - m:+.2f} | {b['prior_pct']:.2f} | {b['prior_pct'] - m:+.2f} |")
    print()
    print(f"RMS error over {int(prior['designs'])} frontier designs: prior {prior['prior_rmse_pct']:.2f} points, "
          f"probe-calibrated {probed['prior_rmse_pct']:.2f} points; a fit to these measurements themselves: "
          f"{prior['rmse_pct']:.2f} points, leave-one-out {prior['leave_one_out_rmse_pct']:.2f} points")


if __name__ == "__main__":
    sys.exit(main())
