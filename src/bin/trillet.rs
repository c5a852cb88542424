//! The `trillet` command-line tool (built with `--features cli`).

#[path = "trillet/mod.rs"]
mod cli;

use cli::serve;

use clap::Command;

fn main() {
    let cli = Command::new("trillet")
        .about("Trillet AI Platform API from the command line")
        .version(trillet::VERSION)
        .subcommand_required(true)
        .subcommand(serve::command());
    let matches = cli.get_matches();
    let result = match matches.subcommand() {
        Some(("sandbox", m)) => serve::run(m),
        _ => unreachable!("subcommand_required"),
    };
    if let Err(e) = result {
        eprintln!("{}", e.to_json());
        std::process::exit(1);
    }
}
