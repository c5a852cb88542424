//! The `trillet` command-line tool (`cargo run -p trillet-cli`): every operation of the
//! Trillet API as `trillet <resource> <action>`, generated from the operation table, plus
//! `call`, `ops`, `openapi`, `sandbox`, `demo` and `webhooks` (trigger, verify). JSON goes to stdout; errors go to stderr as the shared
//! error JSON, with exit codes by kind (see `trillet --help`).

mod api;
mod demo;
mod examples;
mod exit;
mod global_flags;
mod interrupt;
mod openapi;
mod serve;
mod webhooks;

use clap::error::ErrorKind;
use clap::Command;
use trillet::operations;

fn command(args: &[String]) -> Command {
    Command::new("trillet")
        .about("The Trillet AI Platform API from the command line")
        .long_about(
            "The Trillet AI Platform API from the command line: every operation as `trillet <resource> <action>`, \
             `trillet call <op-id> '<request-json>'` for any of them, `trillet ops` to list them, `trillet sandbox` \
             for a local stand-in of the API and `trillet demo` for the whole flow.",
        )
        .version(trillet::VERSION)
        .subcommand_required(true)
        .after_help(format!(
            "Environment:\n  TRILLET_API_KEY       API key\n  TRILLET_WORKSPACE_ID  workspace id\n  \
             TRILLET_BASE_URL      API root (default https://api.trillet.ai)\n  TRILLET_LOG=debug     log each request to stderr\n\n\
             Output: response JSON on stdout; errors as one line of error JSON on stderr\n  \
             {{\"error\":{{\"kind\",\"code\",\"message\",\"status\",\"request_id\",\"retry_after\",\"body\"}}}}\n\n{}\n\n\
             Global flags: the connection flags (--api-key, --base-url, -v/--verbose, ...) and --json go \
             before the command or after it\n  (trillet -v agents list = trillet agents list -v)\n\n\
             Examples:\n  trillet demo\n  trillet sandbox --port 8080\n  trillet agents list\n  {}\n  \
             trillet -v agents list\n  trillet ops --json",
            exit::HELP,
            examples::example(operations::find("agents.create").expect("in the table"))
        ))
        .subcommands(api::resource_commands(args))
        .subcommand(api::call_command())
        .subcommand(api::ops_command())
        .subcommand(openapi::command())
        .subcommand(serve::command())
        .subcommand(demo::command())
        .subcommand(webhooks::command())
}

fn main() {
    // Global flags may come before the command (`trillet -v agents list`).
    let args = global_flags::hoist(std::env::args().skip(1).collect());
    let program = std::env::args().next().unwrap_or_else(|| "trillet".into());
    let matches = match command(&args).try_get_matches_from(std::iter::once(program).chain(args.iter().cloned())) {
        Ok(m) => m,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            std::process::exit(exit::OK);
        }
        // The only required arguments of a resource command are its path parameters: the same
        // code as the library's own check (`missing_path_param`).
        Err(e)
            if e.kind() == ErrorKind::MissingRequiredArgument
                && args.first().is_some_and(|r| operations::resources().contains(&r.as_str())) =>
        {
            exit::fail(&trillet::Error::invalid("missing_path_param", exit::clap_message(&e)))
        }
        Err(e) => exit::fail(&exit::usage(exit::clap_message(&e))),
    };
    let result = match matches.subcommand() {
        Some(("call", m)) => api::run_call(m),
        Some(("ops", m)) => api::run_ops(m),
        Some(("openapi", m)) => openapi::run(m),
        Some(("sandbox", m)) => serve::run(m),
        Some(("demo", m)) => demo::run(m),
        Some(("webhooks", m)) => webhooks::run(m),
        Some((resource, m)) => {
            let (action, am) = m.subcommand().expect("resource commands require an action");
            let op = operations::OPERATIONS
                .iter()
                .find(|op| op.resource() == resource && op.action() == action)
                .expect("commands are generated from the table");
            api::run_operation(op, am)
        }
        None => unreachable!("a subcommand is required"),
    };
    if let Err(e) = result {
        exit::fail(&e);
    }
}
