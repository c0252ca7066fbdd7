//! Finding their labels among mine: by id, by full path, by a name unique
//! on both sides — never by a guess.

use crate::model::{Label, LabelId, Project};
use std::collections::{HashMap, HashSet};

/// How a label of theirs was found among mine.
pub(super) enum How {
    Id,
    Path,
    Name,
}

pub(super) enum LabelMatch {
    Found(LabelId, How),
    /// No id or path match, and this many of mine share the name.
    Ambiguous(usize),
    New,
}

/// Finds a label of theirs among mine: the same id; else the same full
/// path (`Frame > Claim`, case and surrounding space of each part
/// ignored); else the same name, but only when exactly one label on each
/// side has it. Two codebooks built apart both have `Economy > Other` and
/// `Politics > Other`: matching by leaf name alone put one coder's
/// `Politics > Other` spans under `Economy > Other`.
pub(super) struct LabelMatcher {
    ids: HashSet<LabelId>,
    by_path: HashMap<String, LabelId>,
    by_name: HashMap<String, Vec<LabelId>>,
    their_names: HashMap<String, usize>,
}

/// A name or path as compared: parts trimmed and lower-cased.
fn label_key(text: &str) -> String {
    text.split('>')
        .map(|part| part.trim().to_lowercase())
        .collect::<Vec<_>>()
        .join(">")
}

impl LabelMatcher {
    pub(super) fn new(mine: &Project, theirs: &Project) -> Self {
        let mut by_name: HashMap<String, Vec<LabelId>> = HashMap::new();
        for label in &mine.labels {
            by_name.entry(label_key(&label.name)).or_default().push(label.id);
        }
        let mut their_names: HashMap<String, usize> = HashMap::new();
        for label in &theirs.labels {
            *their_names.entry(label_key(&label.name)).or_default() += 1;
        }
        Self {
            ids: mine.labels.iter().map(|l| l.id).collect(),
            by_path: mine
                .labels
                .iter()
                .map(|l| (label_key(&mine.label_path(l.id)), l.id))
                .collect(),
            by_name,
            their_names,
        }
    }

    pub(super) fn find(&self, theirs: &Project, label: &Label) -> LabelMatch {
        if self.ids.contains(&label.id) {
            return LabelMatch::Found(label.id, How::Id);
        }
        if let Some(&id) = self.by_path.get(&label_key(&theirs.label_path(label.id))) {
            return LabelMatch::Found(id, How::Path);
        }
        let name = label_key(&label.name);
        match self.by_name.get(&name).map(Vec::as_slice) {
            Some([id]) if self.their_names.get(&name) == Some(&1) => LabelMatch::Found(*id, How::Name),
            Some(ids) if !ids.is_empty() => LabelMatch::Ambiguous(ids.len()),
            _ => LabelMatch::New,
        }
    }
}
