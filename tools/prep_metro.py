#!/usr/bin/env python3
"""Place the metro layer's stations and operating lines from the metro reference data.

Source: data/reference/metro/ (a verbatim copy of shared/reference/metro): Cheng, Verma, Cats
(TU Delft), east-asian-metro-dataset, L2/Tianjin-L.json @ cc26f1b, network of 2025-09, WGS84,
CC BY 4.0. See data/reference/metro/README.md for its caveats.

Rewrites public/data/layers/metro.geojson in place, changing only geometry, `precision` and
`precision_note`:

- every Point feature standing for one station whose `name_zh` matches a reference station
  `name` (a trailing 站 and whitespace ignored; plus the hand-checked renames in ALIASES) gets the
  reference position rounded to 6 decimals, precision `surveyed`; stations the reference README
  calls pre-opening placeholders (line 11's eastern stations, and, because the README does not
  name line 4's three, every station served only by line 4's southern section) get `approximate`;
- every line feature in LINES (checked by hand: Lines 1, 2, 3, 5, 6, 6 phase 2 and 11 operate in
  the reference) gets the reference line's straight station-to-station segments, cut to the
  stations the feature covers, precision `approximate`;
- composite features that copy those geometries (COMPOSITES) follow them and list the line
  features they copy in `parts`; the MultiPoint of Nankai's operating stations follows the
  station points it copies and lists those stations in `parts`;
- public/data/metro-2025.json lists every station operating in the reference (the coverage
  figures' "as open in 2025");
- a station or line the citing plan does not call existing but that operates in the reference
  gets `status_2025: "existing"` with `status_2025_source`, so its card says it has opened since
  (the plan's own status is kept).

Everything else (ids, names, status, numbers, excerpts, other features) is kept byte for byte,
one feature per line as before. Running it again gives the same file.

Usage: python3 tools/prep_metro.py
"""
import json
import math
import os
import statistics

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF = os.path.join(ROOT, "data/reference/metro")
LAYER = os.path.join(ROOT, "public/data/layers/metro.geojson")

SOURCE = "the TU Delft east-asian-metro-dataset (network of 2025-09), CC BY 4.0"
SOURCE_2025 = "Operating in the metro reference data (network of 2025-09): TU Delft east-asian-metro-dataset, CC BY 4.0"
STATION_NOTE = f"Position from {SOURCE}; within tens of metres of the station."
STATION_NOTE_NOT_OPEN = (f"Position from {SOURCE}, where the station operates; the status is the plan's "
                         f"own, at the plan's date.")
PLACEHOLDER_NOTE = (f"Position from {SOURCE}, which holds a pre-opening placeholder for this station: "
                    f"it may be 0.3–1.3 km from the station as built.")
LINE_NOTE = ("Drawn as the straight segments between consecutive stations ({stations}) of {SOURCE}, "
             "not as track: the stations are placed within tens of metres, the line between them only "
             "roughly, a few hundred metres off on curves.{extra}")
L11_EXTRA = (" Its eastern stations (东江道 to 东丽三经路) are pre-opening placeholders in the source, "
             "0.5–1.3 km from where the line was built.")

# name_zh (normalised) -> reference name for stations renamed since the plans, each checked by hand
# as the reference's only station in that slot of that line: 果酒厂 (Line 1, between 西横堤 (now
# 瑞景新苑) and 本溪路) is 佳园里; 黑牛城道 (Line 6, between 尖山路 and 梅江道) is 医大二院; 建国道
# (Line 2, between 东南角 and 天津站) is 建国道意风区; Line 11's station at Balitai (between
# 水上公园西路 and 佟楼) is 南开大学八里台.
ALIASES = {"果酒厂": "佳园里", "黑牛城道": "医大二院", "建国道": "建国道意风区", "八里台": "南开大学八里台"}

# From the reference README: line 11's eastern stations 东江道 … 东丽三经路 (in line order).
L11_PLACEHOLDERS = {"东江道", "学苑北路", "海河东路", "雪莲南路", "招远路", "东丽文体中心", "驯海路",
                    "东丽一经路", "东丽三经路"}
# The README says three southern stations of line 4 are placeholders without naming them: every
# station served only by line 4's southern section is treated as one (a superset).
L4_SOUTH_ONLY = ["4号线(南段)"]

# feature id -> list of (reference line, first station, last station) pieces, joined in order.
LINES = {
    "metro-m1": [("1号线", "刘园", "李楼")],
    "metro-m1-jinnan-extension": [("1号线", "李楼", "东沽路")],
    "metro-m2": [("2号线", "曹庄", "滨海国际机场")],
    "metro-m3": [("3号线", "小淀", "南站")],
    "metro-m5": [("5号线", "北辰科技园北", "京华东道")],
    "metro-m6": [("6号线", "南孙庄", "梅林路")],
    "metro-m6-phase2": [("6号线", "梅林路", "渌水道"), ("6号线(二期)", "渌水道", "咸水沽西")],
    "metro-m11": [("11号线", "水上公园西路", "东丽六经路")],
}
LINE_LABELS = {
    "metro-m1": "Line 1, Liuyuan to Lilou",
    "metro-m1-jinnan-extension": "Line 1, Lilou to Donggulu",
    "metro-m2": "Line 2, Caozhuang to Binhai International Airport",
    "metro-m3": "Line 3, Xiaodian to Tianjin South Railway Station",
    "metro-m5": "Line 5, Beichen Science Park North to Jinghuadongdao, as operating in 2025",
    "metro-m6": "Line 6, Nansunzhuang to Meilinlu",
    "metro-m6-phase2": "Line 6 phase 2, Meilinlu to Xianshuiguxi, operating in 2025",
    "metro-m11": "Line 11 phase 1, Shuishang Park West Road to Dongli Liujinglu, operating in 2025",
}

# Composite MultiLineStrings: feature id -> {part index: line feature id whose geometry it copies},
# and the precision / note the feature gets.
COMPOSITES = {
    "metro-jinnan-l1-l6-13-stations": (
        {0: "metro-m1-jinnan-extension", 1: "metro-m6-phase2"}, "approximate",
        f"Line 1 from Lilou to Donggulu and Line 6 phase 2 from Meilinlu to Xianshuiguxi, drawn as the straight "
        f"segments between their stations from {SOURCE}, not as track; the plan does not say which 13 stations, "
        f"so none is drawn for this target."),
    "metro-nankai-under-construction": (
        {0: "metro-m7", 1: "metro-m8", 2: "metro-m11"}, "schematic",
        f"Lines 7 and 8 phase 1 are sketches whose routes are only roughly known, off by 1–2 km; Line 11 phase 1 "
        f"is drawn as the straight segments between its stations from {SOURCE}."),
    "metro-nankai-new-lines-14th": (
        {0: "metro-m13-phase1", 1: "metro-m8-nankai-extension", 2: "metro-m11-nankai-extension"}, "schematic",
        "The three sketched planned lines (M13 phase 1, the M8 and M11 extensions); the plan gives neither routes "
        "nor which 12 stations, so their stations are only partly drawn."),
}
# MultiPoints that copy station points: feature id -> note.
STATION_SETS = {
    "metro-nankai-operating": (
        f"The plan counts 28 operating stations on 5 lines; the map draws 22: the operating stations of Lines 1, 2, "
        f"3, 5 and 6 that fall in Nankai, interchanges counted once, chosen by hand and positioned from {SOURCE}. "
        f"The plan does not list its 28 (it names only Lines 1–3); counting each interchange once per line, or "
        f"stations just outside the district, would explain the difference, but the plan does not say."),
}


def opened_since(p):
    """Mark a plan's not-yet-open station or line that operates in the reference (2025-09)."""
    if p["status"] != "existing":
        p["status_2025"] = "existing"
        p["status_2025_source"] = SOURCE_2025
    else:
        p.pop("status_2025", None)
        p.pop("status_2025_source", None)


def norm(name):
    name = "".join(name.split())
    return name[:-1] if name.endswith("站") and len(name) > 1 else name


def haversine(a, b):
    r = 6371008.8
    p1, p2 = math.radians(a[1]), math.radians(b[1])
    dp, dl = p2 - p1, math.radians(b[0] - a[0])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def rnd(c):
    return [round(c[0], 6), round(c[1], 6)]


def load_reference():
    stations = json.load(open(os.path.join(REF, "tianjin_metro_stations_delft2025.geojson"), encoding="utf-8"))
    lines = json.load(open(os.path.join(REF, "tianjin_metro_lines_delft2025_schematic.geojson"), encoding="utf-8"))
    by_name = {}
    for f in stations["features"]:
        p = f["properties"]
        by_name[norm(p["name"])] = (p["name"], f["geometry"]["coordinates"], p["lines"])
    ref_lines = {f["properties"]["line"]: f["geometry"]["coordinates"] for f in lines["features"]}
    return by_name, ref_lines


def line_piece(by_name, ref_lines, line, first, last):
    coords = ref_lines[line]
    ia = coords.index(by_name[norm(first)][1])
    ib = coords.index(by_name[norm(last)][1])
    piece = coords[ia:ib + 1] if ia <= ib else coords[ib:ia + 1][::-1]
    if len(piece) < 2:
        raise SystemExit(f"{line} {first}–{last}: fewer than two stations")
    return [rnd(c) for c in piece]


def main():
    by_name, ref_lines = load_reference()
    text = open(LAYER, encoding="utf-8").read()
    head = '{"type":"FeatureCollection","features":[\n'
    if not text.startswith(head):
        raise SystemExit("unexpected layer header")
    features = json.loads(text)["features"]
    by_id = {f["id"]: f for f in features}

    # Station points before any change, for the MultiPoints that copy them.
    old_station_pos = {}
    moves, unmatched, matched = [], [], []
    for f in features:
        g, p = f["geometry"], f["properties"]
        if g is None or g["type"] != "Point":
            continue
        key = norm(p["name_zh"])
        key = ALIASES.get(key, key)
        hit = by_name.get(norm(key))
        if hit is None:
            unmatched.append(p["name_zh"])
            continue
        ref_name, ref_coord, ref_lines_of = hit
        new = rnd(ref_coord)
        old_station_pos[tuple(g["coordinates"])] = new
        moves.append(haversine(g["coordinates"], new))
        matched.append((p["name_zh"], ref_name))
        g["coordinates"] = new
        opened_since(p)
        if ref_name in L11_PLACEHOLDERS or ref_lines_of == L4_SOUTH_ONLY:
            p["precision"], p["precision_note"] = "approximate", PLACEHOLDER_NOTE
        else:
            p["precision"] = "surveyed"
            p["precision_note"] = STATION_NOTE if p["status"] == "existing" else STATION_NOTE_NOT_OPEN

    for fid, pieces in LINES.items():
        f = by_id[fid]
        coords = []
        for line, first, last in pieces:
            piece = line_piece(by_name, ref_lines, line, first, last)
            coords.extend(piece[1:] if coords and coords[-1] == piece[0] else piece)
        if f["geometry"]["type"] != "LineString":
            raise SystemExit(f"{fid}: expected a LineString")
        f["geometry"]["coordinates"] = coords
        p = f["properties"]
        opened_since(p)
        p["precision"] = "approximate"
        p["precision_note"] = LINE_NOTE.format(stations=LINE_LABELS[fid], SOURCE=SOURCE,
                                               extra=L11_EXTRA if fid == "metro-m11" else "")

    for fid, (parts, precision, note) in COMPOSITES.items():
        f = by_id[fid]
        for i, src in parts.items():
            f["geometry"]["coordinates"][i] = [list(c) for c in by_id[src]["geometry"]["coordinates"]]
        f["properties"]["precision"], f["properties"]["precision_note"] = precision, note
        f["properties"]["parts"] = list(dict.fromkeys(parts.values()))

    for fid, note in STATION_SETS.items():
        f = by_id[fid]
        pts = f["geometry"]["coordinates"]
        missing = [c for c in pts if tuple(c) not in old_station_pos]
        if missing:
            raise SystemExit(f"{fid}: points that copy no matched station: {missing}")
        f["geometry"]["coordinates"] = [old_station_pos[tuple(c)] for c in pts]
        f["properties"]["precision_note"] = note
        at = {tuple(c) for c in f["geometry"]["coordinates"]}
        f["properties"]["parts"] = [s["id"] for s in features if s is not f and s["geometry"] is not None
                                    and s["geometry"]["type"] == "Point" and tuple(s["geometry"]["coordinates"]) in at]

    # Every station operating in the reference, for the coverage figures "as open in 2025".
    ref = json.load(open(os.path.join(REF, "tianjin_metro_stations_delft2025.geojson"), encoding="utf-8"))
    open2025 = {"about": f"Stations operating in 2025-09 as [lon, lat, lines], from {SOURCE}; written by "
                         f"tools/prep_metro.py for the coverage figures (positions rounded to 6 decimals).",
                "stations": sorted([*rnd(f["geometry"]["coordinates"]), sorted(f["properties"]["lines"])] for f in ref["features"])}
    with open(os.path.join(ROOT, "public/data/metro-2025.json"), "w", encoding="utf-8") as fh:
        fh.write(json.dumps(open2025, ensure_ascii=False, separators=(",", ":")) + "\n")

    out = head + ",\n".join(json.dumps(f, ensure_ascii=False) for f in features) + "\n]}\n"
    with open(LAYER, "w", encoding="utf-8") as fh:
        fh.write(out)

    print(f"stations matched: {len(matched)} (aliases used: "
          f"{', '.join(f'{a}→{b}' for a, b in matched if norm(a) in ALIASES) or 'none'})")
    moved = [m for m in moves if m > 0.05]
    print(f"stations moved: {len(moved)}")
    if moves:
        print(f"move median {statistics.median(moves):.0f} m, max {max(moves):.0f} m")
    print(f"lines from the reference: {', '.join(LINES)}")
    print(f"composites following them: {', '.join(list(COMPOSITES) + list(STATION_SETS))}")
    print(f"unmatched Point names (kept as they were): {', '.join(unmatched) or 'none'}")


if __name__ == "__main__":
    main()
