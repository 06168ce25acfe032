#!/usr/bin/env python3
"""The README's substrate table: VGG16 at the baseline's widths with every layer on one
substrate configuration (the crossbar at the baseline's periphery, the crossbar at a frugal
periphery, and each DAISM variant at 8 and 6 operand bits), as `xpert evaluate --json` reports
it on SearchSpaces/vgg16-cifar10-mixed.json: TOPS/W, TOPS/mm^2, area, energy, the mean and
largest layer NSR, and which configuration has the best TOPS/W in how many layers.

  Benchmarks/substrates.py      (from the repository root)
"""
import json
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPACE = "SearchSpaces/vgg16-cifar10-mixed.json"


def main():
    xpert = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.strip() + "/xpert"
    with open(os.path.join(ROOT, SPACE)) as f:
        space = json.load(f)
    baseline = space["baseline"]["layers"]
    configs = [("crossbar SAR 8b ADC, 8b in, sharing 8", {"adc_type": "sar", "adc_bits": 8, "column_sharing": 8, "input_bits": 8}),
               ("crossbar flash 5b ADC, 6b in, sharing 32", {"adc_type": "flash", "adc_bits": 5, "column_sharing": 32, "input_bits": 6})]
    for bits in (8, 6):
        for v in ("exact", "or", "pc2", "pc3", "pc4"):
            configs.append((f"DAISM {v}, {bits}b", {"substrate": "daism", "daism_variant": v, "operand_bits": bits}))
    designs = [{"layers": [dict({"name": l["name"], "out_channels": l["out_channels"]}, **fields) for l in baseline]}
               for _, fields in configs]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(designs, f)
        path = f.name
    try:
        out = json.loads(subprocess.run([xpert, "evaluate", SPACE, "--design", path, "--json"], cwd=ROOT,
                                        capture_output=True, text=True, check=True).stdout)
    finally:
        os.unlink(path)
    wins = [0] * len(configs)
    for l in range(len(baseline)):
        best = max(range(len(configs)), key=lambda c: out[c]["layers"][l]["macs"] / out[c]["layers"][l]["energy_pj"]["total"])
        wins[best] += 1
    print("| configuration | TOPS/W | TOPS/mm² | area (mm²) | energy (µJ) | mean layer NSR | largest layer NSR | layers where best TOPS/W |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for (name, _), e, w in zip(configs, out, wins):
        t = e["total"]
        nsr = [layer["nsr"] for layer in e["layers"]]
        print(f"| {name} | {t['tops_per_w']:.3g} | {t['tops_per_mm2']:.3g} | {t['area_mm2']:.3g} | {t['energy_uj']:.3g} "
              f"| {sum(nsr) / len(nsr):.2g} | {max(nsr):.2g} | {w} |")


if __name__ == "__main__":
    main()
