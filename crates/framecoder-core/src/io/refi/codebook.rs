//! The codebook in REFI terms: our labels as nested `Code` elements, in a
//! `.qdpx`'s `CodeBook` or alone in a `.qdc` file.
//!
//! REFI codes have no kind. Ours go into two `Set`s, "Frames" and "Claims",
//! whose GUIDs are fixed (derived from their names), so that another tool
//! shows them as ordinary code sets and we recognise them on the way back
//! even if renamed. Codes from a tool that wrote no such sets get a kind
//! from their place: top-level codes are frames, nested ones claims.
//! Shortcut keys are a framecoder preference and are not written here.

use super::xml::{self, Element, Writer};
use super::{RefiError, decode, display, write_file, xml_error};
use crate::model::{Color, Label, LabelId, LabelKind, Project};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use uuid::Uuid;

/// Namespace of `.qdc` files.
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";

/// Written as the `origin` of every file we export.
pub(super) const ORIGIN: &str = concat!("framecoder ", env!("CARGO_PKG_VERSION"));

/// Name of the set holding the labels of `kind`.
pub(super) fn kind_set_name(kind: LabelKind) -> &'static str {
    match kind {
        LabelKind::Frame => "Frames",
        LabelKind::Claim => "Claims",
    }
}

/// The fixed GUID of the set holding the labels of `kind`.
pub(super) fn kind_set_guid(kind: LabelKind) -> Uuid {
    xml::derived_guid(&[b"framecoder label kind set", kind_set_name(kind).as_bytes()])
}

/// Writes one `Code` element per label, children nested inside their
/// parent, in codebook order. Labels caught in a parent cycle (an invalid
/// project) are still written, at the top level, so nothing is lost.
pub(super) fn write_codes(writer: &mut Writer, labels: &[Label]) {
    let ids: HashSet<LabelId> = labels.iter().map(|l| l.id).collect();
    let mut children: HashMap<LabelId, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for (index, label) in labels.iter().enumerate() {
        match label.parent {
            Some(parent) if parent != label.id && ids.contains(&parent) => {
                children.entry(parent).or_default().push(index)
            }
            _ => roots.push(index),
        }
    }
    let mut visited = vec![false; labels.len()];
    let leftovers: Vec<usize> = (0..labels.len()).collect();
    for start in roots.into_iter().chain(leftovers) {
        if visited[start] {
            continue;
        }
        // Iterative depth-first walk: (label, next child to visit).
        let mut stack: Vec<(usize, usize)> = Vec::new();
        open_code(writer, labels, &children, &mut visited, start, &mut stack);
        while let Some((index, next)) = stack.pop() {
            let kids = children.get(&labels[index].id).map_or(&[][..], Vec::as_slice);
            match kids.get(next) {
                Some(&child) => {
                    stack.push((index, next + 1));
                    if !visited[child] {
                        open_code(writer, labels, &children, &mut visited, child, &mut stack);
                    }
                }
                None => writer.close("Code"),
            }
        }
    }
}

/// Writes a label's start tag and description, or the whole element when
/// it has neither description nor children; pushes it when it stays open.
fn open_code(
    writer: &mut Writer,
    labels: &[Label],
    children: &HashMap<LabelId, Vec<usize>>,
    visited: &mut [bool],
    index: usize,
    stack: &mut Vec<(usize, usize)>,
) {
    visited[index] = true;
    let label = &labels[index];
    let guid = xml::guid(label.id.0);
    let color = label.color.to_string();
    let attrs = [
        ("guid", guid.as_str()),
        ("name", label.name.as_str()),
        ("isCodable", "true"),
        ("color", color.as_str()),
    ];
    let has_children = children
        .get(&label.id)
        .is_some_and(|kids| kids.iter().any(|&k| !visited[k]));
    if label.description.is_empty() && !has_children {
        writer.empty("Code", &attrs);
        return;
    }
    writer.open("Code", &attrs);
    if !label.description.is_empty() {
        writer.text("Description", &[], &label.description);
    }
    stack.push((index, 0));
}

/// Writes the "Frames"/"Claims" sets (only those with members). The
/// project schema names members by `targetGUID`, the codebook schema by
/// `guid`.
pub(super) fn write_kind_sets(writer: &mut Writer, labels: &[Label], member_attr: &str) {
    for kind in [LabelKind::Frame, LabelKind::Claim] {
        let members: Vec<String> = labels
            .iter()
            .filter(|l| l.kind == kind)
            .map(|l| xml::guid(l.id.0))
            .collect();
        if members.is_empty() {
            continue;
        }
        let guid = xml::guid(kind_set_guid(kind));
        writer.open("Set", &[("guid", &guid), ("name", kind_set_name(kind))]);
        writer.text("Description", &[], &format!("framecoder labels of kind {kind}"));
        for member in &members {
            writer.empty("MemberCode", &[(member_attr, member)]);
        }
        writer.close("Set");
    }
}

/// Splits a `Sets` element into the kinds it assigns (GUID key → kind) and
/// the sets that mean something else.
pub(super) fn split_sets<'a>(
    sets: Option<&'a Element>,
    member_attr: &str,
) -> (HashMap<String, LabelKind>, Vec<&'a Element>) {
    let mut kinds = HashMap::new();
    let mut others = Vec::new();
    for set in sets.into_iter().flat_map(|s| s.all("Set")) {
        let guid = set.attr("guid").and_then(xml::parse_guid);
        let name = set.attr("name").unwrap_or("").trim();
        let kind = [LabelKind::Frame, LabelKind::Claim]
            .into_iter()
            .find(|&k| guid == Some(kind_set_guid(k)) || name.eq_ignore_ascii_case(kind_set_name(k)));
        let Some(kind) = kind else {
            others.push(set);
            continue;
        };
        for member in set.all("MemberCode") {
            if let Some(target) = member.attr(member_attr) {
                kinds.insert(xml::guid_key(target), kind);
            }
        }
    }
    (kinds, others)
}

/// The labels read from a `Codes` element, and how to find them.
#[derive(Default)]
pub(super) struct ReadCodes {
    pub labels: Vec<Label>,
    /// GUID key → label, for `CodeRef`s.
    pub by_guid: HashMap<String, LabelId>,
    /// Label → GUID keys of the notes attached to its code.
    pub note_refs: Vec<(LabelId, Vec<String>)>,
    pub report: Vec<String>,
}

/// Reads nested `Code`s into labels (document order, parents first).
pub(super) fn read_codes(codes: Option<&Element>, kinds: &HashMap<String, LabelKind>) -> ReadCodes {
    let mut read = ReadCodes::default();
    let mut seen = HashSet::new();
    // (element, parent, depth); children pushed in reverse to keep order.
    let mut stack: Vec<(&Element, Option<LabelId>, usize)> = Vec::new();
    if let Some(codes) = codes {
        stack.extend(
            codes
                .all("Code")
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .map(|c| (c, None, 0)),
        );
    }
    while let Some((code, parent, depth)) = stack.pop() {
        let raw_guid = code.attr("guid").unwrap_or("");
        let name = code.attr("name").unwrap_or("").trim();
        let name = if name.is_empty() { "(unnamed code)" } else { name };
        let id = match xml::parse_guid(raw_guid) {
            Some(uuid) if seen.insert(uuid) => LabelId(uuid),
            Some(_) => {
                read.report.push(format!(
                    "code {name:?}: GUID {raw_guid} is used twice; given a new id (references go to the first)"
                ));
                LabelId::new()
            }
            None => LabelId::new(),
        };
        let key = xml::guid_key(raw_guid);
        if !raw_guid.is_empty() {
            read.by_guid.entry(key.clone()).or_insert(id);
        }
        let kind = kinds.get(&key).copied().unwrap_or(if depth == 0 {
            LabelKind::Frame
        } else {
            LabelKind::Claim
        });
        let color = code
            .attr("color")
            .and_then(parse_color)
            .unwrap_or_else(|| Color::palette(read.labels.len()));
        let notes: Vec<String> = code
            .all("NoteRef")
            .filter_map(|n| n.attr("targetGUID"))
            .map(xml::guid_key)
            .collect();
        if !notes.is_empty() {
            read.note_refs.push((id, notes));
        }
        read.labels.push(Label {
            id,
            name: name.to_owned(),
            kind,
            color,
            parent,
            description: code.child_text("Description").unwrap_or("").to_owned(),
            key: None,
        });
        let kids: Vec<&Element> = code.all("Code").collect();
        stack.extend(kids.into_iter().rev().map(|c| (c, Some(id), depth + 1)));
    }
    read
}

/// `#rrggbb` or the short `#rgb` the schema also allows.
fn parse_color(text: &str) -> Option<Color> {
    let hex = text.trim().trim_start_matches('#');
    if hex.len() == 3 {
        let long: String = hex.chars().flat_map(|c| [c, c]).collect();
        return Color::parse(&long);
    }
    Color::parse(hex)
}

/// Writes the project's codebook as a `.qdc` file (validates against
/// `Codebook-mrt2019.xsd`). The schema needs at least one code, so an empty
/// codebook is an error rather than an invalid file.
pub fn export_qdc(project: &Project, path: &Path) -> Result<(), RefiError> {
    if project.labels.is_empty() {
        return Err(RefiError::Invalid {
            file: display(path),
            message: "the codebook is empty; a .qdc needs at least one code".into(),
        });
    }
    let mut writer = Writer::new();
    writer.open("CodeBook", &[("xmlns", CODEBOOK_NS), ("origin", ORIGIN)]);
    writer.open("Codes", &[]);
    write_codes(&mut writer, &project.labels);
    writer.close("Codes");
    writer.open("Sets", &[]);
    write_kind_sets(&mut writer, &project.labels, "guid");
    writer.close("Sets");
    writer.close("CodeBook");
    write_file(path, writer.finish().as_bytes())
}

/// Reads a `.qdc` codebook into labels (fresh ids where its GUIDs are
/// missing or repeated). Keys are not part of REFI and come back empty.
pub fn import_qdc(path: &Path) -> Result<Vec<Label>, RefiError> {
    let file = display(path);
    let bytes = std::fs::read(path).map_err(|source| RefiError::Io {
        file: file.clone(),
        source,
    })?;
    let entry = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = decode(&file, &entry, bytes)?;
    let root = xml::parse(&text).map_err(|e| xml_error(&file, None, &text, e.pos, e.message))?;
    if root.name != "CodeBook" {
        return Err(xml_error(
            &file,
            None,
            &text,
            root.pos,
            format!("the root element is <{}>, not a REFI <CodeBook>", root.name),
        ));
    }
    let (kinds, _) = split_sets(root.first("Sets"), "guid");
    Ok(read_codes(root.first("Codes"), &kinds).labels)
}
