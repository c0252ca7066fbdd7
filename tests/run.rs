//! Running the `framecoder` binary as a user would.

use std::error::Error;
use std::ffi::OsStr;
use std::time::Duration;

/// One finished run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

/// Runs `framecoder` with `args`, headless (no display, so a mistaken GUI
/// launch fails fast instead of opening a window), and checks the one rule
/// that holds for every run: no panic message.
pub fn framecoder<I, S>(args: I) -> Result<Run, Box<dyn Error>>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = assert_cmd::cargo::cargo_bin_cmd!("framecoder")
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("RUST_BACKTRACE", "0")
        .timeout(Duration::from_secs(60))
        .output()?;
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stdout.contains("panicked") && !run.stderr.contains("panicked"),
        "a panic message in the output: {run:#?}"
    );
    Ok(run)
}

pub fn expect_code(run: &Run, code: i32) {
    assert_eq!(run.code, Some(code), "unexpected exit code: {run:#?}");
}
