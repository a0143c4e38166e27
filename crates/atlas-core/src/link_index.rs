//! Links between the map and the plans: which layer holds a feature, and which features cite
//! a document, built once as layers load so that the app never scans every layer (or the DOM)
//! to follow a link.
//!
//! Order follows the app's layer map: layers by id, features in file order, excerpts in the
//! order the feature lists them. Feature ids are unique across the shipped layers (the
//! validator checks it); should two layers share one, the layer with the smaller id wins, as
//! the app's scan of its sorted layer map did.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use crate::excerpt::{locate, Highlight};
use crate::prepared::{DrawnFeature, ReadyLayer};

/// One layer's entries.
#[derive(Debug, Clone, Default)]
struct Indexed {
    /// The layer's features, in file order.
    features: Vec<Arc<DrawnFeature>>,
    /// Document file → the features citing it, with the index of each citing excerpt.
    cites: HashMap<String, Vec<(Arc<DrawnFeature>, usize)>>,
}

impl Indexed {
    fn new(layer: &ReadyLayer) -> Self {
        let mut cites: HashMap<String, Vec<(Arc<DrawnFeature>, usize)>> = HashMap::new();
        for f in &layer.features {
            for (i, e) in f.feature.props.excerpts.iter().enumerate() {
                cites.entry(e.doc.clone()).or_default().push((Arc::clone(f), i));
            }
        }
        Indexed { features: layer.features.clone(), cites }
    }
}

/// Feature id → layer and feature, and document → citing excerpts, for the loaded layers.
#[derive(Debug, Clone, Default)]
pub struct LinkIndex {
    /// Per layer id, sorted as the app's layer map is.
    layers: BTreeMap<String, Indexed>,
    /// Feature id → (layer id, feature).
    features: HashMap<String, (String, Arc<DrawnFeature>)>,
}

impl LinkIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Indexes `layer` under `layer_id`, replacing what an earlier call added for that id.
    pub fn add_layer(&mut self, layer_id: &str, layer: &ReadyLayer) {
        if self.layers.insert(layer_id.to_string(), Indexed::new(layer)).is_some() {
            // The old version's features may be gone or shadow another layer's: start over.
            self.rebuild_features();
            return;
        }
        for f in &layer.features {
            match self.features.entry(f.feature.id.clone()) {
                Entry::Vacant(e) => {
                    e.insert((layer_id.to_string(), Arc::clone(f)));
                }
                Entry::Occupied(mut e) if layer_id < e.get().0.as_str() => {
                    e.insert((layer_id.to_string(), Arc::clone(f)));
                }
                Entry::Occupied(_) => {}
            }
        }
    }

    /// Forgets the layer `layer_id` (e.g. when a reload of it failed); false if it was absent.
    pub fn remove_layer(&mut self, layer_id: &str) -> bool {
        let removed = self.layers.remove(layer_id).is_some();
        if removed {
            self.rebuild_features();
        }
        removed
    }

    fn rebuild_features(&mut self) {
        self.features.clear();
        for (layer_id, l) in &self.layers {
            for f in &l.features {
                self.features.entry(f.feature.id.clone()).or_insert_with(|| (layer_id.clone(), Arc::clone(f)));
            }
        }
    }

    /// The feature with this id.
    pub fn feature(&self, id: &str) -> Option<&Arc<DrawnFeature>> {
        self.features.get(id).map(|(_, f)| f)
    }

    /// The id of the layer holding the feature `id`.
    pub fn layer_of(&self, id: &str) -> Option<&str> {
        self.features.get(id).map(|(l, _)| l.as_str())
    }

    /// The loaded features that list `id` among their `parts` (the structures it belongs to),
    /// sorted by id.
    pub fn wholes_of(&self, id: &str) -> Vec<&str> {
        self.referring(id, |f| f.props.parts.iter().any(|p| p == id))
    }

    /// The loaded features drawn at `id`'s place (their `site` is `id`), sorted by id.
    pub fn placed_at(&self, id: &str) -> Vec<&str> {
        self.referring(id, |f| f.props.site.as_deref() == Some(id))
    }

    fn referring(&self, id: &str, pred: impl Fn(&crate::layer::Feature) -> bool) -> Vec<&str> {
        let mut v: Vec<&str> =
            self.features.iter().filter(|(k, (_, f))| k.as_str() != id && pred(&f.feature)).map(|(k, _)| k.as_str()).collect();
        v.sort_unstable();
        v
    }

    /// How many features are indexed (distinct ids).
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// True when no feature is indexed.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The features with an excerpt in document `doc` (a seed file name), as (feature id,
    /// excerpt index), once per citing excerpt, in layer, feature and excerpt order.
    pub fn citing<'a>(&'a self, doc: &str) -> impl Iterator<Item = (&'a str, usize)> + 'a {
        self.cited(doc).into_iter().flatten().map(|(f, i)| (f.feature.id.as_str(), *i))
    }

    /// Per layer, the citations of `doc` (looked up now, so the result does not borrow `doc`).
    fn cited<'a>(&'a self, doc: &str) -> Vec<&'a [(Arc<DrawnFeature>, usize)]> {
        self.layers.values().filter_map(|l| l.cites.get(doc)).map(Vec::as_slice).collect()
    }

    /// Every citing excerpt of `doc` located in its `text`, shortest range first (a stable
    /// sort), so that where clauses nest a click on the inner one selects its own feature.
    /// Quotes not found in `text` are left out.
    pub fn highlights(&self, doc: &str, text: &str) -> Vec<Highlight> {
        let mut hs: Vec<Highlight> = self
            .cited(doc)
            .into_iter()
            .flatten()
            .filter_map(|(f, i)| {
                let e = f.feature.props.excerpts.get(*i)?;
                locate(text, &e.quote).map(|range| Highlight { range, feature_id: f.feature.id.clone() })
            })
            .collect();
        hs.sort_by_key(|h| h.range.len());
        hs
    }

    /// Where excerpt `i` of feature `id` (its first excerpt when `i` is out of range) is in
    /// `text`, the text of document `doc`; `None` when that excerpt cites another document,
    /// the feature is unknown or the quote is not found.
    pub fn excerpt_range(&self, id: &str, i: usize, doc: &str, text: &str) -> Option<Range<usize>> {
        let ex = &self.feature(id)?.feature.props.excerpts;
        let e = ex.get(i).or_else(|| ex.first())?;
        if e.doc != doc {
            return None;
        }
        locate(text, &e.quote)
    }
}

/// Equal when both index the same layer ids with equal features in the same order. Features
/// shared by pointer (an index rebuilt from the same prepared layers, as a reactive memo does)
/// compare without looking inside them.
impl PartialEq for LinkIndex {
    fn eq(&self, other: &Self) -> bool {
        self.layers.len() == other.layers.len()
            && self.layers.iter().zip(&other.layers).all(|((ia, a), (ib, b))| {
                ia == ib
                    && a.features.len() == b.features.len()
                    && a.features.iter().zip(&b.features).all(|(x, y)| Arc::ptr_eq(x, y) || x == y)
            })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::OnceLock;

    use super::*;
    use crate::prepared::prepare;
    use crate::prepared::tests::{layer_text, manifest};

    /// Every shipped layer, prepared once for all tests.
    fn shipped() -> &'static [(String, ReadyLayer)] {
        static LAYERS: OnceLock<Vec<(String, ReadyLayer)>> = OnceLock::new();
        LAYERS.get_or_init(|| {
            manifest()
                .layers
                .iter()
                .map(|info| (info.id.clone(), prepare(info, &layer_text(info)).unwrap_or_else(|e| panic!("{}: {e}", info.id))))
                .collect()
        })
    }

    fn index_of(layers: &[(String, ReadyLayer)]) -> LinkIndex {
        let mut index = LinkIndex::new();
        for (id, l) in layers {
            index.add_layer(id, l);
        }
        index
    }

    fn seed(doc: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds").join(doc);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The reader's highlights as the app computed them before this index: every ready layer
    /// in id order, every feature, every excerpt in `doc`, then a stable sort by length.
    fn scan_highlights(layers: &[(String, ReadyLayer)], doc: &str, text: &str) -> Vec<Highlight> {
        let sorted: BTreeMap<&str, &ReadyLayer> = layers.iter().map(|(id, l)| (id.as_str(), l)).collect();
        let mut hs: Vec<Highlight> = sorted
            .values()
            .flat_map(|r| r.features.iter())
            .flat_map(|f| {
                f.feature
                    .props
                    .excerpts
                    .iter()
                    .filter(|e| e.doc == doc)
                    .filter_map(|e| locate(text, &e.quote))
                    .map(|range| Highlight { range, feature_id: f.feature.id.clone() })
                    .collect::<Vec<_>>()
            })
            .collect();
        hs.sort_by_key(|h| h.range.len());
        hs
    }

    fn docs(layers: &[(String, ReadyLayer)]) -> BTreeSet<String> {
        layers.iter().flat_map(|(_, l)| l.features.iter()).flat_map(|f| f.feature.props.excerpts.iter().map(|e| e.doc.clone())).collect()
    }

    #[test]
    fn parts_and_sites_are_found_from_both_ends() {
        let index = index_of(shipped());
        let whole = index.feature("metro-nankai-operating").expect("the Nankai operating stations");
        let parts = &whole.feature.props.parts;
        assert!(parts.len() >= 20, "{parts:?}");
        for p in parts {
            assert!(index.wholes_of(p).contains(&"metro-nankai-operating"), "{p}");
        }
        assert!(index.wholes_of("metro-nankai-operating").is_empty());

        let m = crate::prepared::tests::manifest();
        let info = m.layer("towns").expect("towns layer").clone();
        let point = |id: &str, site: &str| {
            format!(
                r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[117.3,39]}},"properties":{{"layer":"towns",
                "name_zh":"{id}","name_en":"{id}","status":"existing","precision":"approximate","precision_note":"n"{site}}}}}"#
            )
        };
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
            point("seat", ""),
            point("fair", r#","site":"seat""#),
            point("town", r#","site":"seat""#)
        );
        let mut index = LinkIndex::new();
        index.add_layer("towns", &prepare(&info, &text).expect("prepares"));
        assert_eq!(index.placed_at("seat"), vec!["fair", "town"]);
        assert!(index.placed_at("fair").is_empty());
    }

    #[test]
    fn every_shipped_feature_is_found_in_its_layer() {
        let layers = shipped();
        let index = index_of(layers);
        let total: usize = layers.iter().map(|(_, l)| l.features.len()).sum();
        assert!(total > 100, "{total}");
        assert_eq!(index.len(), total);
        assert!(!index.is_empty());
        for (id, l) in layers {
            for f in &l.features {
                let found = index.feature(&f.feature.id).unwrap_or_else(|| panic!("{} not indexed", f.feature.id));
                assert!(Arc::ptr_eq(found, f), "{}", f.feature.id);
                assert_eq!(index.layer_of(&f.feature.id), Some(id.as_str()));
            }
        }
        assert!(index.feature("no such feature").is_none() && index.layer_of("no such feature").is_none());
    }

    #[test]
    fn highlights_match_the_apps_scan_for_every_cited_seed() {
        let layers = shipped();
        // Added in manifest order, not id order: the result must not depend on arrival order.
        let index = index_of(layers);
        let docs = docs(layers);
        assert!(!docs.is_empty());
        for doc in &docs {
            let text = seed(doc);
            let hs = index.highlights(doc, &text);
            assert!(!hs.is_empty(), "{doc}: no highlights");
            assert!(hs.windows(2).all(|w| w[0].range.len() <= w[1].range.len()), "{doc}: not shortest first");
            assert_eq!(hs, scan_highlights(layers, doc, &text), "{doc}");
            let citations = index.citing(doc).count();
            let excerpts = layers
                .iter()
                .flat_map(|(_, l)| l.features.iter())
                .flat_map(|f| f.feature.props.excerpts.iter())
                .filter(|e| &e.doc == doc)
                .count();
            assert_eq!(citations, excerpts, "{doc}");
            assert!(hs.len() <= citations);
        }
        assert!(index.highlights("no-such-doc.txt", "text").is_empty());
        assert_eq!(index.citing("no-such-doc.txt").count(), 0);
    }

    #[test]
    fn adding_a_layer_again_replaces_it() {
        let layers = shipped();
        let mut index = index_of(layers);
        let (len, doc) = (index.len(), docs(layers).into_iter().next().expect("a cited doc"));
        let text = seed(&doc);
        let (citing, hs) = (index.citing(&doc).count(), index.highlights(&doc, &text));
        for (id, l) in layers {
            index.add_layer(id, l);
        }
        assert_eq!(index.len(), len);
        assert_eq!(index.citing(&doc).count(), citing);
        assert_eq!(index.highlights(&doc, &text), hs);
        // A new version without the layer's features: they are gone, the rest stays.
        let (id, l) = layers
            .iter()
            .find(|(_, l)| l.features.iter().any(|f| f.feature.props.excerpts.iter().any(|e| e.doc == doc)))
            .expect("a layer citing doc");
        index.add_layer(id, &ReadyLayer::default());
        assert_eq!(index.len(), len - l.features.len());
        assert!(l.features.iter().all(|f| index.feature(&f.feature.id).is_none()));
        assert!(index.citing(&doc).all(|(f, _)| index.layer_of(f) != Some(id.as_str())));
        assert!(index.citing(&doc).count() < citing);
        assert!(index.remove_layer(id) && !index.remove_layer(id));
        assert_eq!(index.len(), len - l.features.len());
    }

    #[test]
    fn excerpt_ranges_are_found_only_in_their_document() {
        let layers = shipped();
        let index = index_of(layers);
        let doc = docs(layers).into_iter().next().expect("a cited doc");
        let text = seed(&doc);
        let (id, i) = index
            .citing(&doc)
            .find(|&(id, i)| i > 0 && index.feature(id).is_some_and(|f| f.feature.props.excerpts[0].doc == doc))
            .expect("a feature with several excerpts in one doc");
        let ex = &index.feature(id).expect("indexed").feature.props.excerpts;
        assert_eq!(index.excerpt_range(id, i, &doc, &text), locate(&text, &ex[i].quote));
        assert!(index.excerpt_range(id, i, &doc, &text).is_some(), "{id} #{i}");
        // Out of range: the first excerpt, as the reader's focus did.
        assert_eq!(index.excerpt_range(id, 999, &doc, &text), locate(&text, &ex[0].quote));
        assert_eq!(index.excerpt_range(id, i, "another-doc.txt", &text), None);
        assert_eq!(index.excerpt_range("no such feature", 0, &doc, &text), None);
    }

    #[test]
    fn a_shared_id_goes_to_the_smaller_layer_id_whatever_the_order() {
        let (_, l) = shipped().iter().find(|(_, l)| !l.features.is_empty()).expect("a layer");
        let one = ReadyLayer { features: l.features[..1].to_vec(), ..ReadyLayer::default() };
        let id = one.features[0].feature.id.clone();
        let mut index = LinkIndex::default();
        index.add_layer("b", &one);
        index.add_layer("a", &one);
        index.add_layer("c", &one);
        assert_eq!((index.len(), index.layer_of(&id)), (1, Some("a")));
        index.add_layer("a", &ReadyLayer::default());
        assert_eq!(index.layer_of(&id), Some("b"));
        index.remove_layer("b");
        assert_eq!(index.layer_of(&id), Some("c"));
    }

    #[test]
    fn indexes_of_the_same_layers_are_equal() {
        let layers = shipped();
        let index = index_of(layers);
        // Rebuilt from the same layers in another order: equal (what a memo needs to see).
        let mut reversed = LinkIndex::new();
        for (id, l) in layers.iter().rev() {
            reversed.add_layer(id, l);
        }
        assert!(index == reversed);
        // Prepared again: equal by value.
        let (id, l) = &layers[1];
        let m = manifest();
        let info = m.layer(id).expect("in the manifest");
        let again = prepare(info, &layer_text(info)).expect("loads");
        assert!(!Arc::ptr_eq(&l.features[0], &again.features[0]));
        reversed.add_layer(id, &again);
        assert!(index == reversed);
        reversed.add_layer(id, &ReadyLayer::default());
        assert!(index != reversed);
        assert!(index != LinkIndex::new() && LinkIndex::new() == LinkIndex::default());
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let index = LinkIndex::new();
        assert!(index.is_empty());
        assert_eq!(index.len(), 0);
        assert!(index.feature("x").is_none() && index.citing("d").next().is_none());
        assert!(index.highlights("d", "text").is_empty() && index.excerpt_range("x", 0, "d", "text").is_none());
    }
}
