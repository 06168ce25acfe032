#!/usr/bin/env python3
"""Generates the search spaces of the search benchmark (Benchmarks/run) from the shipped ones.

  spaces.py OUT_DIR

writes into OUT_DIR:
  vgg16-hw.json        the shipped VGG16 space without its accuracy estimator: energy, latency, area
  resnet18-hw.json     the shipped ResNet-18 space, its whole frontier (no report_points)
  vgg16-acc.json       the shipped VGG16 space (energy and accuracy)
  vgg16-hw-2p.json, resnet18-hw-2p.json   the first two with "method": "two-phase"
  resnet50-acc.json    ResNet-50 on ImageNet (53 weight layers, bottleneck stages as channel
                       groups), 4 width choices per stage, energy and accuracy
  vgg26-acc.json, vgg52-acc.json, vgg104-acc.json   VGG16's conv stack repeated to 26, 52 and
                       104 conv layers (widths 64-512 choices per layer), energy and accuracy
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def load(name):
    with open(os.path.join(ROOT, "SearchSpaces", name + ".json")) as f:
        return json.load(f)


def save(out, name, space):
    space["name"] = name
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(space, f, indent=1)


def hardware_only(space):
    s = copy.deepcopy(space)
    s.pop("accuracy", None)
    s["constraints"].pop("accuracy_drop_pct", None)
    s["objectives"] = ["energy", "latency", "area"]
    s.pop("search", None)
    return s


def baseline_of(layers, periphery):
    return {"layers": [dict({"name": l["name"], "out_channels": max(l["out_channels"]["choices"])
                             if isinstance(l["out_channels"], dict) else l["out_channels"]}, **periphery)
                       for l in layers]}


def vgg_stack(vgg16, conv_layers):
    """VGG16's 13 conv layers repeated (widths and pools kept per position) to `conv_layers`."""
    s = copy.deepcopy(vgg16)
    convs = [l for l in s["workload"]["layers"] if l["type"] == "conv"]
    layers = []
    for i in range(conv_layers):
        l = copy.deepcopy(convs[i % len(convs)])
        l["name"] = "conv%d" % (i + 1)
        # Pool only where VGG16 pools in its first pass (the input is 32x32).
        if i >= len(convs):
            l.pop("pool", None)
        layers.append(l)
    layers.append({"name": "fc", "type": "linear", "out_channels": 10})
    s["workload"]["layers"] = layers
    s["baseline"] = baseline_of(layers, {"adc_type": "sar", "adc_bits": 8, "column_sharing": 8, "input_bits": 8})
    s["accuracy"].pop("baseline_channels", None)
    s["constraints"].pop("area_mm2", None)
    return s


def resnet50(vgg16):
    """ResNet-50 on ImageNet: stem, 3-4-6-3 bottleneck blocks, shortcuts, classifier."""
    s = copy.deepcopy(vgg16)
    s["workload"]["input"] = {"height": 224, "width": 224, "channels": 3}
    layers = [{"name": "stem", "type": "conv", "kernel": 7, "stride": 2, "padding": 3,
               "out_channels": {"choices": [32, 64]}, "pool": {"type": "max", "kernel": 3, "stride": 2}}]
    stages = [(3, 64, 256, 1), (4, 128, 512, 2), (6, 256, 1024, 2), (3, 512, 2048, 2)]
    previous = "stem"
    for si, (blocks, mid, out, stride) in enumerate(stages, start=1):
        group = "stage%d" % si
        outs = {"choices": [out // 2, out]}
        mids = [mid // 2, mid]
        for b in range(1, blocks + 1):
            p = "s%db%d" % (si, b)
            first = b == 1
            layers.append({"name": p + "a", "type": "conv", "kernel": 1, "out_channels": {"choices": mids},
                           "input": previous})
            layers.append({"name": p + "b", "type": "conv", "kernel": 3, "padding": 1,
                           "stride": stride if first else 1, "out_channels": {"choices": mids}})
            layers.append({"name": p + "c", "type": "conv", "kernel": 1, "out_channels": outs, "channel_group": group})
            if first:
                layers.append({"name": p + "down", "type": "conv", "kernel": 1, "stride": stride,
                               "out_channels": outs, "channel_group": group, "input": previous})
            previous = p + "c"
    layers[-1]["pool"] = "global_avg"
    layers.append({"name": "fc", "type": "linear", "out_channels": 1000, "input": previous})
    s["workload"]["layers"] = layers
    s["baseline"] = baseline_of(layers, {"adc_type": "sar", "adc_bits": 8, "column_sharing": 8, "input_bits": 8})
    s["accuracy"]["baseline_accuracy_pct"] = 76.1
    s["accuracy"]["width_coefficient_pct"] = 7
    s["accuracy"].pop("baseline_channels", None)
    s["constraints"].pop("area_mm2", None)
    return s


def uncached(space):
    """Every run simulates the noise: the benchmark times the simulation, not the disk cache."""
    if "accuracy" in space:
        space["accuracy"].setdefault("noise", {})["cache_dir"] = False
    return space


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    vgg16, resnet18 = load("vgg16-cifar10"), load("resnet18-tinyimagenet")
    save(out, "vgg16-hw", hardware_only(vgg16))
    r18 = hardware_only(resnet18)
    save(out, "resnet18-hw", r18)
    for name, space in [("vgg16-hw-2p", hardware_only(vgg16)), ("resnet18-hw-2p", hardware_only(resnet18))]:
        space["search"] = {"method": "two-phase"}
        save(out, name, space)
    save(out, "vgg16-acc", uncached(copy.deepcopy(vgg16)))
    save(out, "resnet50-acc", uncached(resnet50(vgg16)))
    for n in (26, 52, 104):
        save(out, "vgg%d-acc" % n, uncached(vgg_stack(vgg16, n)))


if __name__ == "__main__":
    main()
