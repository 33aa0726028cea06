use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, CommandError, Context, Out, exit};

/// Print a shell completion script: `prov completions bash > /etc/bash_completion.d/prov`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    shell: Shell,
}

pub fn run(args: Args, _ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    clap_complete::generate(args.shell, &mut Cli::command(), "prov", out);
    Ok(exit::SUCCESS)
}
