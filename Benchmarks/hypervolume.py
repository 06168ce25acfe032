#!/usr/bin/env python3
"""Hypervolume of frontiers from pareto.csv files, against one reference point.

  hypervolume.py COLUMNS A/pareto.csv B/pareto.csv ...

COLUMNS is a comma-separated list of two or three columns to minimise (e.g.
energy_uj,latency_ms,area_mm2). The reference point is 1.1 times the largest value of each
column over all the files' designs, so every file is measured against the same point. Prints,
per file, the number of designs, the hypervolume and its share of the largest one.
"""
import bisect
import csv
import sys


def read(path, columns):
    with open(path, newline="") as f:
        return [tuple(float(row[c]) for c in columns) for row in csv.DictReader(f)]


def hv2(points, ref):
    """Area dominated by `points` (minimisation) up to `ref`."""
    area, best_y = 0.0, ref[1]
    for x, y in sorted(points):
        if y < best_y:
            area += (ref[0] - x) * (best_y - y)
            best_y = y
    return area


def hv3(points, ref):
    """Volume dominated by `points` up to `ref`: a sweep over the third coordinate keeping the
    two-dimensional staircase of the points seen and its area, updated on each insertion."""
    pts = sorted((p for p in points if all(p[i] < ref[i] for i in range(3))), key=lambda p: p[2])
    xs, ys = [], []          # staircase: x ascending, y descending
    area, volume = 0.0, 0.0
    for i, (px, py, pz) in enumerate(pts):
        k = bisect.bisect_right(xs, px)
        if not (k > 0 and ys[k - 1] <= py):
            # Points from k on with y >= py are now dominated by p.
            m = k
            while m < len(xs) and ys[m] >= py:
                m += 1
            x_end = xs[m] if m < len(xs) else ref[0]
            height_before = ref[1] - ys[k - 1] if k > 0 else 0.0
            # The old staircase over [px, x_end]: the predecessor's height up to the first removed
            # point, then each removed point's own.
            first = xs[k] if k < m else x_end
            old = (first - px) * height_before
            for j in range(k, m):
                nxt = xs[j + 1] if j + 1 < m else x_end
                old += (nxt - xs[j]) * (ref[1] - ys[j])
            area += (x_end - px) * (ref[1] - py) - old
            del xs[k:m]
            del ys[k:m]
            xs.insert(k, px)
            ys.insert(k, py)
        next_z = pts[i + 1][2] if i + 1 < len(pts) else ref[2]
        volume += area * (next_z - pz)
    return volume


def main():
    columns = sys.argv[1].split(",")
    files = sys.argv[2:]
    fronts = [read(f, columns) for f in files]
    ref = [1.1 * max(p[i] for front in fronts for p in front) for i in range(len(columns))]
    measure = hv3 if len(columns) == 3 else hv2
    volumes = [measure(front, ref) for front in fronts]
    best = max(volumes)
    for f, front, v in zip(files, fronts, volumes):
        print(f"{f}: {len(front)} designs, hypervolume {v:.6g} ({100 * v / best:.1f}% of the largest)")


if __name__ == "__main__":
    main()
