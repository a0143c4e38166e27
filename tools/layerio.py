#!/usr/bin/env python3
"""Read and write Plan Atlas layer files in the project's layout: one feature per line.

    from layerio import load, save
    fc = load("public/data/layers/energy.geojson")
    ...
    save("public/data/layers/energy.geojson", fc)
"""
import json


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def save(path, fc, compact=False):
    """compact=True writes the whole collection on one line (the generated base layers)."""
    if compact:
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"type": "FeatureCollection", "features": fc["features"]}, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        return
    lines = [json.dumps(f, ensure_ascii=False) for f in fc["features"]]
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(lines))
        f.write("\n]}\n")
