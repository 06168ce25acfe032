#!/usr/bin/env python3
"""Example program for xpert's `command` accuracy estimator.

TOY STAND-IN: this does NOT evaluate a network. A real program would build the network with
the design's channel counts (design.layers[i].out_channels), load or fine-tune its weights,
simulate the design's input and ADC precision (e.g. with PyTorch and quantisation hooks) and
print the measured test accuracy. This script only derives a plausible-looking number from
the widths and bit widths, so that xpert's plumbing (process, stdin JSON, stdout number,
cache, timeouts, parallelism) can be exercised end to end without PyTorch.

Protocol (see CommandEstimator in Sources/XPertCore/Accuracy/EstimatorCommand.swift):
  stdin:  {"design": {"layers": [{"name", "out_channels", "adc_type", "adc_bits",
                                  "column_sharing", "input_bits"}, ...]},   (a DAISM layer:
          "substrate": "daism", "daism_variant", "operand_bits" instead of the ADC and input fields)
           "network": {"input": {...}, "weight_bits", "activation_bits",
                       "layers": [{"name", "type", "in_channels", "out_channel_choices", ...}]},
           "nsr": [per-layer noise-to-signal ratio]  (present in a search)}
  stdout: the accuracy in percent; xpert reads the last non-empty line.
  exit status 0 on success; anything else is a failure for this design (stderr is kept).

Use in a search space:
  "accuracy": {"estimator": "command", "argv": ["python3", "../Examples/accuracy-command.py"],
               "timeout_s": 60, "max_parallel": 2}

Options (for testing the plumbing):
  --baseline PCT  accuracy of the widest full-precision design (default 92.5)
  --sleep S       sleep S seconds before answering (a slow evaluation)
  --log FILE      append "start <time> <pid>" and "end <time> <pid>" lines to FILE
  --fail-below-channels N   exit 2 with a message on stderr when a layer with several
                  channel choices has fewer than N output channels (a failing evaluation)
"""

import argparse
import json
import math
import os
import sys
import time


def log(path, event):
    if path:
        # One short write in append mode: lines from concurrent processes do not interleave.
        with open(path, "a") as f:
            f.write(f"{event} {time.time():.6f} {os.getpid()}\n")


def toy_accuracy(request, baseline):
    design = request["design"]["layers"]
    network = request["network"]["layers"]
    activation_bits = request["network"]["activation_bits"]
    # Width: points per octave of narrowing below the widest choice, averaged over layers that
    # have a choice (0.7 points per octave: CIFAR-10-like sensitivity).
    variable = [(d, n) for d, n in zip(design, network) if len(n["out_channel_choices"]) > 1]
    width_loss = 0.0
    for d, n in variable:
        octaves = math.log2(max(n["out_channel_choices"]) / d["out_channels"])
        width_loss += 0.7 * max(octaves, 0.0) / len(variable)
    # Precision: xpert passes each layer's measured noise-to-signal ratio ("nsr"); 20 points per
    # unit NSR per layer. Without it, a rough NSR from input truncation and ADC resolution
    # (64 * 4^-bits each), 2 points per unit.
    noise_loss = 0.0
    measured = request.get("nsr")
    for i, d in enumerate(design):
        if measured is not None:
            noise_loss += 20.0 * measured[i]
        else:
            bits = d["operand_bits"] if d.get("substrate") == "daism" else d["input_bits"]
            input_nsr = 64.0 * 4.0 ** (-bits) if bits < activation_bits else 0.0
            adc_nsr = 64.0 * 4.0 ** (-d["adc_bits"]) if "adc_bits" in d else 0.0
            noise_loss += 2.0 * (input_nsr + adc_nsr)
    return min(100.0, max(10.0, baseline - width_loss - noise_loss))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=float, default=92.5)
    parser.add_argument("--sleep", type=float, default=0.0)
    parser.add_argument("--log")
    parser.add_argument("--fail-below-channels", type=int, default=0)
    args = parser.parse_args()

    log(args.log, "start")
    request = json.load(sys.stdin)
    if args.sleep > 0:
        time.sleep(args.sleep)
    narrow = [d["name"] for d, n in zip(request["design"]["layers"], request["network"]["layers"])
              if len(n["out_channel_choices"]) > 1 and d["out_channels"] < args.fail_below_channels]
    if narrow:
        print(f"toy evaluator: layers {', '.join(narrow)} are narrower than {args.fail_below_channels} channels",
              file=sys.stderr)
        log(args.log, "end")
        sys.exit(2)
    accuracy = toy_accuracy(request, args.baseline)
    log(args.log, "end")
    print(f"{accuracy:.4f}")


if __name__ == "__main__":
    main()
