//! Questions asked of a project, shared by exports, statistics, agreement
//! and both faces: which annotations a [`Filter`] of names (as a researcher
//! types them on the command line or picks them in a dialog) selects, in
//! what order ([`Selection`]), and the codebook as a tree ([`label_tree`]).
//!
//! A name that matches nothing is an error naming it, never an empty
//! export: `--coder Anna` for `Ana` must not produce a plausible-looking
//! file with no rows. A frame selects its claims too (all descendants),
//! because a researcher asking for a frame means the frame as coded.

use crate::model::{Annotation, CoderId, DocumentId, Label, LabelId, Project};
use std::collections::{HashMap, HashSet};

/// Names in a filter that match nothing in the project, one message each
/// (all of them, so a typo is found in one run).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("; "))]
pub struct UnknownNames(pub Vec<String>);

/// Which annotations to export: empty lists mean "all". Entries are names
/// (labels also by path, `Frame > Claim`) or ids, matched
/// case-insensitively; a frame includes its claims.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub coders: Vec<String>,
    pub labels: Vec<String>,
    pub documents: Vec<String>,
    /// Speakers (as shown, after renames) whose spans are wanted: a span
    /// belongs to the speaker of the turn it starts in.
    pub speakers: Vec<String>,
    /// `attribute=value` conditions on the speaker
    /// ([`Project::speaker_attributes`]), all of which must hold.
    pub speaker_attributes: Vec<String>,
}

impl Filter {
    /// True when the filter selects everything.
    pub fn is_empty(&self) -> bool {
        self.coders.is_empty()
            && self.labels.is_empty()
            && self.documents.is_empty()
            && self.speakers.is_empty()
            && self.speaker_attributes.is_empty()
    }

    /// Resolves the names against `project`. Every name that matches
    /// nothing is reported, each with the names that exist.
    pub fn resolve<'a>(&self, project: &'a Project) -> Result<Selection<'a>, UnknownNames> {
        let mut unknown = Vec::new();
        let coders = resolve_names(
            &self.coders,
            "coder",
            project
                .coders
                .iter()
                .map(|c| (c.id, vec![c.name.clone(), c.id.to_string()])),
            &mut unknown,
        );
        let documents = resolve_names(
            &self.documents,
            "document",
            project
                .documents
                .iter()
                .map(|d| (d.id, vec![d.name.clone(), d.id.to_string()])),
            &mut unknown,
        );
        let labels = resolve_names(
            &self.labels,
            "label",
            project.labels.iter().map(|l| {
                (
                    l.id,
                    vec![l.name.clone(), project.label_path(l.id), l.id.to_string()],
                )
            }),
            &mut unknown,
        )
        .map(|chosen| with_descendants(project, chosen));
        let speakers = self.resolve_speakers(project, &mut unknown);
        if !unknown.is_empty() {
            return Err(UnknownNames(unknown));
        }
        Ok(Selection {
            project,
            coders,
            labels,
            documents,
            speakers,
        })
    }

    /// The speakers named, narrowed to those whose attributes meet every
    /// condition; `None` when neither is given.
    fn resolve_speakers(&self, project: &Project, unknown: &mut Vec<String>) -> Option<HashSet<String>> {
        if self.speakers.is_empty() && self.speaker_attributes.is_empty() {
            return None;
        }
        let mut all: Vec<&str> = Vec::new();
        for document in &project.documents {
            for speaker in &document.structure.speakers {
                if !all.contains(&speaker.as_str()) {
                    all.push(speaker);
                }
            }
        }
        let mut chosen: HashSet<String> = if self.speakers.is_empty() {
            all.iter().map(|s| (*s).to_owned()).collect()
        } else {
            let named = resolve_names(
                &self.speakers,
                "speaker",
                all.iter().enumerate().map(|(i, s)| (i, vec![(*s).to_owned()])),
                unknown,
            );
            named
                .unwrap_or_default()
                .into_iter()
                .filter_map(|i| all.get(i).map(|s| (*s).to_owned()))
                .collect()
        };
        for condition in &self.speaker_attributes {
            let Some((attribute, value)) = condition.split_once('=') else {
                unknown.push(format!(
                    "speaker attribute condition {condition:?} is not ATTRIBUTE=VALUE"
                ));
                continue;
            };
            let (attribute, value) = (normalize(attribute), normalize(value));
            chosen.retain(|speaker| {
                project.speaker_attributes.get(speaker).is_some_and(|attributes| {
                    attributes
                        .iter()
                        .any(|(a, v)| normalize(a) == attribute && normalize(v) == value)
                })
            });
        }
        Some(chosen)
    }
}

/// How names are compared: case-insensitive (full Unicode, not just ASCII:
/// `PEÑA` is `Peña`), surrounding space ignored, and `A>B`, `A > B` the
/// same path.
fn normalize(name: &str) -> String {
    name.split('>')
        .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" > ")
        .to_lowercase()
}

/// The ids whose names match `wanted` (`None`: nothing wanted, so all).
/// Unknown names are added to `unknown` as messages.
fn resolve_names<Id: Copy + Eq + std::hash::Hash>(
    wanted: &[String],
    what: &str,
    candidates: impl Iterator<Item = (Id, Vec<String>)>,
    unknown: &mut Vec<String>,
) -> Option<HashSet<Id>> {
    if wanted.is_empty() {
        return None;
    }
    let candidates: Vec<(Id, Vec<String>, String)> = candidates
        .map(|(id, names)| {
            let shown = names.first().cloned().unwrap_or_default();
            (id, names.iter().map(|n| normalize(n)).collect(), shown)
        })
        .collect();
    let mut chosen = HashSet::new();
    for name in wanted {
        let key = normalize(name);
        let mut found = false;
        for (id, names, _) in &candidates {
            if names.contains(&key) {
                chosen.insert(*id);
                found = true;
            }
        }
        if !found {
            unknown.push(format!(
                "no {what} named {name:?} in the project ({})",
                known_list(what, candidates.iter().map(|(_, _, shown)| shown.as_str()))
            ));
        }
    }
    Some(chosen)
}

/// `coders: Ana, Ben` — at most a few names, so a project of 500
/// documents still gives a one-line message.
fn known_list<'a>(what: &str, names: impl Iterator<Item = &'a str>) -> String {
    const SHOWN: usize = 8;
    let names: Vec<&str> = names.collect();
    if names.is_empty() {
        return format!("it has no {what}s");
    }
    let mut list = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        list.push_str(&format!(", … {} more", names.len() - SHOWN));
    }
    format!("{what}s: {list}")
}

/// `chosen` and every label below them. Walks children level by level, so
/// a cycle (which validation reports elsewhere) cannot loop forever.
fn with_descendants(project: &Project, chosen: HashSet<LabelId>) -> HashSet<LabelId> {
    let mut children: HashMap<LabelId, Vec<LabelId>> = HashMap::new();
    for label in &project.labels {
        if let Some(parent) = label.parent {
            children.entry(parent).or_default().push(label.id);
        }
    }
    let mut all = chosen.clone();
    let mut frontier: Vec<LabelId> = chosen.into_iter().collect();
    while let Some(id) = frontier.pop() {
        for child in children.get(&id).into_iter().flatten() {
            if all.insert(*child) {
                frontier.push(*child);
            }
        }
    }
    all
}

/// A [`Filter`] resolved against one project: the ids it lets through.
#[derive(Clone, Debug)]
pub struct Selection<'a> {
    project: &'a Project,
    /// `None`: every coder.
    coders: Option<HashSet<CoderId>>,
    /// `None`: every label. Descendants already included.
    labels: Option<HashSet<LabelId>>,
    /// `None`: every document.
    documents: Option<HashSet<DocumentId>>,
    /// `None`: every speaker (and spans outside any turn).
    speakers: Option<HashSet<String>>,
}

impl<'a> Selection<'a> {
    /// The project this selection is of.
    pub fn project(&self) -> &'a Project {
        self.project
    }

    pub fn includes_coder(&self, id: CoderId) -> bool {
        self.coders.as_ref().is_none_or(|set| set.contains(&id))
    }

    pub fn includes_label(&self, id: LabelId) -> bool {
        self.labels.as_ref().is_none_or(|set| set.contains(&id))
    }

    pub fn includes_document(&self, id: DocumentId) -> bool {
        self.documents.as_ref().is_none_or(|set| set.contains(&id))
    }

    /// Whether the annotation passes every part of the filter.
    pub fn includes(&self, annotation: &Annotation) -> bool {
        self.includes_coder(annotation.coder)
            && self.includes_label(annotation.label)
            && self.includes_document(annotation.document)
            && self.includes_speaker_of(annotation)
    }

    /// Whether the filter keeps this speaker (by name, as shown).
    pub fn includes_speaker(&self, speaker: &str) -> bool {
        self.speakers.as_ref().is_none_or(|set| set.contains(speaker))
    }

    /// Whether the speaker of the turn the annotation starts in passes the
    /// filter (a span outside every turn passes only an empty one).
    pub fn includes_speaker_of(&self, annotation: &Annotation) -> bool {
        let Some(speakers) = &self.speakers else {
            return true;
        };
        self.project
            .document(annotation.document)
            .and_then(|d| d.structure.turn_of_span(&d.text, annotation.range.clone()))
            .is_some_and(|(_, turn)| speakers.contains(&turn.speaker))
    }

    /// The selected annotations in export order: document order in the
    /// project, then start, end and id, the same order as the project
    /// file, so rows are stable across runs and machines.
    pub fn annotations(&self) -> Vec<&'a Annotation> {
        let order: HashMap<DocumentId, usize> = self
            .project
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id, i))
            .collect();
        let mut selected: Vec<&Annotation> = self
            .project
            .annotations
            .values()
            .filter(|a| self.includes(a))
            .collect();
        selected.sort_by_key(|a| {
            (
                order.get(&a.document).copied().unwrap_or(usize::MAX),
                a.range.start,
                a.range.end,
                a.id,
            )
        });
        selected
    }
}

/// The codebook as a tree, flattened depth-first: each top-level label
/// followed by its descendants, siblings in codebook order, with their
/// depth (0 for top level). Labels no walk reaches (a missing parent or a
/// cycle, which loading reports) come last at depth 0, so none is lost.
pub fn label_tree(project: &Project) -> Vec<(usize, &Label)> {
    let ids: HashSet<LabelId> = project.labels.iter().map(|l| l.id).collect();
    let mut out = Vec::with_capacity(project.labels.len());
    let mut seen = HashSet::new();
    // Explicit stack of (depth, label), pushed in reverse so siblings come
    // out in codebook order.
    let mut stack: Vec<(usize, &Label)> = project
        .labels
        .iter()
        .filter(|l| l.parent.is_none_or(|p| !ids.contains(&p)))
        .rev()
        .map(|l| (0, l))
        .collect();
    while let Some((depth, label)) = stack.pop() {
        if !seen.insert(label.id) {
            continue;
        }
        out.push((depth, label));
        let children: Vec<&Label> = project.child_labels(Some(label.id)).collect();
        stack.extend(children.into_iter().rev().map(|c| (depth + 1, c)));
    }
    for label in &project.labels {
        if seen.insert(label.id) {
            out.push((0, label));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Color, LabelKind};

    fn label(name: &str, parent: Option<LabelId>) -> Label {
        Label {
            id: LabelId::new(),
            name: name.into(),
            kind: if parent.is_some() {
                LabelKind::Claim
            } else {
                LabelKind::Frame
            },
            color: Color::default(),
            parent,
            description: String::new(),
            key: None,
        }
    }

    #[test]
    fn tree_puts_claims_under_their_frame_even_when_listed_first() {
        let mut project = Project::new("t");
        let a = label("A", None);
        let b = label("B", None);
        let b1 = label("B1", Some(b.id));
        let a1 = label("A1", Some(a.id));
        project.labels = vec![b1.clone(), a.clone(), b.clone(), a1.clone()];
        let names: Vec<(usize, &str)> = label_tree(&project)
            .into_iter()
            .map(|(d, l)| (d, l.name.as_str()))
            .collect();
        assert_eq!(names, vec![(0, "A"), (1, "A1"), (0, "B"), (1, "B1")]);
    }

    #[test]
    fn tree_keeps_labels_caught_in_a_cycle() {
        let mut project = Project::new("t");
        let mut a = label("A", None);
        let b = label("B", Some(a.id));
        a.parent = Some(b.id);
        project.labels = vec![a, b];
        assert_eq!(label_tree(&project).len(), 2);
    }

    #[test]
    fn names_match_case_insensitively_beyond_ascii_and_paths_loosely() {
        assert_eq!(normalize("  PEÑA "), normalize("peña"));
        assert_eq!(
            normalize("Blame>Mexico  doing little"),
            "blame > mexico doing little"
        );
    }

    #[test]
    fn every_unknown_name_is_reported() {
        let mut project = Project::new("t");
        project.labels.push(label("A", None));
        let filter = Filter {
            coders: vec!["Zed".into()],
            labels: vec!["Nope".into(), "a".into()],
            ..Filter::default()
        };
        let message = match filter.resolve(&project) {
            Err(error) => error.to_string(),
            Ok(_) => String::new(),
        };
        assert!(
            message.contains("\"Zed\"") && message.contains("\"Nope\""),
            "{message}"
        );
        assert!(!message.contains("\"a\" in"), "{message}");
    }
}
