#!/usr/bin/env python3
"""The README's reprogramming table: VGG16 (CIFAR-10), ResNet-18 (TinyImageNet), ResNet-50 and
ViT-Base (ImageNet) at their baseline designs, on a chip with a quarter of the crossbars each
needs (so it is time-shared and rewritten during every inference), every policy, as
`xpert reprogram --json` reports it (seeded synthetic weights; each space's reprogramming
settings, else the defaults), and the wall time of each command on one thread.

  Benchmarks/reprogram.py      (from the repository root)
"""
import json
import os
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPACES = [("VGG16", "vgg16-cifar10"), ("ResNet-18", "resnet18-tinyimagenet"), ("ResNet-50", "resnet50-imagenet"),
          ("ViT-Base", "vit-base-imagenet")]


def reprogram(xpert, space, *extra):
    start = time.monotonic()
    out = subprocess.run([xpert, "reprogram", "SearchSpaces/%s.json" % space, "--json", "--threads", "1"] + list(extra),
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(out), time.monotonic() - start


def main():
    xpert = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.strip() + "/xpert"
    print("| network | crossbars needed / chip | policy | writes per inference | vs rewrite-all | vs changed-only "
          "| write energy (µJ) | write time (ms) | worst cell writes | lifetime (inferences) | stuck NSR (mean) "
          "| accuracy drop (points) | one-thread time (s) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, space in SPACES:
        resident, _ = reprogram(xpert, space, "--chip-crossbars", str(1 << 30))
        chip = resident["crossbars_needed"] // 4
        report, seconds = reprogram(xpert, space, "--chip-crossbars", str(chip))
        for i, p in enumerate(report["policies"]):
            nsr = list(p["nsr"].values())
            life = p["lifetime_inferences"]
            print("| %s | %s | %s | %.3g | %.2fx | %.2fx | %.3g | %.3g | %g | %s | %.2g | %.2f | %s |" % (
                label if i == 0 else "", "%d / %d" % (report["crossbars_needed"], chip) if i == 0 else "",
                p["policy"], p["writes_per_inference"], p["reduction_vs_rewrite_all"], p["reduction_vs_changed_only"],
                p["write_energy_uj"], p["write_time_ms"], p["max_cell_writes_per_inference"],
                "%.3g" % life if life is not None else "unbounded", sum(nsr) / len(nsr), p["accuracy_drop_pct"],
                "%.1f" % seconds if i == 0 else ""))


if __name__ == "__main__":
    main()
