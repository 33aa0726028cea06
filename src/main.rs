//! The `prov` command line: a thin layer over the `prov` library.

mod cli;

// An add spends about a tenth of its time in the system allocator (many small strings and
// vectors per quotation, freed across threads); mimalloc does the same work for less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
