//! The domain of framecoder: a project of documents, a codebook of labels,
//! coders and their annotations. Pure data and the rules that keep it
//! consistent; nothing here knows about egui, files or the command line.
//!
//! Annotations hold **byte ranges** into their document's text (see
//! [`text`] for why and for the conversion to char offsets used in files).

mod ids;
pub mod index;
pub mod text;
pub mod turns;

pub use ids::{AnnotationId, CoderId, DocumentId, LabelId};
pub use index::SpanIndex;
pub use text::CharIndex;
pub use turns::{Detection, Layout, Paragraph, PassedOver, PatternError, SpeakerDetection, Structure, Turn};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// Everything one RON file holds.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Project {
    pub name: String,
    /// The project memo: notes on the study, the sample, decisions taken.
    pub memo: String,
    pub coders: Vec<Coder>,
    /// The codebook, in the order the researcher arranged it.
    pub labels: Vec<Label>,
    pub attributes: Vec<AttributeDef>,
    pub documents: Vec<Document>,
    /// Keyed by id so that undo restores exactly the same map whatever the
    /// order edits happened in.
    pub annotations: BTreeMap<AnnotationId, Annotation>,
    /// Adjudication decisions, sorted by [`Decision::key`] with no two
    /// sharing a key, so undo restores the same order and lookups are a
    /// binary search.
    pub decisions: Vec<Decision>,
    /// Attributes of speakers, by speaker name (as shown after renames):
    /// attribute → value, e.g. `role` → `host`, `party` → `D`. Usable in
    /// export filters and statistics like the speaker itself.
    pub speaker_attributes: BTreeMap<String, BTreeMap<String, String>>,
}

/// A person who codes. Annotations belong to exactly one coder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coder {
    pub id: CoderId,
    pub name: String,
}

/// Whether a label names a frame (an interpretive package) or a claim
/// (a statement made within a frame).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum LabelKind {
    #[default]
    Frame,
    Claim,
}

impl fmt::Display for LabelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Frame => "Frame",
            Self::Claim => "Claim",
        })
    }
}

/// An sRGB colour, written as `#rrggbb` in files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Color(pub [u8; 3]);

impl Color {
    /// Parses `#rrggbb` (the `#` is optional).
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.trim().trim_start_matches('#');
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        Some(Self([channel(0)?, channel(2)?, channel(4)?]))
    }

    /// A pleasant, distinct colour for the `n`-th label created.
    pub fn palette(n: usize) -> Self {
        const PALETTE: [[u8; 3]; 10] = [
            [0xd9, 0x4f, 0x4f],
            [0x3a, 0x86, 0xc8],
            [0x4f, 0xa8, 0x5c],
            [0xe0, 0x9a, 0x2b],
            [0x8e, 0x5c, 0xc2],
            [0x2f, 0xa5, 0xa0],
            [0xc2, 0x5c, 0x9b],
            [0x8a, 0x8f, 0x2a],
            [0x6d, 0x6d, 0xd6],
            [0xb0, 0x6a, 0x3b],
        ];
        Self(PALETTE[n % PALETTE.len()])
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

/// An entry of the codebook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub id: LabelId,
    pub name: String,
    pub kind: LabelKind,
    pub color: Color,
    /// Claims usually sit under the frame they belong to.
    pub parent: Option<LabelId>,
    pub description: String,
    /// Pressing this key with text selected applies the label.
    pub key: Option<char>,
}

/// What values an attribute takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttributeKind {
    Text,
    Choice(Vec<String>),
}

/// An attribute annotations may carry, e.g. who makes a claim or the
/// stance toward it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    pub name: String,
    pub kind: AttributeKind,
}

/// A transcript. The text is shared (`Arc`) so that snapshots for saving and
/// undo entries never copy it.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub id: DocumentId,
    pub name: String,
    /// The file this text came from, as the user named it.
    pub imported_from: Option<String>,
    /// Hex SHA-256 of the text, used to match documents across projects.
    pub sha256: String,
    pub text: Arc<str>,
    /// Derived from `text`: char/byte conversion.
    pub chars: Arc<CharIndex>,
    /// Derived from `text`: paragraphs and speaker turns.
    pub structure: Arc<Structure>,
    /// Derived from `text`: number of words (counted once, shown often).
    pub words: usize,
    /// How `structure` is derived: the researcher's choice for this
    /// document, stored in the project file.
    pub speakers: SpeakerDetection,
    /// Names the researcher gave detected speakers (detected label → name,
    /// e.g. `SPEAKER_00` → `Interviewer`; two labels with one name are one
    /// speaker), applied to `structure` and so to every view and export.
    pub speaker_names: BTreeMap<String, String>,
}

impl Document {
    /// Builds a document, deriving its hash, char index and turns.
    pub fn new(id: DocumentId, name: String, text: Arc<str>, imported_from: Option<String>) -> Self {
        let sha256 = sha256_hex(&text);
        let chars = Arc::new(CharIndex::new(&text));
        let structure = Arc::new(turns::detect_structure(&text));
        let words = text::word_count(&text);
        Self {
            words,
            id,
            name,
            imported_from,
            sha256,
            text,
            chars,
            structure,
            speakers: SpeakerDetection::Auto,
            speaker_names: BTreeMap::new(),
        }
    }

    /// This document with its turns found as `speakers` says.
    #[must_use]
    pub fn with_speakers(mut self, speakers: SpeakerDetection) -> Self {
        if speakers != self.speakers {
            let detected = turns::detect_structure_with(&self.text, &speakers);
            self.structure = Arc::new(detected.renamed(&self.speaker_names));
            self.speakers = speakers;
        }
        self
    }

    /// This document with its speakers named as `names` says (see
    /// [`Self::speaker_names`]); entries that rename a label to itself are
    /// dropped, so the map holds only real renames.
    #[must_use]
    pub fn with_speaker_names(mut self, mut names: BTreeMap<String, String>) -> Self {
        names.retain(|label, name| label != name && !name.trim().is_empty());
        if names != self.speaker_names {
            // Renaming maps from the detected labels, which every turn keeps.
            self.structure = Arc::new(self.structure.renamed(&names));
            self.speaker_names = names;
        }
        self
    }

    /// The text in `range`, or `""` when the range is not valid here.
    pub fn slice(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or("")
    }

    /// Number of words in the document.
    pub fn word_count(&self) -> usize {
        self.words
    }
}

/// Hex SHA-256 of a text.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// One coded span: a label given by a coder to a range of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    pub id: AnnotationId,
    pub document: DocumentId,
    pub label: LabelId,
    pub coder: CoderId,
    /// Byte range into the document text, on char boundaries.
    pub range: Range<usize>,
    /// The text the coder coded. Normally equal to the text at `range`; when
    /// it is not, the annotation is *orphaned* (its text changed) and is kept
    /// so nothing is lost.
    pub quote: String,
    pub memo: String,
    pub attributes: BTreeMap<String, String>,
    /// RFC 3339 timestamps.
    pub created: String,
    pub modified: String,
    /// True when nothing confirmed that `range` holds the words the coder
    /// meant: an imported selection whose positions could not be checked
    /// against its text (see the exchange section of the README). Cleared
    /// when someone confirms or re-places the span.
    pub unconfirmed: bool,
}

impl Annotation {
    /// True when the text at `range` no longer matches the quote.
    pub fn is_orphaned(&self, document: &Document) -> bool {
        document.text.get(self.range.clone()) != Some(self.quote.as_str())
    }
}

/// A reviewer's decision on annotations under review (a disagreement
/// between coders, or a span they all coded alike): what the consensus coder
/// keeps of them. A rejection keeps nothing, which is why decisions are
/// records of their own rather than fields of the annotations they create:
/// "nothing is kept" must survive save and load too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The coder the consensus version is built as (e.g. "Consensus").
    pub consensus: CoderId,
    pub document: DocumentId,
    /// The annotations reviewed, sorted by id. With `consensus` and
    /// `document` they identify the decision: deciding the same annotations
    /// again replaces it.
    pub reviewed: Vec<AnnotationId>,
    /// The consensus annotations this decision created; empty when the
    /// reviewer rejected all of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<Kept>,
    /// Who decided; `None` when that coder is no longer known.
    #[serde(default)]
    pub decided_by: Option<CoderId>,
    /// RFC 3339 timestamp.
    #[serde(default)]
    pub decided: String,
}

/// A consensus annotation and the reviewed annotations it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    pub annotation: AnnotationId,
    #[serde(default)]
    pub derived_from: Vec<AnnotationId>,
}

impl Decision {
    /// What identifies the decision (see [`Project::decisions`]).
    pub fn key(&self) -> (CoderId, DocumentId, &[AnnotationId]) {
        (self.consensus, self.document, &self.reviewed)
    }
}

/// Current time as RFC 3339, second precision, UTC.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

impl Project {
    /// An empty project with the given name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    pub fn document(&self, id: DocumentId) -> Option<&Document> {
        self.documents.iter().find(|doc| doc.id == id)
    }

    pub fn label(&self, id: LabelId) -> Option<&Label> {
        self.labels.iter().find(|label| label.id == id)
    }

    pub fn coder(&self, id: CoderId) -> Option<&Coder> {
        self.coders.iter().find(|coder| coder.id == id)
    }

    /// The coder with this name (case-insensitive).
    pub fn coder_named(&self, name: &str) -> Option<&Coder> {
        self.coders
            .iter()
            .find(|coder| coder.name.eq_ignore_ascii_case(name.trim()))
    }

    /// Children of `parent` (`None`: top-level labels), in codebook order.
    pub fn child_labels(&self, parent: Option<LabelId>) -> impl Iterator<Item = &Label> {
        self.labels.iter().filter(move |label| label.parent == parent)
    }

    /// `Frame > Claim` style path of a label.
    pub fn label_path(&self, id: LabelId) -> String {
        let mut parts = Vec::new();
        let mut next = Some(id);
        while let Some(current) = next {
            let Some(label) = self.label(current) else { break };
            if parts.len() > self.labels.len() {
                break; // a cycle; validation reports it elsewhere
            }
            parts.push(label.name.as_str());
            next = label.parent;
        }
        parts.reverse();
        parts.join(" > ")
    }

    /// Whether making `parent` the parent of `label` would create a cycle.
    pub fn would_cycle(&self, label: LabelId, parent: Option<LabelId>) -> bool {
        let mut next = parent;
        let mut steps = 0;
        while let Some(current) = next {
            if current == label || steps > self.labels.len() {
                return true;
            }
            next = self.label(current).and_then(|l| l.parent);
            steps += 1;
        }
        false
    }

    /// Annotations of one document (any order).
    pub fn annotations_in(&self, document: DocumentId) -> impl Iterator<Item = &Annotation> {
        self.annotations.values().filter(move |a| a.document == document)
    }

    /// The decision of `consensus` on exactly the annotations `reviewed`
    /// (any order) in `document`.
    pub fn decision(
        &self,
        consensus: CoderId,
        document: DocumentId,
        reviewed: &[AnnotationId],
    ) -> Option<&Decision> {
        let mut reviewed = reviewed.to_vec();
        reviewed.sort_unstable();
        reviewed.dedup();
        let key = (consensus, document, reviewed.as_slice());
        let index = self.decisions.binary_search_by(|d| d.key().cmp(&key)).ok()?;
        self.decisions.get(index)
    }

    /// Brings decisions read from a file into the shape edits keep them in
    /// (sorted, unique keys, reviewed ids sorted) and drops references to
    /// things the project does not have: a decision whose document or
    /// consensus coder is unknown goes, unknown annotation ids are removed,
    /// an unknown decider becomes `None`. Returns one line per repair.
    pub fn repair_decisions(&mut self) -> Vec<String> {
        let mut repairs = Vec::new();
        let decisions = std::mem::take(&mut self.decisions);
        for mut decision in decisions {
            if self.document(decision.document).is_none() {
                repairs.push(format!(
                    "decision on document {}: document is not in the project; dropped",
                    decision.document
                ));
                continue;
            }
            if self.coder(decision.consensus).is_none() {
                repairs.push(format!(
                    "decision on document {}: consensus coder {} is not in the project; dropped",
                    decision.document, decision.consensus
                ));
                continue;
            }
            if let Some(coder) = decision.decided_by.filter(|c| self.coder(*c).is_none()) {
                repairs.push(format!(
                    "decision on document {}: deciding coder {coder} is not in the project; forgotten",
                    decision.document
                ));
                decision.decided_by = None;
            }
            let known = |id: &AnnotationId| self.annotations.contains_key(id);
            let unknown: Vec<AnnotationId> = decision
                .reviewed
                .iter()
                .chain(
                    decision
                        .kept
                        .iter()
                        .flat_map(|k| std::iter::once(&k.annotation).chain(&k.derived_from)),
                )
                .filter(|id| !known(id))
                .copied()
                .collect();
            for id in &unknown {
                repairs.push(format!(
                    "decision on document {}: annotation {id} is not in the project; reference removed",
                    decision.document
                ));
            }
            decision.reviewed.retain(known);
            decision.kept.retain(|k| known(&k.annotation));
            for kept in &mut decision.kept {
                kept.derived_from.retain(known);
            }
            decision.reviewed.sort_unstable();
            decision.reviewed.dedup();
            self.decisions.push(decision);
        }
        self.decisions.sort_by(|a, b| a.key().cmp(&b.key()));
        let before = self.decisions.len();
        self.decisions
            .dedup_by(|later, earlier| later.key() == earlier.key());
        for _ in self.decisions.len()..before {
            repairs.push("two decisions on the same annotations; the second was dropped".to_owned());
        }
        repairs
    }

    /// How many annotations use each label.
    pub fn label_counts(&self) -> BTreeMap<LabelId, usize> {
        let mut counts = BTreeMap::new();
        for annotation in self.annotations.values() {
            *counts.entry(annotation.label).or_insert(0) += 1;
        }
        counts
    }
}
