//! Reading sources: text sources become documents, their selections'
//! codings annotations. The plain text of PDF sources and the transcripts
//! of audio/video sources are read the same way (they are text sources in
//! the schema); pictures, media and page areas are reported, not imported.
//!
//! Texts are read from the archive first: `internal://` paths resolve to
//! `sources/` (any case), and other paths are looked for there by their
//! file name. A text the archive does not hold is read from disk where its
//! path says (only `.txt` files; see `disk_text`), and reported.

use super::evidence::{Selection, SourceReading};
use super::{Importer, append, note_refs};
use crate::io::MAX_TEXT_BYTES;
use crate::io::refi::positions::ImportedText;
use crate::io::refi::xml::{self, Element};
use crate::io::refi::{RefiError, decode};
use crate::model::{Annotation, AnnotationId, Document, DocumentId, LabelId};
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where an element's text came from.
pub(super) enum Loaded {
    /// The text, and the archive entry it was read from (`None`: inline).
    Text(String, Option<String>),
    /// A path found neither in the archive nor on disk: the path as
    /// written and, in words, where it was looked for.
    Missing(String, String),
    /// Neither inline text nor a plain-text path.
    Nothing,
}

/// Where on disk a source path outside the archive may be, most likely
/// first: `relative://` against the project's `basePath`, then each kind of
/// path next to the `.qdpx` (the folder a colleague sent it in), whole and
/// by its file name. Percent-escapes (`%20`) are decoded.
fn disk_candidates(path: &str, base_path: Option<&str>, dir: Option<&Path>) -> Vec<PathBuf> {
    let decode = |p: &str| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    };
    let strip_scheme = |p: &str| {
        for scheme in ["file://", "absolute://", "relative://"] {
            if let Some(rest) = p.strip_prefix(scheme) {
                return decode(rest);
            }
        }
        decode(p)
    };
    let mut candidates = Vec::new();
    let relative = path
        .strip_prefix("relative://")
        .map(|r| decode(r.trim_start_matches('/')));
    if let Some(relative) = &relative {
        if let Some(base) = base_path.map(str::trim).filter(|b| !b.is_empty()) {
            candidates.push(PathBuf::from(strip_scheme(base)).join(relative));
        }
        if let Some(dir) = dir {
            candidates.push(dir.join(relative));
        }
    } else {
        let plain = strip_scheme(path);
        if Path::new(&plain).is_absolute() {
            candidates.push(PathBuf::from(&plain));
        } else if let Some(dir) = dir {
            candidates.push(dir.join(&plain));
        }
    }
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .map(decode)
        .filter(|n| !n.trim().is_empty());
    if let (Some(dir), Some(name)) = (dir, name) {
        candidates.push(dir.join(name));
    }
    candidates.dedup();
    candidates
}

/// Where a selection's codings go.
struct Placed {
    document: DocumentId,
    range: Range<usize>,
    unconfirmed: bool,
}

/// One coding to turn into an annotation, with where it sits.
struct Coded<'e> {
    source: &'e Element,
    /// `None` for a coding of the whole source.
    selection: Option<&'e Element>,
    coding: &'e Element,
    document: DocumentId,
    range: Range<usize>,
    /// The selection's memo, before the coding's own notes.
    memo: String,
    /// Nothing confirmed the range holds the selection's text.
    unconfirmed: bool,
}

impl Importer {
    /// The plain text of a source, note or transcript element.
    pub(super) fn load_text(&mut self, element: &Element, what: &str) -> Result<Loaded, RefiError> {
        if let Some(content) = element.child_text("PlainTextContent") {
            return Ok(Loaded::Text(content.to_owned(), None));
        }
        let Some(path) = element.attr("plainTextPath").map(str::trim) else {
            return Ok(Loaded::Nothing);
        };
        let Some(rest) = path.strip_prefix("internal://") else {
            // `relative://`, `file://`, `absolute://` or a bare name, as
            // real exports write them: the archive usually holds the text
            // anyway, under `sources/` by its file name; else it sits next
            // to the `.qdpx` or under the project's `basePath`.
            let name = path
                .rsplit(['/', '\\'])
                .next()
                .map(|n| n.trim())
                .filter(|n| !n.is_empty());
            if let Some(entry) = name.and_then(|n| self.internal_entry(n)) {
                let bytes = self.zip.read(&entry)?;
                let text = decode(&self.file, &entry, bytes)?;
                return Ok(Loaded::Text(text, Some(entry)));
            }
            return self.disk_text(path, what);
        };
        let Some(entry) = self.internal_entry(rest) else {
            return Err(RefiError::Entry {
                file: self.file.clone(),
                entry: format!("sources/{rest}"),
                message: format!("missing from the archive (the text of {what})"),
            });
        };
        let bytes = self.zip.read(&entry)?;
        let text = decode(&self.file, &entry, bytes)?;
        Ok(Loaded::Text(text, Some(entry)))
    }

    /// A text the archive does not hold, read from where `path` says on
    /// disk. Only regular `.txt` files up to [`MAX_TEXT_BYTES`] are read: a
    /// `.qdpx` from elsewhere must not pull arbitrary files of this machine
    /// into a project that is then shared. Each read is reported.
    fn disk_text(&mut self, path: &str, what: &str) -> Result<Loaded, RefiError> {
        let candidates = disk_candidates(path, self.base_path.as_deref(), self.dir.as_deref());
        for candidate in &candidates {
            let is_txt = candidate
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
            let Ok(meta) = std::fs::metadata(candidate) else {
                continue;
            };
            if !is_txt || !meta.is_file() || meta.len() > MAX_TEXT_BYTES {
                continue;
            }
            let shown = candidate.display().to_string();
            let bytes = std::fs::read(candidate).map_err(|source| RefiError::Io {
                file: shown.clone(),
                source,
            })?;
            let text = decode(&self.file, &shown, bytes)?;
            self.report.push(format!(
                "{what}: its text {path} is not in the archive; read from {shown}"
            ));
            return Ok(Loaded::Text(text, Some(format!("file:{shown}"))));
        }
        let mut looked = "in the archive under sources/, Sources/ and at the top by its file name".to_owned();
        if !candidates.is_empty() {
            let paths: Vec<String> = candidates.iter().map(|c| c.display().to_string()).collect();
            looked.push_str(&format!(
                ", and on disk at {} (only .txt files are read)",
                paths.join(", ")
            ));
        }
        Ok(Loaded::Missing(path.to_owned(), looked))
    }

    /// The archive entry an `internal://` path names: `sources/NAME` as the
    /// standard says (any case), else `NAME` at the top.
    fn internal_entry(&self, rest: &str) -> Option<String> {
        let rest = rest.trim_start_matches('/');
        self.zip
            .find(&format!("sources/{rest}"))
            .or_else(|| self.zip.find(rest))
            .map(str::to_owned)
    }

    pub(super) fn read_sources(&mut self, sources: Option<&Element>) -> Result<(), RefiError> {
        let Some(sources) = sources else {
            return Ok(());
        };
        // Text sources first: media transcripts may share their files.
        for source in sources.all("TextSource") {
            let name = source_name(source, "source");
            self.text_source(source, name)?;
        }
        for source in &sources.children {
            let name = source_name(source, "source");
            match source.name.as_str() {
                "TextSource" => {}
                "PDFSource" => {
                    let areas = source.all("PDFSelection").count();
                    let text = match source.first("Representation") {
                        Some(representation) => self.text_source(representation, name.clone())?,
                        None => None,
                    };
                    let what = match text {
                        Some(_) => "imported its plain-text representation as a document; not imported",
                        None => "not imported",
                    };
                    self.report.push(format!(
                        "PDF source {name:?}: {what}: the PDF itself and {areas} page-area selection(s)"
                    ));
                }
                "PictureSource" => {
                    let areas = source.all("PictureSelection").count();
                    self.report.push(format!(
                        "not imported: picture source {name:?} and its {areas} selection(s)"
                    ));
                }
                "AudioSource" | "VideoSource" => self.media_source(source, &name)?,
                other => self.report.push(format!("not imported: <{other}> {name:?}")),
            }
        }
        Ok(())
    }

    /// Audio/video: the media and its time selections stay behind; each
    /// transcript becomes a document unless its text is already one.
    fn media_source(&mut self, source: &Element, name: &str) -> Result<(), RefiError> {
        let kind = if source.name == "AudioSource" {
            "audio"
        } else {
            "video"
        };
        let selections = source
            .children
            .iter()
            .filter(|c| c.name.ends_with("Selection"))
            .count();
        let mut transcripts = Vec::new();
        for transcript in source.all("Transcript") {
            let shared = transcript
                .attr("plainTextPath")
                .and_then(|p| p.trim().strip_prefix("internal://"))
                .and_then(|rest| self.internal_entry(rest))
                .and_then(|entry| self.texts.get(&entry).copied());
            let document = match shared {
                Some(document) => Some(document),
                None => self.text_source(transcript, source_name(transcript, name))?,
            };
            let timed = transcript.all("TranscriptSelection").count();
            if let Some(document) = document.and_then(|d| self.project.document(d)) {
                transcripts.push(format!("{:?}", document.name));
            }
            if timed > 0 {
                self.report.push(format!(
                    "not imported: {timed} time-synchronised selection(s) of a transcript of {name:?}"
                ));
            }
        }
        let transcripts = if transcripts.is_empty() {
            String::new()
        } else {
            format!("; its transcript is document {}", transcripts.join(", "))
        };
        self.report.push(format!(
            "not imported: {kind} source {name:?} (the media and {selections} selection(s)){transcripts}"
        ));
        Ok(())
    }

    /// Imports one text source as a document with its codings; `None` when
    /// its text is not in the archive (reported).
    fn text_source(&mut self, source: &Element, name: String) -> Result<Option<DocumentId>, RefiError> {
        let what = format!("source {name:?}");
        let (raw, entry) = match self.load_text(source, &what)? {
            Loaded::Text(text, entry) => (text, entry),
            Loaded::Missing(path, looked) => {
                self.report.push(format!(
                    "not imported: {what}: its text {path} was not found (looked {looked})"
                ));
                return Ok(None);
            }
            Loaded::Nothing => {
                self.report
                    .push(format!("not imported: {what}: it has no plain text"));
                return Ok(None);
            }
        };
        let mut selections = Vec::new();
        for element in source.all("PlainTextSelection") {
            let parse = |attr: &str| element.attr(attr).and_then(|v| v.trim().parse::<u64>().ok());
            match (parse("startPosition"), parse("endPosition")) {
                (Some(start), Some(end)) => selections.push(Selection { element, start, end }),
                _ => self.report.push(format!(
                    "not imported: {} in {what}: positions {:?}..{:?} are not numbers of characters",
                    selection_label(element),
                    element.attr("startPosition").unwrap_or(""),
                    element.attr("endPosition").unwrap_or("")
                )),
            }
        }
        let positions: Vec<u64> = selections.iter().flat_map(|s| [s.start, s.end]).collect();
        let mut reading = SourceReading::decide(&raw, &positions, &selections, self.options.positions);
        if let Some(line) = reading.report(&what) {
            self.report.push(line);
        }
        let id = xml::parse_guid(source.attr("guid").unwrap_or(""))
            .map(DocumentId)
            .filter(|id| self.project.document(*id).is_none())
            .unwrap_or_default();
        let text_len = reading.text.text.len();
        let text: Arc<str> = Arc::from(reading.text.text.as_str());
        let document = Document::new(id, name.clone(), text, Some(self.file.clone()));
        self.project.documents.push(document);
        if let Some(entry) = entry {
            self.texts.insert(entry, id);
        }
        for selection in &selections {
            let Some(range) = self.selection_range(selection, &reading.text, text_len, &what) else {
                continue;
            };
            let place = format!(
                "{} in {what} (positions {}..{})",
                selection_label(selection.element),
                selection.start,
                selection.end
            );
            let checked = reading.check(selection, range, &place);
            if let Some(note) = checked.note {
                self.report.push(note);
            }
            let placed = Placed {
                document: id,
                range: checked.range,
                unconfirmed: checked.unconfirmed,
            };
            self.codings(source, selection.element, placed, &what);
        }
        self.source_extras(source, id, &name, text_len);
        Ok(Some(id))
    }

    /// The byte range of a selection, reporting what had to be adjusted.
    fn selection_range(
        &mut self,
        selection: &Selection<'_>,
        text: &ImportedText,
        text_len: usize,
        what: &str,
    ) -> Option<Range<usize>> {
        let label = selection_label(selection.element);
        let place = format!(
            "{label} in {what} (positions {}..{})",
            selection.start, selection.end
        );
        if selection.start > selection.end {
            self.report
                .push(format!("not imported: {place}: it ends before it starts"));
            return None;
        }
        let Some((start, exact_start)) = text.get(selection.start) else {
            self.report.push(format!(
                "not imported: {place}: it starts past the end of the text"
            ));
            return None;
        };
        let (end, exact_end) = match text.get(selection.end) {
            Some(found) => found,
            None => {
                self.report.push(format!(
                    "{place}: it runs past the end of the text; cut at the end"
                ));
                (text_len, true)
            }
        };
        if !exact_start || !exact_end {
            self.report.push(format!(
                "{place}: a position falls inside a character; moved to its end"
            ));
        }
        if start >= end {
            self.report
                .push(format!("{place}: it is empty; kept as an empty span"));
        }
        Some(start..end.max(start))
    }

    /// One annotation per coding of a selection.
    fn codings(&mut self, source: &Element, selection: &Element, placed: Placed, what: &str) {
        let codings: Vec<&Element> = selection.all("Coding").collect();
        if codings.is_empty() {
            let memo = if selection
                .child_text("Description")
                .is_some_and(|d| !d.trim().is_empty())
            {
                " (its memo is lost with it)"
            } else {
                ""
            };
            self.report.push(format!(
                "not imported: {} in {what} has no coding{memo}",
                selection_label(selection)
            ));
            return;
        }
        let mut memo = String::new();
        if let Some(description) = selection.child_text("Description").filter(|d| !d.is_empty()) {
            memo.push_str(description);
        }
        let notes: Vec<String> = note_refs(selection).collect();
        let texts = self.take_notes(notes.iter().map(String::as_str));
        append(&mut memo, &texts);
        let single = codings.len() == 1;
        let ids: Vec<AnnotationId> = codings
            .into_iter()
            .filter_map(|coding| {
                let preferred = if single {
                    selection.attr("guid")
                } else {
                    coding.attr("guid")
                };
                let coded = Coded {
                    source,
                    selection: Some(selection),
                    coding,
                    document: placed.document,
                    range: placed.range.clone(),
                    memo: memo.clone(),
                    unconfirmed: placed.unconfirmed,
                };
                self.annotate(coded, preferred, what)
            })
            .collect();
        let key = xml::guid_key(selection.attr("guid").unwrap_or(""));
        self.selections.entry(key).or_default().extend(ids);
    }

    /// Makes the annotation for one coding; `None` (reported) when its code
    /// is unknown.
    fn annotate(&mut self, coded: Coded<'_>, preferred_id: Option<&str>, what: &str) -> Option<AnnotationId> {
        let attr = |name: &str| coded.selection.and_then(|s| s.attr(name));
        let Some(label) = self.code_of(coded.coding) else {
            let place = coded
                .selection
                .map_or_else(|| "the whole source".to_owned(), selection_label);
            self.report.push(format!(
                "not imported: a coding of {place} in {what} refers to a code that is not in the codebook"
            ));
            return None;
        };
        let coder = self.coder(&[
            coded.coding.attr("creatingUser"),
            attr("creatingUser"),
            coded.source.attr("creatingUser"),
        ]);
        let created = timestamp(coded.coding.attr("creationDateTime"))
            .or_else(|| timestamp(attr("creationDateTime")))
            .unwrap_or_else(|| self.now.clone());
        let modified = timestamp(attr("modifiedDateTime")).unwrap_or_else(|| created.clone());
        let mut memo = coded.memo;
        let notes: Vec<String> = note_refs(coded.coding).collect();
        let texts = self.take_notes(notes.iter().map(String::as_str));
        append(&mut memo, &texts);
        let id = self.annotation_id(preferred_id);
        let quote = self
            .project
            .document(coded.document)
            .map(|d| d.slice(coded.range.clone()).to_owned())
            .unwrap_or_default();
        self.project.annotations.insert(
            id,
            Annotation {
                id,
                document: coded.document,
                label,
                coder,
                range: coded.range,
                quote,
                memo,
                attributes: BTreeMap::new(),
                created,
                modified,
                unconfirmed: coded.unconfirmed,
            },
        );
        Some(id)
    }

    fn code_of(&self, coding: &Element) -> Option<LabelId> {
        let target = coding.first("CodeRef")?.attr("targetGUID")?;
        self.codes.get(&xml::guid_key(target)).copied()
    }

    /// The GUID as an annotation id when it is one and still free.
    fn annotation_id(&self, guid: Option<&str>) -> AnnotationId {
        guid.and_then(xml::parse_guid)
            .map(AnnotationId)
            .filter(|id| !self.project.annotations.contains_key(id))
            .unwrap_or_default()
    }

    /// What a source carries besides selections: codings of the whole
    /// source (kept as spans over the whole text), its description and
    /// notes (to the project memo), variable values (reported).
    fn source_extras(&mut self, source: &Element, document: DocumentId, name: &str, text_len: usize) {
        let whole: Vec<&Element> = source.all("Coding").collect();
        if !whole.is_empty() {
            let what = format!("source {name:?}");
            for coding in whole {
                let coded = Coded {
                    source,
                    selection: None,
                    coding,
                    document,
                    range: 0..text_len,
                    memo: String::new(),
                    unconfirmed: false,
                };
                self.annotate(coded, coding.attr("guid"), &what);
            }
            self.report.push(format!(
                "{what}: codings of the whole source were imported as spans over its whole text"
            ));
        }
        let mut parts = Vec::new();
        if let Some(description) = source.child_text("Description").filter(|d| !d.trim().is_empty()) {
            parts.push(description.to_owned());
        }
        let notes: Vec<String> = note_refs(source).collect();
        parts.extend(self.take_notes(notes.iter().map(String::as_str)));
        if !parts.is_empty() {
            self.memo
                .push(format!("Document {name:?}:\n{}", parts.join("\n\n")));
            self.report.push(format!(
                "source {name:?}: its description/notes were added to the project memo"
            ));
        }
        let mut variables = HashSet::new();
        for value in source.all("VariableValue") {
            if let Some(target) = value.first("VariableRef").and_then(|r| r.attr("targetGUID")) {
                variables.insert(xml::guid_key(target));
            }
        }
        if !variables.is_empty() {
            self.report.push(format!(
                "not imported: {} variable value(s) of source {name:?}",
                variables.len()
            ));
            self.source_variables.extend(variables);
        }
    }
}

/// A source's name, else the name of the file it refers to, else `fallback`.
fn source_name(source: &Element, fallback: &str) -> String {
    let name = source.attr("name").map(str::trim).unwrap_or("");
    if !name.is_empty() {
        return name.to_owned();
    }
    ["plainTextPath", "path"]
        .into_iter()
        .filter_map(|a| source.attr(a))
        .filter_map(|p| p.rsplit('/').next())
        .find(|p| !p.is_empty())
        .unwrap_or(fallback)
        .to_owned()
}

/// How a selection is named in the report.
fn selection_label(selection: &Element) -> String {
    match selection.attr("name").map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => format!("selection {name:?}"),
        None => format!("selection {}", selection.attr("guid").unwrap_or("without GUID")),
    }
}

/// An `xs:dateTime` as our RFC 3339 timestamps (UTC assumed when the file
/// gives no zone), or `None` when absent or not a date.
fn timestamp(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    if !xml::is_xs_datetime(text) {
        return None;
    }
    Some(if xml::has_zone(text) {
        text.to_owned()
    } else {
        format!("{text}Z")
    })
}
