//! Reading a `.qdpx` into a fresh project.
//!
//! The archive is opened through [`SafeZip`] (no `../`, no bombs, no
//! duplicates) and `project.qde` parsed into a tree; then users, codes,
//! notes and variables are read first, because sources, selections and
//! cases refer to them. Anything our model has no place for is reported,
//! one line each, in [`QdpxImport::report`]: the researcher must be able to
//! see what stayed behind. Text sources and their selections are read in
//! [`sources`].

mod evidence;
mod sources;

use super::PositionUnit;
use super::codebook::{read_codes, split_sets};
use super::export::CHOICES_HEADER;
use super::positions::ImportedText;
use super::xml::{self, Element};
use super::{QdpxImport, QdpxImportOptions, RefiError, decode, display, xml_error};
use crate::io::zipsafe::SafeZip;
use crate::model::text::natural_cmp;
use crate::model::{AnnotationId, AttributeDef, AttributeKind, Coder, CoderId, DocumentId, Project};
use sources::Loaded;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Reads the `.qdpx` at `path` (positions in code points, default limits).
pub fn import_qdpx(path: &Path) -> Result<QdpxImport, RefiError> {
    import_qdpx_with(path, &QdpxImportOptions::default())
}

/// Reads the `.qdpx` at `path` with the given position unit and archive
/// limits.
pub fn import_qdpx_with(path: &Path, options: &QdpxImportOptions) -> Result<QdpxImport, RefiError> {
    let file = display(path);
    let mut zip = SafeZip::open_with(path, options.limits)?;
    let entry = project_entry(&zip, &file)?;
    let bytes = zip.read(&entry)?;
    let text = decode(&file, &entry, bytes)?;
    let root = xml::parse(&text).map_err(|e| xml_error(&file, Some(&entry), &text, e.pos, e.message))?;
    if root.name != "Project" {
        return Err(xml_error(
            &file,
            Some(&entry),
            &text,
            root.pos,
            format!("the root element is <{}>, not a REFI <Project>", root.name),
        ));
    }
    let mut importer = Importer {
        file,
        zip,
        options: *options,
        project: Project::new(root.attr("name").unwrap_or("").trim()),
        report: Vec::new(),
        users: HashMap::new(),
        codes: HashMap::new(),
        notes: HashMap::new(),
        used_notes: HashSet::new(),
        selections: HashMap::new(),
        texts: HashMap::new(),
        fallback_coder: None,
        source_variables: HashSet::new(),
        project_user: root.attr("creatingUserGUID").map(str::to_owned),
        dir: std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf)),
        base_path: root.attr("basePath").map(str::to_owned),
        now: crate::model::now_rfc3339(),
        memo: Vec::new(),
    };
    importer.run(&root)?;
    Ok(QdpxImport {
        project: importer.project,
        report: importer.report,
    })
}

/// `project.qde` (any case), else the one `.qde` at the top of the archive.
fn project_entry(zip: &SafeZip, file: &str) -> Result<String, RefiError> {
    if let Some(name) = zip.find("project.qde") {
        return Ok(name.to_owned());
    }
    let top_level: Vec<&str> = zip
        .names()
        .filter(|n| !n.contains('/') && n.to_ascii_lowercase().ends_with(".qde"))
        .collect();
    match top_level.as_slice() {
        [one] => Ok((*one).to_owned()),
        _ => Err(RefiError::Entry {
            file: file.to_owned(),
            entry: "project.qde".into(),
            message: "missing: this is not a REFI-QDA project archive".into(),
        }),
    }
}

/// A note (memo) of the source tool, waiting to be attached.
struct Note {
    name: String,
    text: String,
}

/// The state of one import.
struct Importer {
    file: String,
    zip: SafeZip,
    options: QdpxImportOptions,
    project: Project,
    report: Vec<String>,
    /// User GUID key → coder.
    users: HashMap<String, CoderId>,
    /// Code GUID key → label.
    codes: HashMap<String, crate::model::LabelId>,
    notes: HashMap<String, Note>,
    used_notes: HashSet<String>,
    /// Selection GUID key → the annotations made from its codings.
    selections: HashMap<String, Vec<AnnotationId>>,
    /// Archive entry → the document read from it, so a text shared by a
    /// source and a media transcript is imported once.
    texts: HashMap<String, DocumentId>,
    /// The coder for codings that name none.
    fallback_coder: Option<CoderId>,
    /// GUID keys of variables that sources (not segments) carry values of.
    source_variables: HashSet<String>,
    project_user: Option<String>,
    /// The folder of the `.qdpx` and the project's `basePath`, where texts
    /// named outside the archive are looked for.
    dir: Option<std::path::PathBuf>,
    base_path: Option<String>,
    /// One timestamp for everything the file leaves undated.
    now: String,
    /// Parts of the project memo, joined at the end.
    memo: Vec<String>,
}

impl Importer {
    fn run(&mut self, root: &Element) -> Result<(), RefiError> {
        self.read_users(root.first("Users"));
        self.read_notes(root.first("Notes"))?;
        let (kinds, other_sets) = split_sets(root.first("Sets"), "targetGUID");
        let read = read_codes(root.first("CodeBook").and_then(|c| c.first("Codes")), &kinds);
        self.report.extend(read.report);
        self.codes = read.by_guid;
        self.project.labels = read.labels;
        for (label, notes) in read.note_refs {
            let texts = self.take_notes(notes.iter().map(String::as_str));
            if let Some(target) = self.project.labels.iter_mut().find(|l| l.id == label) {
                append(&mut target.description, &texts);
            }
        }
        if let Some(description) = root.child_text("Description") {
            self.memo.push(description.to_owned());
        }
        let project_notes: Vec<String> = note_refs(root).collect();
        let texts = self.take_notes(project_notes.iter().map(String::as_str));
        self.memo.extend(texts);

        self.read_sources(root.first("Sources"))?;
        self.read_attributes(root.first("Variables"), root.first("Cases"));

        for set in other_sets {
            let members = set
                .children
                .iter()
                .filter(|c| c.name.starts_with("Member"))
                .count();
            self.report.push(format!(
                "not imported: set {:?} ({members} member(s))",
                set.attr("name").unwrap_or("")
            ));
        }
        for (section, item) in [("Links", "link"), ("Graphs", "graph")] {
            if let Some(element) = root.first(section) {
                self.report
                    .push(format!("not imported: {} {item}(s)", element.children.len()));
            }
        }
        self.leftover_notes();
        self.project.memo = self.memo.join("\n\n");
        Ok(())
    }

    fn read_users(&mut self, users: Option<&Element>) {
        for (n, user) in users.into_iter().flat_map(|u| u.all("User")).enumerate() {
            let raw = user.attr("guid").unwrap_or("");
            let key = xml::guid_key(raw);
            if self.users.contains_key(&key) {
                self.report
                    .push(format!("user GUID {raw} is listed twice; the first is kept"));
                continue;
            }
            let id = xml::parse_guid(raw).map_or_else(CoderId::new, CoderId);
            let name = [user.attr("name"), user.attr("id")]
                .into_iter()
                .flatten()
                .map(str::trim)
                .find(|n| !n.is_empty())
                .map_or_else(|| format!("User {}", n + 1), str::to_owned);
            self.project.coders.push(Coder { id, name });
            self.users.insert(key, id);
        }
    }

    /// The coder for the first of `candidates` (GUIDs of users) that is
    /// given. A GUID not among the users becomes a coder of its own; a
    /// coding with no user at all goes to one "Unknown coder".
    fn coder(&mut self, candidates: &[Option<&str>]) -> CoderId {
        let project_user = self.project_user.clone();
        let chosen = candidates
            .iter()
            .copied()
            .flatten()
            .chain(project_user.as_deref())
            .find(|g| !g.trim().is_empty());
        if let Some(raw) = chosen {
            let key = xml::guid_key(raw);
            if let Some(&id) = self.users.get(&key) {
                return id;
            }
            let id = xml::parse_guid(raw)
                .map(CoderId)
                .filter(|id| self.project.coder(*id).is_none())
                .unwrap_or_default();
            let name = format!("User {}", raw.trim());
            self.report.push(format!(
                "user {raw} is not listed under <Users>; imported as coder {name:?}"
            ));
            self.project.coders.push(Coder { id, name });
            self.users.insert(key, id);
            return id;
        }
        if let Some(id) = self.fallback_coder {
            return id;
        }
        let id = CoderId::new();
        self.project.coders.push(Coder {
            id,
            name: "Unknown coder".into(),
        });
        self.report
            .push("codings without a creating user were given to coder \"Unknown coder\"".into());
        self.fallback_coder = Some(id);
        id
    }

    fn read_notes(&mut self, notes: Option<&Element>) -> Result<(), RefiError> {
        for note in notes.into_iter().flat_map(|n| n.all("Note")) {
            let name = note.attr("name").unwrap_or("").trim().to_owned();
            let what = format!("note {name:?}");
            let mut parts = Vec::new();
            if let Some(description) = note.child_text("Description").filter(|d| !d.trim().is_empty()) {
                parts.push(description.to_owned());
            }
            match self.load_text(note, &what)? {
                Loaded::Text(text, _) => {
                    let text = ImportedText::new(&text, Vec::new(), PositionUnit::CodePoints).text;
                    if !text.trim().is_empty() {
                        parts.push(text);
                    }
                }
                Loaded::Missing(path, looked) => self.report.push(format!(
                    "not imported: the text of {what}: {path} was not found (looked {looked})"
                )),
                Loaded::Nothing => {}
            }
            let selections = note.all("PlainTextSelection").count();
            if selections > 0 {
                self.report
                    .push(format!("not imported: {selections} selection(s) inside {what}"));
            }
            let key = xml::guid_key(note.attr("guid").unwrap_or(""));
            self.notes.insert(
                key,
                Note {
                    name,
                    text: parts.join("\n\n"),
                },
            );
        }
        Ok(())
    }

    /// The texts of the notes with these GUID keys, marked as used.
    fn take_notes<'k>(&mut self, keys: impl Iterator<Item = &'k str>) -> Vec<String> {
        let mut texts = Vec::new();
        for key in keys {
            if let Some(note) = self.notes.get(key) {
                self.used_notes.insert(key.to_owned());
                if !note.text.is_empty() {
                    texts.push(note.text.clone());
                }
            }
        }
        texts
    }

    /// Notes attached to nothing we import go to the project memo, under
    /// their name, so their words survive.
    fn leftover_notes(&mut self) {
        let mut leftovers: Vec<(&String, &Note)> = self
            .notes
            .iter()
            .filter(|(key, _)| !self.used_notes.contains(*key))
            .collect();
        leftovers.sort_by(|a, b| natural_cmp(&a.1.name, &b.1.name).then_with(|| a.0.cmp(b.0)));
        for (_, note) in leftovers {
            self.memo.push(format!("Note {:?}:\n{}", note.name, note.text));
            self.report.push(format!(
                "note {:?} is attached to nothing imported; added to the project memo",
                note.name
            ));
        }
    }

    /// Variables become attribute definitions when they describe coded
    /// segments; cases holding a value and selection references give that
    /// value to the annotations of those selections.
    fn read_attributes(&mut self, variables: Option<&Element>, cases: Option<&Element>) {
        // GUID key → (name, choices).
        let mut defs: HashMap<String, (String, Option<Vec<String>>)> = HashMap::new();
        let mut order = Vec::new();
        for variable in variables.into_iter().flat_map(|v| v.all("Variable")) {
            let key = xml::guid_key(variable.attr("guid").unwrap_or(""));
            let name = match variable.attr("name").map(str::trim) {
                Some(name) if !name.is_empty() => name.to_owned(),
                _ => "(unnamed variable)".to_owned(),
            };
            let choices = variable
                .child_text("Description")
                .and_then(|d| d.trim_start().strip_prefix(CHOICES_HEADER))
                .map(|rest| {
                    rest.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect()
                });
            order.push(key.clone());
            defs.insert(key, (name, choices));
        }
        let mut used: HashSet<String> = HashSet::new();
        let mut values: BTreeMap<AnnotationId, Vec<(String, String)>> = BTreeMap::new();
        for case in cases.into_iter().flat_map(|c| c.all("Case")) {
            let name = case.attr("name").unwrap_or("");
            let refs: Vec<&str> = case
                .all("SelectionRef")
                .filter_map(|s| s.attr("targetGUID"))
                .collect();
            let annotations: Vec<AnnotationId> = refs
                .iter()
                .flat_map(|r| {
                    self.selections
                        .get(&xml::guid_key(r))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect();
            let others = case
                .children
                .iter()
                .filter(|c| matches!(c.name.as_str(), "SourceRef" | "CodeRef"))
                .count();
            if annotations.is_empty() {
                self.report.push(format!(
                    "not imported: case {name:?} (it refers to no imported coded segment)"
                ));
            } else if others > 0 {
                self.report.push(format!(
                    "case {name:?}: its values were given to {} annotation(s); \
                     not imported: its {others} source/code reference(s)",
                    annotations.len()
                ));
            }
            for value in case.all("VariableValue") {
                let key = value
                    .first("VariableRef")
                    .and_then(|r| r.attr("targetGUID"))
                    .map(xml::guid_key)
                    .unwrap_or_default();
                let Some((variable, _)) = defs.get(&key) else {
                    self.report.push(format!(
                        "case {name:?}: a value refers to an unknown variable; not imported"
                    ));
                    continue;
                };
                let text = [
                    "TextValue",
                    "BooleanValue",
                    "IntegerValue",
                    "FloatValue",
                    "DateValue",
                    "DateTimeValue",
                ]
                .into_iter()
                .find_map(|tag| value.child_text(tag))
                .unwrap_or("")
                .to_owned();
                if !annotations.is_empty() {
                    used.insert(key.clone());
                }
                for &annotation in &annotations {
                    values
                        .entry(annotation)
                        .or_default()
                        .push((variable.clone(), text.clone()));
                }
            }
        }
        for key in order {
            let Some((name, choices)) = defs.get(&key) else {
                continue;
            };
            let keep = used.contains(&key) || choices.is_some() || !self.source_variables.contains(&key);
            if !keep || self.project.attributes.iter().any(|a| &a.name == name) {
                continue;
            }
            self.project.attributes.push(AttributeDef {
                name: name.clone(),
                kind: choices.clone().map_or(AttributeKind::Text, AttributeKind::Choice),
            });
        }
        for (id, pairs) in values {
            if let Some(annotation) = self.project.annotations.get_mut(&id) {
                annotation.attributes.extend(pairs);
            }
        }
    }
}

/// GUID keys of the `NoteRef`s directly inside `element`.
fn note_refs(element: &Element) -> impl Iterator<Item = String> + '_ {
    element
        .all("NoteRef")
        .filter_map(|n| n.attr("targetGUID"))
        .map(xml::guid_key)
}

/// Appends `texts` to `memo`, a blank line between parts.
fn append(memo: &mut String, texts: &[String]) {
    for text in texts {
        if !memo.is_empty() {
            memo.push_str("\n\n");
        }
        memo.push_str(text);
    }
}
