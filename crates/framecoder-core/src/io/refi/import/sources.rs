//! Reading sources: text sources become documents, their selections'
//! codings annotations. The plain text of PDF sources and the transcripts
//! of audio/video sources are read the same way (they are text sources in
//! the schema); pictures, media and page areas are reported, not imported.
//!
//! Texts are read from the archive only: `internal://` paths resolve to
//! `sources/` (any case) and nothing outside the zip is ever opened.

use super::{Importer, append, note_refs};
use crate::io::refi::positions::ImportedText;
use crate::io::refi::xml::{self, Element};
use crate::io::refi::{PositionUnit, RefiError, decode};
use crate::model::{Annotation, AnnotationId, Document, DocumentId, LabelId};
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

/// Where an element's text came from.
pub(super) enum Loaded {
    /// The text, and the archive entry it was read from (`None`: inline).
    Text(String, Option<String>),
    /// A `relative://`/`absolute://` path we do not follow.
    Outside(String),
    /// Neither inline text nor a plain-text path.
    Nothing,
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
}

/// A selection with positions that parse.
struct Selection<'e> {
    element: &'e Element,
    start: u64,
    end: u64,
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
            // anyway, under `sources/` by its file name.
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
            return Ok(Loaded::Outside(path.to_owned()));
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
            Loaded::Outside(path) => {
                self.report.push(format!(
                    "not imported: {what}: its text {path} is not in the archive (looked for it under sources/, Sources/ and at the top by its file name); files outside the archive are not read"
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
        let unit = match self.options.positions {
            Some(unit) => unit,
            None => {
                let evidence = decide_unit(&raw, &positions, &selections);
                if let Some(line) = evidence.report(&what) {
                    self.report.push(line);
                }
                evidence.unit
            }
        };
        let imported = ImportedText::new(&raw, positions, unit);
        let id = xml::parse_guid(source.attr("guid").unwrap_or(""))
            .map(DocumentId)
            .filter(|id| self.project.document(*id).is_none())
            .unwrap_or_default();
        let text_len = imported.text.len();
        let text: Arc<str> = Arc::from(imported.text.as_str());
        let document = Document::new(id, name.clone(), text, Some(self.file.clone()));
        self.project.documents.push(document);
        if let Some(entry) = entry {
            self.texts.insert(entry, id);
        }
        for selection in &selections {
            let Some(range) = self.selection_range(selection, &imported, text_len, &what) else {
                continue;
            };
            self.codings(source, selection.element, id, range, &what);
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
    fn codings(
        &mut self,
        source: &Element,
        selection: &Element,
        document: DocumentId,
        range: Range<usize>,
        what: &str,
    ) {
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
                    document,
                    range: range.clone(),
                    memo: memo.clone(),
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

/// What a source's positions count, decided from the evidence the file
/// carries, and how well it held.
struct UnitEvidence {
    unit: PositionUnit,
    /// Selections whose `name` (the start of their text, as framecoder and
    /// other tools write it) matches the text at their positions.
    confirmed: usize,
    /// Selections with a name to check.
    named: usize,
}

impl UnitEvidence {
    /// A report line when the reading is not the standard's plain one:
    /// UTF-16 was chosen, or some names did not match.
    fn report(&self, what: &str) -> Option<String> {
        let unit = match self.unit {
            PositionUnit::CodePoints => "code points",
            PositionUnit::Utf16 => "UTF-16 code units",
        };
        (self.unit != PositionUnit::CodePoints || self.confirmed < self.named).then(|| {
            format!(
                "{what}: positions read as {unit} ({} of {} selection names match the text there)",
                self.confirmed, self.named
            )
        })
    }
}

/// Reads the positions both ways (code points, the standard's unit, and
/// UTF-16 code units, which some tools count) and keeps the reading under
/// which more selections' names match their text; then the one with fewer
/// positions past the end; code points on a tie. A file whose text has no
/// characters outside the Basic Multilingual Plane reads the same both ways.
fn decide_unit(raw: &str, positions: &[u64], selections: &[Selection<'_>]) -> UnitEvidence {
    let score = |unit: PositionUnit| {
        let text = ImportedText::new(raw, positions.to_vec(), unit);
        let mut confirmed = 0;
        let mut named = 0;
        let mut outside = 0;
        for selection in selections {
            let range = match (text.get(selection.start), text.get(selection.end)) {
                (Some((start, _)), Some((end, _))) if start <= end => Some(start..end),
                _ => {
                    outside += 1;
                    None
                }
            };
            let Some(name) = selection
                .element
                .attr("name")
                .map(|n| n.trim().trim_end_matches('…').trim())
                .filter(|n| !n.is_empty())
            else {
                continue;
            };
            named += 1;
            let quote = range
                .and_then(|r| text.text.get(r))
                .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            if !quote.is_empty() && (quote.starts_with(name) || name.starts_with(quote.as_str())) {
                confirmed += 1;
            }
        }
        (confirmed, named, outside)
    };
    let (points, named, points_outside) = score(PositionUnit::CodePoints);
    if !raw.chars().any(|c| c.len_utf16() > 1) {
        return UnitEvidence {
            unit: PositionUnit::CodePoints,
            confirmed: points,
            named,
        };
    }
    let (utf16, _, utf16_outside) = score(PositionUnit::Utf16);
    let unit = if utf16 > points || (utf16 == points && utf16_outside < points_outside) {
        PositionUnit::Utf16
    } else {
        PositionUnit::CodePoints
    };
    UnitEvidence {
        unit,
        confirmed: if unit == PositionUnit::Utf16 {
            utf16
        } else {
            points
        },
        named,
    }
}
