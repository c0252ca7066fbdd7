//! `framecoder speakers PROJECT [--document NAME] [--rename FROM=TO]…
//! [--set SPEAKER:ATTRIBUTE=VALUE]…`: list the speakers of a project with
//! their turns and attributes, and rename, merge or describe them — the
//! same undoable edits as the app's Speakers panel, for pipelines.

use super::Failure;
use clap::Args;
use framecoder_core::edit::{Edit, History, ops};
use framecoder_core::io;
use framecoder_core::model::text::escape_controls;
use framecoder_core::model::{DocumentId, Project};
use std::path::PathBuf;

#[derive(Args, Debug, Clone)]
pub struct SpeakersArgs {
    /// The project file.
    pub project: PathBuf,
    /// Rename (or, to an existing name, merge) a speaker: `FROM=TO`, e.g.
    /// `SPEAKER_00=Interviewer` (repeatable; applied in order).
    #[arg(long = "rename", value_name = "FROM=TO")]
    pub renames: Vec<String>,
    /// Only in this document (name or id); without it, renames apply across
    /// the project and carry the speaker's attributes along.
    #[arg(long, value_name = "NAME")]
    pub document: Option<String>,
    /// Set a speaker attribute: `SPEAKER:ATTRIBUTE=VALUE`, e.g.
    /// `Interviewer:role=host`; an empty VALUE clears it (repeatable).
    #[arg(long = "set", value_name = "SPEAKER:ATTRIBUTE=VALUE")]
    pub attributes: Vec<String>,
}

pub fn run(args: &SpeakersArgs) -> Result<(), Failure> {
    let file = args.project.display().to_string();
    let changing = !args.renames.is_empty() || !args.attributes.is_empty();
    let writing = if changing {
        Some(super::Writing::begin(&args.project)?)
    } else {
        None
    };
    let mut project = io::load(&args.project)?.project;
    let document = match &args.document {
        Some(name) => Some(
            document_named(&project, name)
                .ok_or_else(|| Failure(vec![format!("{file}: no document named {name:?}")]))?,
        ),
        None => None,
    };
    let mut history = History::new();
    let mut problems = Vec::new();
    for rename in &args.renames {
        let Some((from, to)) = rename.split_once('=') else {
            problems.push(format!("{file}: --rename {rename:?} is not FROM=TO"));
            continue;
        };
        match ops::rename_speaker(&project, document, from.trim(), to) {
            Some(edit) => {
                history.apply(&mut project, edit, "rename speaker")?;
                println!(
                    "renamed {:?} to {:?}",
                    escape_controls(from.trim()),
                    escape_controls(to.trim())
                );
            }
            None => problems.push(format!(
                "{file}: no turn of speaker {:?}{} to rename",
                from.trim(),
                args.document
                    .as_ref()
                    .map(|d| format!(" in {d:?}"))
                    .unwrap_or_default()
            )),
        }
    }
    for setting in &args.attributes {
        let parsed = setting
            .split_once(':')
            .and_then(|(speaker, rest)| rest.split_once('=').map(|(a, v)| (speaker, a, v)));
        let Some((speaker, attribute, value)) =
            parsed.filter(|(s, a, _)| !s.trim().is_empty() && !a.trim().is_empty())
        else {
            problems.push(format!(
                "{file}: --set {setting:?} is not SPEAKER:ATTRIBUTE=VALUE"
            ));
            continue;
        };
        let edit = Edit::SetSpeakerAttribute {
            speaker: speaker.trim().to_owned(),
            attribute: attribute.trim().to_owned(),
            value: value.trim().to_owned(),
        };
        history.apply(&mut project, edit, "speaker attribute")?;
    }
    if !problems.is_empty() {
        // Nothing is saved when any request fails: a pipeline must not go on
        // with half its renames.
        return Err(Failure(problems));
    }
    if let Some(writing) = writing {
        writing.save(&project, "renaming speakers")?;
    }
    print_speakers(&project, document);
    Ok(())
}

fn document_named(project: &Project, name: &str) -> Option<DocumentId> {
    project
        .documents
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(name.trim()) || d.id.to_string() == name.trim())
        .map(|d| d.id)
}

/// One line per speaker: turns, documents, attributes; renamed labels noted.
fn print_speakers(project: &Project, only: Option<DocumentId>) {
    let mut speakers: Vec<(String, usize, usize, Vec<String>)> = Vec::new();
    for document in project
        .documents
        .iter()
        .filter(|d| only.is_none_or(|id| d.id == id))
    {
        let mut seen_here: Vec<&str> = Vec::new();
        for turn in &document.structure.turns {
            let index = match speakers.iter().position(|s| s.0 == turn.speaker) {
                Some(index) => index,
                None => {
                    speakers.push((turn.speaker.clone(), 0, 0, Vec::new()));
                    speakers.len() - 1
                }
            };
            let entry = &mut speakers[index];
            entry.1 += 1;
            if !seen_here.contains(&turn.speaker.as_str()) {
                seen_here.push(&turn.speaker);
                entry.2 += 1;
            }
            if turn.label != turn.speaker && !entry.3.contains(&turn.label) {
                entry.3.push(turn.label.clone());
            }
        }
    }
    for (speaker, turns, documents, labels) in speakers {
        let attributes = project
            .speaker_attributes
            .get(&speaker)
            .map(|a| {
                a.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let renamed = if labels.is_empty() {
            String::new()
        } else {
            format!(" (written {})", labels.join(", "))
        };
        println!(
            "{}: {turns} turn(s) in {documents} document(s){}{}",
            escape_controls(&speaker),
            escape_controls(&renamed),
            if attributes.is_empty() {
                String::new()
            } else {
                format!("; {}", escape_controls(&attributes))
            }
        );
    }
}
