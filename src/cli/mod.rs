//! The command line: `framecoder [PROJECT]` opens the GUI; subcommands work
//! headless over the same core, for scripts and reproducible pipelines.
//!
//! Exit codes: 0 ok, 1 bad input (each problem on one line naming the file
//! and position), 2 usage. Never a panic message.

mod agree;
mod check;
mod export;
mod import;
mod merge;
mod speakers;
mod stats;
mod templates;

use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Code transcripts with framing and claim labels.
#[derive(Parser, Debug)]
#[command(name = "framecoder", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Project file to open in the GUI (default: the last one; on the first
    /// run the bundled example).
    project: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Import transcripts (.txt, .md, .srt, .vtt, .docx, Whisper .json) into a project, creating it if missing.
    Import {
        /// Transcript files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The project file to add them to.
        #[arg(long, value_name = "PROJECT.ron")]
        into: PathBuf,
        /// What the positions of a `.qdpx` count: decided per source from
        /// the evidence in the file (auto), code points (chars) or UTF-16
        /// code units (utf16).
        #[arg(long, value_enum, default_value_t = import::Offsets::Auto)]
        offsets: import::Offsets,
        /// How speaker turns are found: the built-in layouts (auto), none,
        /// or a regular expression matched at each line start whose first
        /// group (or group `speaker`) is the speaker, e.g. `^(\w+) >`.
        #[arg(long, value_name = "auto|none|REGEX", default_value = "auto", value_parser = import::parse_speakers)]
        speakers: framecoder_core::model::SpeakerDetection,
    },
    /// Validate a project file and print a summary; exit 1 on problems.
    Check {
        /// The project file.
        project: PathBuf,
    },
    /// Merge colleagues' projects into mine, writing the result to OUT.
    Merge {
        /// My project.
        mine: PathBuf,
        /// Their projects.
        #[arg(required = true)]
        theirs: Vec<PathBuf>,
        /// Where to write the merged project (may be MINE).
        #[arg(short, long, value_name = "OUT.ron")]
        out: PathBuf,
    },
    /// Agreement between coders: kappa, alpha, unitizing alpha, percent.
    Agree(agree::AgreeArgs),
    /// Export labelled spans (csv, jsonl, xlsx, html), speaker turns or REFI-QDA.
    Export(export::ExportArgs),
    /// Count spans per label and document, speaker or coder.
    Stats(stats::StatsArgs),
    /// List speakers; rename, merge or describe them (role, party, outlet).
    Speakers(speakers::SpeakersArgs),
    /// List the codebook templates (Policy Frames Codebook, Entman, claims).
    Templates,
    /// Start a new project, from a codebook template.
    New {
        /// The project file to create (never overwritten).
        project: PathBuf,
        /// The template (see `framecoder templates`).
        #[arg(long, value_name = "NAME")]
        template: String,
    },
}

/// A command's hold on the project file it will write, from before it reads
/// the file to after it saves: the lock keeps other framecoder writers
/// out, and the fingerprint catches a program that ignores the lock (an
/// editor, a sync tool) — its change is never overwritten.
pub struct Writing<'p> {
    path: &'p std::path::Path,
    _lock: framecoder_core::io::lock::ProjectLock,
    read_as: Option<String>,
}

impl<'p> Writing<'p> {
    /// Locks `path` and notes what it holds. Errors name the holder.
    pub fn begin(path: &'p std::path::Path) -> Result<Self, Failure> {
        use framecoder_core::io;
        let lock = io::lock::ProjectLock::acquire(path).map_err(|error| Failure(vec![error.to_string()]))?;
        let read_as = io::save::fingerprint(path)
            .map_err(|error| Failure(vec![format!("{}: {error}", path.display())]))?;
        Ok(Self {
            path,
            _lock: lock,
            read_as,
        })
    }

    /// Saves `project`, unless the file changed since [`Self::begin`].
    pub fn save(&self, project: &framecoder_core::model::Project, doing: &str) -> Result<(), Failure> {
        use framecoder_core::io;
        if io::save::fingerprint(self.path).ok().as_ref() != Some(&self.read_as) {
            return Err(Failure(vec![format!(
                "{}: changed on disk while {doing}; not changed, run it again",
                self.path.display()
            )]));
        }
        io::save_project(project, self.path)
            .map_err(|error| Failure(vec![format!("{}: {error}", self.path.display())]))
    }
}

/// A failure to report: each line is printed to stderr; exit code 1.
pub struct Failure(pub Vec<String>);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure(error.to_string().lines().map(str::to_owned).collect())
    }
}

use framecoder_core::model::text::escape_controls;

/// Parses the arguments and runs the GUI or a subcommand.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(project) = &cli.project
        && !project.exists()
    {
        let name = project.display().to_string();
        if !name.contains(['.', '/', '\\']) {
            // `framecoder chek` is a mistyped subcommand, not a project.
            Cli::command()
                .error(
                    clap::error::ErrorKind::InvalidSubcommand,
                    format!("unrecognized subcommand '{name}' (and no project file of that name)"),
                )
                .exit();
        }
        eprintln!("{name}: no such project file");
        return ExitCode::from(1);
    }
    let result = match cli.command {
        None => crate::ui::run(cli.project).map_err(Failure::from),
        Some(Command::Import {
            files,
            into,
            offsets,
            speakers,
        }) => import::run(&files, &into, offsets, speakers),
        Some(Command::Check { project }) => check::run(&project),
        Some(Command::Agree(args)) => agree::run(&args),
        Some(Command::Merge { mine, theirs, out }) => merge::run(&mine, &theirs, &out),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Stats(args)) => stats::run(&args),
        Some(Command::Speakers(args)) => speakers::run(&args),
        Some(Command::Templates) => templates::list(),
        Some(Command::New { project, template }) => templates::new(&project, &template),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(lines)) => {
            // Messages quote files: nothing in them may drive the terminal.
            for line in lines {
                eprintln!("{}", escape_controls(&line));
            }
            ExitCode::from(1)
        }
    }
}
