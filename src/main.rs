//! The `prov` command line: a thin layer over the `prov` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
