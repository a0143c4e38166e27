#!/usr/bin/env python3
"""Add to public/data/manifest.json every layer of tools/layers.json whose file exists under
public/data/layers/ (a layer is listed only once its data is there). Existing entries are kept."""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = ["id", "kind", "group", "group_zh", "group_en", "title_zh", "title_en", "description_zh", "description_en",
        "visible", "order", "fill", "stroke", "fill_opacity", "stroke_width", "interactive", "attribution"]


def main():
    path = os.path.join(ROOT, "public/data/manifest.json")
    m = json.load(open(path, encoding="utf-8"))
    have = {l["id"] for l in m["layers"]}
    for row in json.load(open(os.path.join(ROOT, "tools/layers.json"), encoding="utf-8")):
        e = dict(zip(KEYS, row))
        if e["id"] in have or not os.path.exists(os.path.join(ROOT, f"public/data/layers/{e['id']}.geojson")):
            continue
        style = {k: e.pop(k) for k in ("fill", "stroke", "fill_opacity", "stroke_width")}
        e["file"] = f"data/layers/{e['id']}.geojson"
        e["style"] = style
        if e["id"] == "eco-barrier-control":
            e["choropleth"] = {"number": "first-class control area", "unit": "km²",
                               "stops": [[0, "#d9f0d3"], [50, "#a6dba0"], [80, "#5aae61"], [150, "#1b7837"]],
                               "note_zh": "颜色表示各区一级管控区面积：它是区内的一部分，不是整个区；区界只用来定位。",
                               "note_en": "Colour shows each district's first-class control area: a part of the district, not the district; the boundary only locates it."}
        m["layers"].append(e)
        print("added", e["id"])
    m["layers"].sort(key=lambda l: l["order"])
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(m, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
