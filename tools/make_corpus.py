#!/usr/bin/env python3
"""Writes the bad-input corpus under tests/fixtures/corpus/ (run from the checkout; standard
library only). Each layer fixture replaces data/layers/eco-barrier.geojson in the browser test
(tests/e2e/corpus.test.mjs); hashes.json and manifest-cases.json list the link and manifest
cases. The expected messages live in cases.json."""
import json, os

OUT = "tests/fixtures/corpus"
PAY = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>javascript:window.__pwned=3'


def feature(fid, geometry, **props):
    p = {"layer": "eco-barrier", "name_zh": f"测试{fid}", "name_en": f"Test {fid}", "status": "planned",
         "precision": "schematic", "precision_note": "test", "precision_note_zh": "测试",
         "description_en": "A test feature.", "description_zh": "测试要素。",
         "excerpts": [{"doc": "004_807393adc7e55925.txt", "quote": "加强海河南岸绿屏湾建设"}]}
    p.update(props)
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": p}


def pt(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def fc(features, **extra):
    d = {"type": "FeatureCollection"}
    d.update(extra)
    d["features"] = features
    return d


def write(name, obj=None, text=None):
    with open(os.path.join(OUT, "layers", name), "w", encoding="utf-8") as f:
        f.write(text if text is not None else json.dumps(obj, ensure_ascii=False))


def main():
    os.makedirs(os.path.join(OUT, "layers"), exist_ok=True)
    good = feature("corpus-good", pt(117.3, 39.0))
    write("truncated.geojson", text=json.dumps(fc([good]), ensure_ascii=False)[:150])
    write("wrong-type.geojson", {"type": "FeatureCollection", "features": "none"})
    write("not-a-collection.geojson", pt(117.3, 39.0))
    write("nan-infinity.geojson", text='{"type":"FeatureCollection","features":[{"type":"Feature","id":"n","geometry":{"type":"Point","coordinates":[NaN,Infinity]},"properties":{}}]}')
    write("huge-numbers.geojson", fc([good, feature("corpus-huge", pt(1e308, -1e308))]))
    write("deep-nesting.geojson", text='{"type":"FeatureCollection","features":[{"type":"Feature","id":"d","geometry":{"type":"Point","coordinates":' + "[" * 3000 + "]" * 3000 + "},\"properties\":{}}]}")
    write("empty.geojson", fc([]))
    write("null-geometry.geojson", fc([feature("corpus-unlocated", None)]))
    write("geometry-collection.geojson", fc([good, feature("corpus-gc", {"type": "GeometryCollection", "geometries": [pt(117.3, 39.0)]})]))
    write("foreign-crs.geojson", fc([feature("corpus-metres", pt(13046000, 4736000))], crs={"type": "name", "properties": {"name": "EPSG:3857"}}))
    write("degenerate-rings.geojson", fc([good,
        feature("corpus-two-points", {"type": "Polygon", "coordinates": [[[117.3, 39.0], [117.4, 39.0]]]}),
        feature("corpus-open-ring", {"type": "Polygon", "coordinates": [[[117.3, 39.0], [117.4, 39.0], [117.4, 39.1], [117.3, 39.1]]]})]))
    write("wrong-types.geojson", fc([good,
        {"type": "Feature", "id": 7.5, "geometry": "here", "properties": []},
        {"type": "Feature", "id": "corpus-props", "geometry": pt(117.3, 39.0), "properties": {"name_zh": 5, "status": ["planned"]}}]))
    write("three-bad.geojson", fc([good, feature("corpus-good-2", pt(117.35, 39.05)),
        feature("corpus-bad-lon", pt(181.0, 39.0)),
        {"type": "Feature", "geometry": pt(117.3, 39.0), "properties": {}},
        feature("corpus-bad-line", {"type": "LineString", "coordinates": [[117.3, 39.0]]})]))
    write("far-away.geojson", fc([good, feature("corpus-santiago", pt(-70.66, -33.45)),
        feature("corpus-null-island", pt(0.0, 0.0)), feature("corpus-north", pt(117.2, 89.9))]))
    payload = feature("corpus-payload", pt(117.3, 39.0), name_zh=PAY, name_en=PAY, precision_note=PAY, precision_note_zh=PAY,
                      description_en=PAY, description_zh=PAY, period=PAY, source=PAY,
                      excerpts=[{"doc": "004_807393adc7e55925.txt", "quote": PAY}, {"doc": "../index.html", "quote": PAY}])
    write("payloads.geojson", fc([good, payload]))


if __name__ == "__main__":
    main()
