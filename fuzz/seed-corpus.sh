#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with real inputs to start from (docs/fuzzing.md). The corpus is
# not committed: run this before the first `cargo fuzz run`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/{layer,plan,url_state,embed}

# Layers: the validator's fixtures and the small shipped layers.
cp tests/fixtures/*.geojson fuzz/corpus/layer/
for f in public/data/layers/*.geojson; do
  if [ "$(stat -c %s "$f")" -le 8192 ]; then cp "$f" fuzz/corpus/layer/; fi
done

# Plans: 4 KB slices of each seed, a chrome count of 0 in front.
for f in seeds/*.txt; do
  size=$(stat -c %s "$f")
  for part in 0 1 2 3; do
    { printf '\000'; dd if="$f" bs=4096 count=1 iflag=skip_bytes skip=$((size * part / 4)) status=none; } \
      > "fuzz/corpus/plan/$(basename "$f" .txt)-$part"
  done
done

# URL hashes: the documented examples and every field once.
i=0
for h in \
  '#map=11.25/39.08412/117.20088&layers=districts,eco-barrier:60,metro&status=planned,existing&f=eco-barrier-736&doc=004_807393adc7e55925.txt&at=470&lang=en&q=%E7%94%9F%E6%80%81' \
  '#map=10.50/39.05/117.30&layers=districts,eco-barrier&f=eco-barrier-736&lang=en&embed=1&reader=0&ratio=60' \
  '#cmp=swipe&split=37&rlayers=metro:80&rstatus=existing&rmetro=2025&metro=2025&e=2&l=455' \
  '#tour=map%3D10.00%2F39.10000%2F117.20000%26layers%3Ddistricts%2Cmetro,f%3Deco-barrier-736%26lang%3Den&stop=2' \
  '#layers=none&status=none&q=%22%E4%B8%80%E6%A0%B8%E4%B8%89%E5%B8%A6%22'; do
  printf '%s' "$h" > "fuzz/corpus/url_state/$i"; i=$((i + 1))
done

# Embed messages and configurations.
i=0
for m in \
  '{"planAtlas":1,"type":"select","feature":"eco-barrier-736","id":7}' \
  '{"planAtlas":1,"type":"select","feature":null}' \
  '{"planAtlas":1,"type":"setLayers","layers":["districts",{"id":"metro","opacity":0.6}],"id":"a"}' \
  '{"planAtlas":1,"type":"setView","zoom":11,"lat":39.1,"lon":117.2}' \
  '{"planAtlas":1,"type":"setLanguage","lang":"en"}' \
  '{"planAtlas":1,"type":"getState"}' \
  '{"allowed_origins":["https://portal.example.org","http://127.0.0.1:9000/"]}'; do
  printf '%s' "$m" > "fuzz/corpus/embed/$i"; i=$((i + 1))
done
echo "corpus: $(ls fuzz/corpus/layer | wc -l) layer, $(ls fuzz/corpus/plan | wc -l) plan, $(ls fuzz/corpus/url_state | wc -l) url_state, $(ls fuzz/corpus/embed | wc -l) embed"
