#!/usr/bin/env python3
"""Which Tianjin district contains a WGS84 point? A check for data authors placing features.

Usage: python3 tools/locate.py LON LAT [LON LAT ...]
       python3 tools/locate.py --file public/data/layers/LAYER.geojson
The second form lists, for every feature, the districts its positions fall in (a sanity check:
a station of a Nankai line should not land in Xiqing). Standard library only.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISTRICTS = json.load(open(os.path.join(ROOT, "public/data/layers/districts.geojson"), encoding="utf-8"))["features"]


def ring_contains(ring, lon, lat):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) / (y2 - y1) * (x2 - x1):
            inside = not inside
    return inside


def district_of(lon, lat):
    for f in DISTRICTS:
        for poly in f["geometry"]["coordinates"]:
            if ring_contains(poly[0], lon, lat) and not any(ring_contains(h, lon, lat) for h in poly[1:]):
                return f["properties"]["name_zh"]
    return "outside Tianjin"


def positions(g):
    t, c = g["type"], g["coordinates"]
    if t == "Point":
        return [c]
    if t in ("MultiPoint", "LineString"):
        return c
    if t in ("MultiLineString", "Polygon"):
        return [p for part in c for p in part]
    if t == "MultiPolygon":
        return [p for poly in c for ring in poly for p in ring]
    return []


def main(argv):
    if argv[:1] == ["--file"]:
        for f in json.load(open(argv[1], encoding="utf-8"))["features"]:
            if f["geometry"] is None:  # no fixed location
                print(f'{f["id"]}\t{f["properties"].get("name_zh", "")}\t(no fixed location)')
                continue
            names = sorted({district_of(*p[:2]) for p in positions(f["geometry"])})
            print(f'{f["id"]}\t{f["properties"].get("name_zh", "")}\t{", ".join(names)}')
        return
    if len(argv) < 2 or len(argv) % 2:
        sys.exit(__doc__)
    for lon, lat in zip(argv[::2], argv[1::2]):
        print(f"{lon} {lat}\t{district_of(float(lon), float(lat))}")


if __name__ == "__main__":
    main(sys.argv[1:])
