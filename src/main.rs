//! framecoder: with no subcommand, the GUI; otherwise a headless command.

fn main() -> std::process::ExitCode {
    framecoder::cli::main()
}
