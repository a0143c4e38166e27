#!/usr/bin/env python3
"""Regenerate Plan Atlas's coastline layer from a pinned npm package.

Source: @geo-maps/earth-coastlines-100m@0.6.0 (npm tarball sha256 pinned below), file
package/map.geo.json: a world MultiPolygon of the coastline (OpenStreetMap, 2017; data ODbL,
code MIT), already WGS84. Polygons are clipped to Tianjin's coast (117.4-118.2 E, 38.5-39.6 N)
with Sutherland-Hodgman, the clip-box edges dropped so only the shore remains, simplified with Douglas-Peucker (0.0003 deg) and written to
public/data/layers/coastline.geojson; the clipped land polygons go to data/reference/land.geojson
for the validator's offshore check. It includes the port reclamation as mapped in 2017.

Usage: python3 tools/prep_coast.py [--tgz PATH]   (runs `npm pack` if no tarball is given)
"""
import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prep_base import douglas_peucker, rnd  # noqa: E402

PACKAGE = "@geo-maps/earth-coastlines-100m@0.6.0"
TGZ_SHA256 = "eab169f7119526378add48f5b95b1bdad10d45e465aabace6dbc7a46715563a8"
BOX = (117.4, 38.5, 118.2, 39.6)
TOLERANCE_DEG = 0.0003
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def clip(ring, box):
    """Sutherland-Hodgman clip of a ring to an axis-aligned box."""
    w, s, e, n = box
    edges = [
        (lambda p: p[0] >= w, lambda a, b: (w, a[1] + (b[1] - a[1]) * (w - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= e, lambda a, b: (e, a[1] + (b[1] - a[1]) * (e - a[0]) / (b[0] - a[0]))),
        (lambda p: p[1] >= s, lambda a, b: (a[0] + (b[0] - a[0]) * (s - a[1]) / (b[1] - a[1]), s)),
        (lambda p: p[1] <= n, lambda a, b: (a[0] + (b[0] - a[0]) * (n - a[1]) / (b[1] - a[1]), n)),
    ]
    pts = ring[:-1] if ring and ring[0] == ring[-1] else ring
    for inside, cross in edges:
        out = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
        pts = out
        if not pts:
            return []
    return [list(p) for p in pts] + [list(pts[0])]


def on_box_edge(a, b, box, eps=1e-9):
    """True when segment a-b runs along the clip box (added by clipping, not coastline)."""
    w, s, e, n = box
    return any(abs(a[i] - v) < eps and abs(b[i] - v) < eps for i, v in ((0, w), (0, e), (1, s), (1, n)))


def coast_lines(ring, box):
    """The ring's coastline: its runs between segments that lie on the clip box."""
    runs, cur = [], [ring[0]]
    for a, b in zip(ring, ring[1:]):
        if on_box_edge(a, b, box):
            if len(cur) > 1:
                runs.append(cur)
            cur = [b]
        else:
            cur.append(b)
    if len(cur) > 1:
        runs.append(cur)
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tgz", help="path to an already packed geo-maps-earth-coastlines-100m-0.6.0.tgz")
    args = ap.parse_args()
    path = args.tgz
    if path is None:
        tmp = tempfile.mkdtemp(prefix="coast-")
        subprocess.run(["npm", "pack", PACKAGE], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        path = os.path.join(tmp, os.listdir(tmp)[0])
    data = open(path, "rb").read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != TGZ_SHA256:
        sys.exit(f"checksum mismatch for {path}: expected {TGZ_SHA256}, found {digest}")
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        world = json.load(tf.extractfile("package/map.geo.json"))
    w, s, e, n = BOX
    polys = []
    land = []
    vertices = 0
    for geom in world["geometries"]:
        for poly in geom["coordinates"]:
            outer = poly[0]
            xs = [p[0] for p in outer]
            ys = [p[1] for p in outer]
            if max(xs) < w or min(xs) > e or max(ys) < s or min(ys) > n:
                continue
            land_rings = []
            for ring in poly:
                c = clip(ring, BOX)
                if len(c) < 4:
                    continue
                r = [rnd(p) for p in douglas_peucker(c, TOLERANCE_DEG)]
                if len(r) >= 4:
                    land_rings.append(r)
                for run in coast_lines(c, BOX):
                    d = [rnd(p) for p in douglas_peucker(run, TOLERANCE_DEG)]
                    if len(d) >= 2:
                        vertices += len(d)
                        polys.append(d)
            if land_rings:
                land.append(land_rings)
    feature = {
        "type": "Feature", "id": "coastline-bohai",
        "geometry": {"type": "MultiLineString", "coordinates": polys},
        "properties": {
            "layer": "coastline", "name_zh": "海岸线（含港区围填海，2017年）", "name_en": "Coastline, with port reclamation (2017)",
            "status": "existing", "precision": "surveyed",
            "precision_note": f"OpenStreetMap coastline as packaged in {PACKAGE} (100 m resolution, 2017), clipped to Tianjin's coast and simplified (Douglas-Peucker, {TOLERANCE_DEG} deg) by tools/prep_coast.py.",
            "source": f"{PACKAGE} (npm; data ODbL, © OpenStreetMap contributors)",
            "excerpts": [{"doc": "000_e2df317a026ff3d7.txt", "quote": "海岸線生態綜合治理"}],
        },
    }
    out = os.path.join(ROOT, "public", "data", "layers", "coastline.geojson")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": [feature]}, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(polys)} coastline lines, {vertices} vertices")
    # The land itself (not shipped): the validator's audit finds positions out at sea with it.
    land_out = os.path.join(ROOT, "data", "reference", "land.geojson")
    with open(land_out, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "bbox": list(BOX), "features": [{
            "type": "Feature", "id": "land",
            "geometry": {"type": "MultiPolygon", "coordinates": land},
            "properties": {"name": "Land within 117.4-118.2 E, 38.5-39.6 N", "source": f"{PACKAGE} (ODbL, © OpenStreetMap contributors)",
                           "note": "Clipped to the box with Sutherland-Hodgman; edges along the box are not coast. Written by tools/prep_coast.py."},
        }]}, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(land)} land polygons to {land_out}")


if __name__ == "__main__":
    main()
