//! Writing a project as a `.qdpx`: `project.qde` plus one
//! `sources/<GUID>.txt` per document, zipped in memory and saved
//! atomically. The layout of `project.qde` follows the element order the
//! schema demands (Users, CodeBook, Variables, Cases, Sources, Sets,
//! Description); see the module docs of [`super`] for where attributes,
//! kinds and memos go. Output is deterministic: same project and options,
//! same bytes (sorted selections, GUIDs derived rather than random, no
//! timestamps in the zip).

use super::codebook::{ORIGIN, write_codes, write_kind_sets};
use super::positions::{ExportPositions, source_text};
use super::xml::{self, Writer};
use super::{QdpxOptions, RefiError, display, write_file};
use crate::model::{Annotation, AttributeKind, Document, Project};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use uuid::Uuid;
use zip::write::SimpleFileOptions;

/// Namespace of `project.qde`.
pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";

/// How much of a quote names its selection in other tools' lists.
const SELECTION_NAME_CHARS: usize = 60;

/// Writes `project` as a REFI-QDA project archive at `path`.
pub fn export_qdpx(project: &Project, options: &QdpxOptions, path: &Path) -> Result<(), RefiError> {
    let file = display(path);
    let qde = project_qde(project, options, &file)?;
    let zip_error = |error: zip::result::ZipError| RefiError::Invalid {
        file: file.clone(),
        message: format!("could not build the archive: {error}"),
    };
    let io_error = |source: std::io::Error| RefiError::Io {
        file: file.clone(),
        source,
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("project.qde", deflate).map_err(zip_error)?;
    zip.write_all(qde.as_bytes()).map_err(io_error)?;
    for document in &project.documents {
        zip.start_file(format!("sources/{}", source_file(document)), deflate)
            .map_err(zip_error)?;
        zip.write_all(source_text(&document.text, options.crlf).as_bytes())
            .map_err(io_error)?;
    }
    let bytes = zip.finish().map_err(zip_error)?.into_inner();
    write_file(path, &bytes)
}

/// `<GUID>.txt`, the name of a document's text inside the archive.
fn source_file(document: &Document) -> String {
    format!("{}.txt", xml::guid(document.id.0))
}

/// A timestamp as `xs:dateTime`, or `None` when it cannot be read as one.
fn xs_datetime(text: &str) -> Option<String> {
    if xml::is_xs_datetime(text) {
        return Some(text.to_owned());
    }
    let time = humantime::parse_rfc3339_weak(text.trim()).ok()?;
    Some(humantime::format_rfc3339_seconds(time).to_string())
}

fn coding_guid(annotation: &Annotation) -> Uuid {
    xml::derived_guid(&[b"framecoder coding", annotation.id.0.as_bytes()])
}

fn variable_guid(name: &str) -> Uuid {
    xml::derived_guid(&[b"framecoder attribute", name.as_bytes()])
}

fn case_guid(name: &str, value: &str) -> Uuid {
    xml::derived_guid(&[b"framecoder attribute value", name.as_bytes(), value.as_bytes()])
}

/// What a variable's description says about a choice attribute; the
/// importer reads the list back from it.
pub(super) const CHOICES_HEADER: &str = "Choices:";

fn project_qde(project: &Project, options: &QdpxOptions, file: &str) -> Result<String, RefiError> {
    // Only annotations of documents in the project become selections, so
    // that no reference in the file dangles.
    let exported: Vec<&Annotation> = project
        .annotations
        .values()
        .filter(|a| project.document(a.document).is_some())
        .collect();
    let mut writer = Writer::new();
    let modified = exported.iter().filter_map(|a| xs_datetime(&a.modified)).max();
    let mut root_attrs = vec![
        ("xmlns", PROJECT_NS),
        ("name", project.name.as_str()),
        ("origin", ORIGIN),
    ];
    if let Some(modified) = &modified {
        root_attrs.push(("modifiedDateTime", modified));
    }
    writer.open("Project", &root_attrs);

    if !project.coders.is_empty() {
        writer.open("Users", &[]);
        for coder in &project.coders {
            writer.empty("User", &[("guid", &xml::guid(coder.id.0)), ("name", &coder.name)]);
        }
        writer.close("Users");
    }
    if !project.labels.is_empty() {
        writer.open("CodeBook", &[]);
        writer.open("Codes", &[]);
        write_codes(&mut writer, &project.labels);
        writer.close("Codes");
        writer.close("CodeBook");
    }
    write_attributes(&mut writer, project, &exported);
    if !project.documents.is_empty() {
        writer.open("Sources", &[]);
        for document in &project.documents {
            write_source(&mut writer, document, &exported, options, file)?;
        }
        writer.close("Sources");
    }
    if !project.labels.is_empty() {
        writer.open("Sets", &[]);
        write_kind_sets(&mut writer, &project.labels, "targetGUID");
        writer.close("Sets");
    }
    if !project.memo.is_empty() {
        writer.text("Description", &[], &project.memo);
    }
    writer.close("Project");
    Ok(writer.finish())
}

/// Attribute definitions as `Variables`, values as one `Case` per
/// (attribute, value) with a `SelectionRef` to each annotation carrying it.
fn write_attributes(writer: &mut Writer, project: &Project, exported: &[&Annotation]) {
    let mut names: Vec<&str> = project.attributes.iter().map(|a| a.name.as_str()).collect();
    let used: BTreeSet<&str> = exported
        .iter()
        .flat_map(|a| a.attributes.keys().map(String::as_str))
        .collect();
    names.extend(
        used.into_iter()
            .filter(|n| !project.attributes.iter().any(|a| a.name == *n)),
    );
    if names.is_empty() {
        return;
    }
    writer.open("Variables", &[]);
    for name in &names {
        let guid = xml::guid(variable_guid(name));
        let attrs = [
            ("guid", guid.as_str()),
            ("name", name),
            ("typeOfVariable", "Text"),
        ];
        let choices = project.attributes.iter().find_map(|a| match &a.kind {
            AttributeKind::Choice(choices) if a.name == *name => Some(choices),
            _ => None,
        });
        match choices {
            Some(choices) => {
                writer.open("Variable", &attrs);
                let description = format!("{CHOICES_HEADER}\n{}", choices.join("\n"));
                writer.text("Description", &[], &description);
                writer.close("Variable");
            }
            None => writer.empty("Variable", &attrs),
        }
    }
    writer.close("Variables");

    let mut cases: BTreeMap<(&str, &str), Vec<&Annotation>> = BTreeMap::new();
    for annotation in exported {
        for (name, value) in &annotation.attributes {
            cases.entry((name, value)).or_default().push(annotation);
        }
    }
    if cases.is_empty() {
        return;
    }
    writer.open("Cases", &[]);
    for ((name, value), annotations) in cases {
        let guid = xml::guid(case_guid(name, value));
        let case_name = format!("{name}: {value}");
        writer.open("Case", &[("guid", &guid), ("name", &case_name)]);
        writer.open("VariableValue", &[]);
        writer.empty("VariableRef", &[("targetGUID", &xml::guid(variable_guid(name)))]);
        writer.text("TextValue", &[], value);
        writer.close("VariableValue");
        for annotation in annotations {
            writer.empty("SelectionRef", &[("targetGUID", &xml::guid(annotation.id.0))]);
        }
        writer.close("Case");
    }
    writer.close("Cases");
}

fn write_source(
    writer: &mut Writer,
    document: &Document,
    exported: &[&Annotation],
    options: &QdpxOptions,
    file: &str,
) -> Result<(), RefiError> {
    let guid = xml::guid(document.id.0);
    let path = format!("internal://{}", source_file(document));
    let attrs = [
        ("guid", guid.as_str()),
        ("name", document.name.as_str()),
        ("plainTextPath", path.as_str()),
    ];
    let mut annotations: Vec<&Annotation> = exported
        .iter()
        .copied()
        .filter(|a| a.document == document.id)
        .collect();
    if annotations.is_empty() {
        writer.empty("TextSource", &attrs);
        return Ok(());
    }
    annotations.sort_by_key(|a| (a.range.start, a.range.end, a.id));
    let offsets = annotations
        .iter()
        .flat_map(|a| [a.range.start, a.range.end])
        .collect();
    let positions = ExportPositions::new(&document.text, offsets, options.positions, options.crlf);
    writer.open("TextSource", &attrs);
    for annotation in annotations {
        let (Some(start), Some(end)) = (
            positions.get(annotation.range.start),
            positions.get(annotation.range.end),
        ) else {
            return Err(RefiError::Invalid {
                file: file.to_owned(),
                message: format!(
                    "annotation {}: bytes {}..{} are not char boundaries of document {:?}",
                    annotation.id, annotation.range.start, annotation.range.end, document.name
                ),
            });
        };
        write_selection(writer, annotation, start, end);
    }
    writer.close("TextSource");
    Ok(())
}

fn write_selection(writer: &mut Writer, annotation: &Annotation, start: u64, end: u64) {
    let guid = xml::guid(annotation.id.0);
    let coder = xml::guid(annotation.coder.0);
    let name = selection_name(&annotation.quote);
    let (start, end) = (start.to_string(), end.to_string());
    let created = xs_datetime(&annotation.created);
    let modified = xs_datetime(&annotation.modified);
    let mut attrs = vec![
        ("guid", guid.as_str()),
        ("name", name.as_str()),
        ("startPosition", start.as_str()),
        ("endPosition", end.as_str()),
        ("creatingUser", coder.as_str()),
    ];
    if let Some(created) = &created {
        attrs.push(("creationDateTime", created));
    }
    attrs.push(("modifyingUser", &coder));
    if let Some(modified) = &modified {
        attrs.push(("modifiedDateTime", modified));
    }
    writer.open("PlainTextSelection", &attrs);
    if !annotation.memo.is_empty() {
        writer.text("Description", &[], &annotation.memo);
    }
    let coding = xml::guid(coding_guid(annotation));
    let mut coding_attrs = vec![("guid", coding.as_str()), ("creatingUser", coder.as_str())];
    if let Some(created) = &created {
        coding_attrs.push(("creationDateTime", created));
    }
    writer.open("Coding", &coding_attrs);
    writer.empty("CodeRef", &[("targetGUID", &xml::guid(annotation.label.0))]);
    writer.close("Coding");
    writer.close("PlainTextSelection");
}

/// The start of the quote on one line, as other tools name quotations.
fn selection_name(quote: &str) -> String {
    let words: Vec<&str> = quote.split_whitespace().collect();
    let flat = words.join(" ");
    if flat.chars().count() <= SELECTION_NAME_CHARS {
        return flat;
    }
    let mut name: String = flat.chars().take(SELECTION_NAME_CHARS).collect();
    name.push('…');
    name
}
