//! The use cases both faces share: what the GUI and the command line do
//! with a project, as one function each, so the two cannot drift apart.
//! Each takes the project as it is, changes nothing, and returns the
//! [`Edit`](crate::edit::Edit) that would do the work plus a report of what
//! it found; the GUI applies the edit through its workspace (one undo
//! step), the CLI through a history before it saves. The faces keep only
//! presentation: how a report is worded, and policy such as the CLI's "all
//! files or none".
//!
//! - [`import`]: a list of paths — transcripts, `.qdpx`, `.qdc`, codebook
//!   `.csv` — dispatched by extension, duplicates by text hash skipped;
//! - [`merge`]: another framecoder project merged in;
//! - [`export`]: the selection an export covers, and the rule that an
//!   export never overwrites its project;
//! - [`coder_for_name`]: the coder for a name, created when new.

pub mod export;
pub mod import;
pub mod merge;
pub mod templates;

use crate::edit::Edit;
use crate::model::{Coder, CoderId, Project};

/// The coder called `name` (case-insensitive, surrounding space ignored):
/// the existing one, or a new id and the edit that adds it (apply it
/// before, or in the same batch as, the first edit that needs the coder).
/// Used for the coder who codes in the GUI and for a consensus coder.
pub fn coder_for_name(project: &Project, name: &str) -> (CoderId, Option<Edit>) {
    if let Some(coder) = project.coder_named(name) {
        return (coder.id, None);
    }
    let coder = Coder {
        id: CoderId::new(),
        name: name.trim().to_owned(),
    };
    (
        coder.id,
        Some(Edit::InsertCoder {
            index: project.coders.len(),
            coder,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_name_needs_no_edit_and_a_new_one_is_trimmed() {
        let mut project = Project::new("p");
        let (id, edit) = coder_for_name(&project, "  Ana ");
        let Some(edit) = edit else {
            panic!("a new coder needs an edit")
        };
        edit.apply(&mut project).expect("the coder is added");
        assert_eq!(project.coders[0].name, "Ana");
        assert_eq!(coder_for_name(&project, "ANA"), (id, None));
    }
}
