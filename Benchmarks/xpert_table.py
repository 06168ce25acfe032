#!/usr/bin/env python3
"""The README's comparison with XPert: for each shipped VGG16 space, the frontier design with the
lowest EDAP and the lowest-EDAP design within 0.2 points of the baseline's accuracy, against the
baseline (`xpert evaluate SearchSpaces/vgg16-cifar10.json --baseline --json`).

  Benchmarks/xpert_table.py      (from the repository root, after Scripts/results)
"""
import csv
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    xpert = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.strip() + "/xpert"
    base = json.loads(subprocess.run([xpert, "evaluate", "SearchSpaces/vgg16-cifar10.json", "--baseline", "--json"],
                                     cwd=ROOT, capture_output=True, text=True, check=True).stdout)["total"]
    print("| space | design | accuracy (%) | EDAP (µJ·ms·mm²) | EDAP ratio | TOPS/W | ratio | TOPS/mm² | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print(f"| baseline | standard VGG16 | {base['accuracy_pct']:.2f} | {base['edap']:.6g} | 1 | {base['tops_per_w']:.4g} | 1 "
          f"| {base['tops_per_mm2']:.4g} | 1 |")
    for space in sys.argv[1:] or ["vgg16-cifar10-periphery", "vgg16-cifar10"]:
        with open(os.path.join(ROOT, "Results", space, "pareto.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        lowest = min(rows, key=lambda r: float(r["edap"]))
        close = [r for r in rows if float(r["accuracy_pct"]) >= base["accuracy_pct"] - 0.2]
        for r in [lowest] + ([min(close, key=lambda r: float(r["edap"]))] if close else []):
            edap, w, mm2 = float(r["edap"]), float(r["tops_per_w"]), float(r["tops_per_mm2"])
            print(f"| `{space}` | {r['design_id']} | {float(r['accuracy_pct']):.2f} | {edap:.4g} | {base['edap'] / edap:.3g}x "
                  f"| {w:.4g} | {w / base['tops_per_w']:.3g}x | {mm2:.4g} | {mm2 / base['tops_per_mm2']:.3g}x |")


if __name__ == "__main__":
    main()
