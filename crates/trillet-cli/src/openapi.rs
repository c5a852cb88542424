//! `trillet openapi`: writes the OpenAPI 3.1 document (or, with `--operations`, the operations
//! catalog, or with `--checks` the core's table of body checks) exactly as committed in
//! `bindings/openapi.json` / `bindings/operations.json` / `src/local_checks/table.rs`.

use clap::{Arg, ArgAction, ArgMatches, Command};
use trillet::Error;

/// The `openapi` subcommand.
pub fn command() -> Command {
    Command::new("openapi")
        .about("Write the OpenAPI 3.1 document of every operation (--operations: the operations catalog)")
        .long_about(
            "Write the OpenAPI 3.1 document of the Trillet API, generated from the operation table and the JSON \
             Schemas of the models: for code generators, API explorers (Swagger UI, Redoc) and contract tests \
             (schemathesis). The committed copy is bindings/openapi.json; --operations writes the operations \
             catalog instead (bindings/operations.json), which the Python and Go generators read.",
        )
        .arg(Arg::new("output").long("output").short('o').value_name("FILE").help("Write to FILE instead of stdout"))
        .arg(
            Arg::new("operations")
                .long("operations")
                .action(ArgAction::SetTrue)
                .help("Write the operations catalog (bindings/operations.json) instead"),
        )
        .arg(
            Arg::new("checks")
                .long("checks")
                .action(ArgAction::SetTrue)
                .conflicts_with("operations")
                .help("Write the core's table of body checks (src/local_checks/table.rs) instead"),
        )
}

/// Runs `trillet openapi`.
pub fn run(m: &ArgMatches) -> Result<(), Error> {
    let text = if m.get_flag("operations") {
        trillet::openapi::catalog_file()
    } else if m.get_flag("checks") {
        trillet::openapi::local_checks_source()
    } else {
        trillet::openapi::document_json()
    };
    match m.get_one::<String>("output") {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| Error::Io { message: format!("cannot write {path}: {e}") })
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Error::Io { message: format!("cannot write to stdout: {e}") })
        }
    }
}
