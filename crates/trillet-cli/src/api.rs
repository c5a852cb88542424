//! The API commands, generated from the operation table: `trillet <resource> <action>`,
//! `trillet call <op-id> <request-json>` and `trillet ops`.

use crate::exit;
use crate::interrupt;
use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};
use std::io::{Read, Write};
use std::time::Duration;
use trillet::openapi::BodyField;
use trillet::operations::{self, BodyKind, Operation, ResponseKind, OPERATIONS};
use trillet::{Client, Error, FilePart, Request};

/// The connection flags shared by every command that talks to the API.
pub fn connection_args(cmd: Command) -> Command {
    cmd.next_help_heading("Connection")
        .arg(
            Arg::new("api-key")
                .long("api-key")
                .value_name("KEY")
                .help("API key (default: $TRILLET_API_KEY; prefer the variable, a flag shows in `ps`)"),
        )
        .arg(
            Arg::new("workspace-id")
                .long("workspace-id")
                .value_name("ID")
                .help("Workspace id (default: $TRILLET_WORKSPACE_ID)"),
        )
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .value_name("URL")
                .help("API root (default: $TRILLET_BASE_URL, else https://api.trillet.ai)"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_name("SECONDS")
                .value_parser(value_parser!(f64))
                .help("Deadline for the whole request, retries included (default 60)"),
        )
        .arg(
            Arg::new("max-retries")
                .long("max-retries")
                .value_name("N")
                .value_parser(value_parser!(u32))
                .help("Retries after the first attempt (default 2; POSTs are never retried after a server error)"),
        )
        .arg(
            Arg::new("ca-bundle")
                .long("ca-bundle")
                .value_name("PEM")
                .help("PEM file of extra trusted root certificates, on top of the system's (or $SSL_CERT_FILE)"),
        )
        .arg(Arg::new("proxy").long("proxy").value_name("URL").help(
            "http:// or https:// proxy for every request (default: $ALL_PROXY, $HTTPS_PROXY, $HTTP_PROXY \
                 except $NO_PROXY hosts and loopback)",
        ))
        .arg(
            Arg::new("rate-limit")
                .long("rate-limit")
                .value_name("N")
                .value_parser(value_parser!(u32).range(1..))
                .help("At most N requests in any minute: with --rate-limit-store, shared by every invocation"),
        )
        .arg(Arg::new("rate-limit-store").long("rate-limit-store").value_name("STORE").help(
            "Share --rate-limit with other processes: file:PATH (this host) or redis://HOST:PORT/DB (a fleet) \
                 (default: $TRILLET_RATE_LIMIT_STORE)",
        ))
        .arg(
            Arg::new("verbose")
                .long("verbose")
                .short('v')
                .action(ArgAction::SetTrue)
                .help("Print the exchange's metadata (status, request id, attempts, elapsed ms) as JSON on stderr"),
        )
}

/// Sends the request, cancelled by Ctrl-C; with `--verbose`, prints the exchange's metadata JSON
/// on stderr, success or failure.
fn execute(client: &Client, op: &Operation, req: &Request, m: &ArgMatches) -> Result<trillet::Response, Error> {
    let (result, meta) = client.with_cancel(&interrupt::token()).execute_with_meta(op, req);
    if m.get_flag("verbose") {
        eprintln!("{}", meta.to_json());
    }
    result.map_err(in_cli_words)
}

/// The CLI's message for a missing API key: the flag and the variable, not the library's
/// `api_key` setting. Other errors pass through unchanged.
pub fn in_cli_words(e: Error) -> Error {
    if e.kind() == "invalid_input" && e.code() == "missing_api_key" {
        Error::invalid("missing_api_key", "no API key: pass --api-key KEY or set TRILLET_API_KEY")
    } else if e.kind() == "invalid_input" && e.code() == "missing_workspace_id" {
        Error::invalid(
            "missing_workspace_id",
            e.message().replace("pass workspace_id to the client", "pass --workspace-id ID"),
        )
    } else {
        e
    }
}

/// A client from the connection flags, falling back to the environment.
pub fn client(m: &ArgMatches) -> Result<Client, Error> {
    let mut b = Client::builder().user_agent_suffix(format!("trillet-cli/{}", trillet::VERSION));
    if let Some(k) = m.get_one::<String>("api-key") {
        b = b.api_key(k);
    }
    if let Some(w) = m.get_one::<String>("workspace-id") {
        b = b.workspace_id(w);
    }
    if let Some(u) = m.get_one::<String>("base-url") {
        b = b.base_url(u);
    }
    if let Some(t) = m.get_one::<f64>("timeout") {
        match Duration::try_from_secs_f64(*t) {
            Ok(d) if !d.is_zero() => b = b.timeout(d), // values past a day are cut to a day
            _ => return Err(exit::usage("--timeout must be a positive number of seconds")),
        }
    }
    if let Some(n) = m.get_one::<u32>("max-retries") {
        b = b.max_retries(*n);
    }
    if let Some(path) = m.get_one::<String>("ca-bundle") {
        b = b.ca_bundle(path);
    }
    if let Some(url) = m.get_one::<String>("proxy") {
        b = b.proxy(url);
    }
    if let Some(n) = m.get_one::<u32>("rate-limit") {
        b = b.rate_limit_per_minute(*n);
    }
    if let Some(store) = m.get_one::<String>("rate-limit-store") {
        b = b.rate_limit_store(store);
    }
    b.build().map_err(in_cli_words)
}

// ---- trillet <resource> <action> -----------------------------------------------------------

/// One subcommand per resource, one sub-subcommand per operation, from the table; `args` is the
/// command line (without the program name, global flags already moved after the command).
pub fn resource_commands(args: &[String]) -> Vec<Command> {
    // The body fields come from the OpenAPI document, which takes a moment to generate: only when
    // help is asked for, or when the command is an operation that takes a body (its scalar fields
    // are flags); `trillet ops`, `call`, `demo` and body-less operations never build it.
    let wants_help = args.iter().any(|a| a == "-h" || a == "--help" || a == "help");
    let runs_a_body_op = match args {
        [resource, action, ..] => {
            operations::find(&format!("{resource}.{action}")).is_some_and(|op| op.body != BodyKind::None)
        }
        _ => false,
    };
    let fields = if wants_help || runs_a_body_op {
        trillet::openapi::body_fields(&trillet::openapi::document())
    } else {
        Vec::new()
    };
    operations::resources()
        .into_iter()
        .map(|resource| {
            let ops: Vec<&Operation> = OPERATIONS.iter().filter(|op| op.resource() == resource).collect();
            let actions: Vec<&str> = ops.iter().map(|op| op.action()).collect();
            Command::new(resource)
                .about(format!("{} ({})", resource.replace('_', " "), actions.join(", ")))
                .subcommand_required(true)
                .subcommands(ops.into_iter().map(|op| {
                    let body = fields.iter().find(|(id, _)| id == op.id).map(|(_, f)| f.as_slice());
                    action_command(op, body.unwrap_or_default())
                }))
        })
        .collect()
}

/// The body fields as help lines: `  name  type  (required)`.
fn body_field_lines(fields: &[BodyField]) -> String {
    let width = fields.iter().map(|f| f.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for f in fields {
        let required = if f.required { "  (required)" } else { "" };
        out.push_str(&format!("\n  {:<width$}  {}{required}", f.name, f.kind));
    }
    out
}

fn action_command(op: &'static Operation, fields: &[BodyField]) -> Command {
    let params = op.path_params();
    let mut details = format!("{}\n\n{} {}", op.summary, op.method, op.path);
    if !params.is_empty() {
        details.push_str(&format!(
            "\nPath parameters: {} (required; positional, in this order, or each as --path name=value)",
            params.join(", ")
        ));
    }
    if !op.query_params.is_empty() {
        details.push_str(&format!("\nQuery parameters: {}", op.query_params.join(", ")));
    }
    details.push_str(&match op.body {
        BodyKind::None => "\nBody: none".to_string(),
        BodyKind::Json => format!("\nBody: JSON (--body), fields:{}", body_field_lines(fields)),
        BodyKind::Multipart => format!(
            "\nBody: multipart upload: the file in field `{}` (--file), other form fields from --body; fields:{}",
            op.file_field.unwrap_or("file"),
            body_field_lines(fields)
        ),
        other => format!("\nBody: {}", other.as_str()),
    });
    if op.response == ResponseKind::Text {
        details.push_str("\nResponse: text (printed as a JSON string; --raw prints the text itself)");
    }
    details.push_str(&format!("\nOperation id: {} (also: trillet call {} '<request-json>')", op.id, op.id));
    let example = crate::examples::example(op);
    let placeholders = if example.contains(" <") || example.contains("\"<") {
        "\n  (replace each <name> with an id, e.g. from the matching list command)"
    } else {
        ""
    };
    let mut cmd = Command::new(op.action())
        .about(op.summary)
        .long_about(details)
        .after_help(format!("Example:\n  {example}{placeholders}\n\n{}", exit::HELP));
    for (i, name) in params.iter().enumerate() {
        // Required, unless the path parameters come as --path NAME=VALUE instead (clap lifts a
        // requirement when a conflicting argument is present, and shows `<name>` as required).
        cmd = cmd.arg(
            Arg::new(*name)
                .value_name(*name)
                .index(i + 1)
                .required(true)
                .conflicts_with("path")
                .help(format!("Path parameter {name} (required)")),
        );
    }
    cmd = cmd
        .next_help_heading("Request")
        .arg(
            Arg::new("path")
                .long("path")
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help("A path parameter (instead of the positional form)"),
        )
        .arg(
            Arg::new("query")
                .long("query")
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help("A query parameter (repeatable)"),
        );
    if op.body != BodyKind::None {
        cmd = cmd.arg(
            Arg::new("body")
                .long("body")
                .value_name("JSON|@FILE|-")
                .help("The JSON body: inline, @path to read a file, or - to read stdin"),
        );
        let taken: Vec<String> = cmd.get_arguments().filter_map(|a| a.get_long().map(str::to_string)).collect();
        let mut flags = Vec::new();
        for f in fields {
            let Some(scalar) = Scalar::of(&f.kind) else { continue };
            // A field named like a flag the command already has stays reachable through --body.
            if taken.contains(&f.name) || RESERVED_FLAGS.contains(&f.name.as_str()) {
                continue;
            }
            let required = if f.required { ", required" } else { "" };
            flags.push(
                Arg::new(format!("{FIELD_PREFIX}{}", f.name))
                    .long(f.name.clone())
                    .value_name(f.kind.to_ascii_uppercase())
                    .value_parser(move |text: &str| scalar.parse(text))
                    .help(format!("Body field {} ({}{required}); merged into --body", f.name, f.kind)),
            );
        }
        if !flags.is_empty() {
            cmd = cmd.next_help_heading("Body fields").args(flags).next_help_heading("Request");
        }
    }
    if op.body == BodyKind::Multipart {
        cmd =
            cmd.arg(Arg::new("file").long("file").value_name("[FIELD=]PATH").action(ArgAction::Append).help(format!(
                "A file to upload (field `{}` unless FIELD= is given)",
                op.file_field.unwrap_or("file")
            )));
    }
    if op.response == ResponseKind::Text {
        cmd = cmd.arg(Arg::new("raw").long("raw").action(ArgAction::SetTrue).help("Print the text response as-is"));
    }
    connection_args(cmd)
}

/// Prefix of the clap ids of body-field flags (`field:name`), so they never clash with the
/// command's own argument ids.
const FIELD_PREFIX: &str = "field:";

/// Flags every command has (connection settings, help), which a body field never shadows.
const RESERVED_FLAGS: &[&str] = &["help", "version", "verbose"];

/// A body field type that a flag's text can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    Text,
    Integer,
    Number,
    Boolean,
}

impl Scalar {
    /// The scalar type of a field's short type (`string`, `integer`, `number`, `boolean`).
    fn of(kind: &str) -> Option<Scalar> {
        match kind {
            "string" => Some(Scalar::Text),
            "integer" => Some(Scalar::Integer),
            "number" => Some(Scalar::Number),
            "boolean" => Some(Scalar::Boolean),
            _ => None,
        }
    }

    /// The flag's text as the field's JSON value (clap reports a refusal as a usage error).
    fn parse(self, text: &str) -> Result<serde_json::Value, String> {
        let bad = |what: &str| format!("expected {what}, got {text:?}");
        Ok(match self {
            Scalar::Text => text.into(),
            Scalar::Integer => text.parse::<i64>().map_err(|_| bad("an integer"))?.into(),
            Scalar::Number => {
                let n = text.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or_else(|| bad("a number"))?;
                serde_json::Number::from_f64(n).map(serde_json::Value::Number).ok_or_else(|| bad("a number"))?
            }
            Scalar::Boolean => match text {
                "true" => true.into(),
                "false" => false.into(),
                _ => return Err(bad("true or false")),
            },
        })
    }
}

/// The body-field flags given, as `(wire name, JSON value)`, typed by the schema.
fn body_field_flags(m: &ArgMatches) -> Result<Vec<(String, serde_json::Value)>, Error> {
    let mut out = Vec::new();
    for id in m.ids().map(|id| id.as_str()).filter(|id| id.starts_with(FIELD_PREFIX)) {
        if let Some(value) = m.get_one::<serde_json::Value>(id) {
            out.push((id[FIELD_PREFIX.len()..].to_string(), value.clone()));
        }
    }
    Ok(out)
}

fn split_pair<'a>(flag: &str, pair: &'a str) -> Result<(&'a str, &'a str), Error> {
    pair.split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| exit::usage(format!("--{flag} expects NAME=VALUE, got {pair:?}")))
}

/// Text from an argument: inline, `@path` (a file) or `-` (stdin).
pub fn read_source(arg: &str) -> Result<String, Error> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::invalid("stdin_unreadable", format!("cannot read stdin: {e}")))?;
        Ok(text)
    } else if let Some(path) = arg.strip_prefix('@') {
        std::fs::read_to_string(path).map_err(|e| Error::invalid("file_unreadable", format!("cannot read {path}: {e}")))
    } else {
        Ok(arg.to_string())
    }
}

/// Builds the request of `trillet <resource> <action>` from its arguments.
pub fn build_request(op: &Operation, m: &ArgMatches) -> Result<Request, Error> {
    let mut req = Request::new();
    let mut given: Vec<String> = Vec::new();
    for name in op.path_params() {
        if let Some(v) = m.get_one::<String>(name) {
            req = req.path_param(name, v.clone());
            given.push(name.to_string());
        }
    }
    for pair in m.get_many::<String>("path").into_iter().flatten() {
        let (name, value) = split_pair("path", pair)?;
        if given.iter().any(|g| g == name) {
            return Err(exit::usage(format!("path parameter {name} is given twice")));
        }
        if !op.path_params().contains(&name) {
            return Err(Error::invalid(
                "unknown_path_param",
                format!("{} has no path parameter {name:?} (it takes {})", op.id, path_params_or_none(op)),
            ));
        }
        req = req.path_param(name, value);
        given.push(name.to_string());
    }
    for pair in m.get_many::<String>("query").into_iter().flatten() {
        let (name, value) = split_pair("query", pair)?;
        req = req.query(name, value);
    }
    if op.body != BodyKind::None {
        let text = match m.get_one::<String>("body") {
            Some(src) => Some(read_source(src)?),
            None => None,
        };
        match (body_field_flags(m)?, text) {
            (fields, text) if fields.is_empty() => {
                if let Some(text) = text {
                    req = req.json_text(&text)?;
                }
            }
            (fields, text) => {
                let mut body = match text.as_deref().map(serde_json::from_str::<serde_json::Value>) {
                    None => serde_json::Map::new(),
                    Some(Ok(serde_json::Value::Object(map))) => map,
                    Some(Ok(_)) => return Err(exit::usage("body field flags need --body to be a JSON object")),
                    Some(Err(e)) => {
                        return Err(Error::invalid("invalid_request_json", format!("--body is not JSON: {e}")))
                    }
                };
                body.extend(fields);
                req = req.json(&body);
            }
        }
    }
    if op.body == BodyKind::Multipart {
        for spec in m.get_many::<String>("file").into_iter().flatten() {
            let named = spec
                .split_once('=')
                .filter(|(f, _)| !f.is_empty() && f.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
            req = req.file(match named {
                Some((field, path)) => FilePart::from_path(path).field(field),
                None => FilePart::from_path(spec),
            });
        }
    }
    Ok(req)
}

fn path_params_or_none(op: &Operation) -> String {
    let p = op.path_params();
    if p.is_empty() {
        "none".into()
    } else {
        p.join(", ")
    }
}

/// Prints a response body (JSON text) on stdout; a text response with `raw` as the text itself.
pub fn print_body(body: &str, raw_text: bool) {
    let mut out = std::io::stdout().lock();
    let text = if raw_text {
        serde_json::from_str::<String>(body).unwrap_or_else(|_| body.to_string())
    } else {
        body.to_string()
    };
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = out.write_all(b"\n");
    }
    let _ = out.flush();
}

/// Runs `trillet <resource> <action>`.
pub fn run_operation(op: &Operation, m: &ArgMatches) -> Result<(), Error> {
    let req = build_request(op, m)?;
    let client = client(m)?;
    let response = execute(&client, op, &req, m)?;
    let raw = op.response == ResponseKind::Text && m.get_flag("raw");
    print_body(&response.body, raw);
    Ok(())
}

// ---- trillet call --------------------------------------------------------------------------

/// The `call` subcommand.
pub fn call_command() -> Command {
    connection_args(
        Command::new("call")
            .about("Call any operation by id with the request JSON every language shares")
            .long_about(
                "Call any operation by id with the request JSON every language shares:\n\
                 {\"path\":{…},\"query\":{…},\"body\":…,\"files\":[{\"field\":\"file\",\"path\":\"calls.csv\"}],\"timeout_ms\":5000}\n\
                 (every key optional). The response body is printed as the API sent it.",
            )
            .after_help(format!(
                "Examples:\n  trillet call agents.get '{{\"path\":{{\"agentId\":\"665a1b2c3d4e5f6a7b8c9d0e\"}}}}'\n  \
                 trillet call call_history.list '{{\"query\":{{\"page\":2,\"limit\":10}}}}'\n  \
                 echo '{{\"body\":{{\"name\":\"Support\"}}}}' | trillet call agents.create -\n\n{}",
                exit::HELP
            ))
            .arg(Arg::new("operation").value_name("OPERATION_ID").required(true).help("An operation id (see `trillet ops`)"))
            .arg(
                Arg::new("request")
                    .value_name("REQUEST_JSON|@FILE|-")
                    .default_value("{}")
                    .help("The request JSON: inline, @path to read a file, or - to read stdin"),
            ),
    )
}

/// Runs `trillet call`.
pub fn run_call(m: &ArgMatches) -> Result<(), Error> {
    let id = m.get_one::<String>("operation").expect("required");
    let op = operations::find(id)
        .ok_or_else(|| Error::invalid("unknown_operation", format!("unknown operation {id:?} (see `trillet ops`)")))?;
    let request = read_source(m.get_one::<String>("request").expect("has a default"))?;
    let req = Request::from_json(&request)?;
    let client = client(m)?;
    print_body(&execute(&client, op, &req, m)?.body, false);
    Ok(())
}

// ---- trillet ops ---------------------------------------------------------------------------

/// The `ops` subcommand.
pub fn ops_command() -> Command {
    Command::new("ops").about("List every operation (--json: the operations catalog)").arg(
        Arg::new("json")
            .long("json")
            .action(ArgAction::SetTrue)
            .help("Print the catalog JSON that every binding reads"),
    )
}

/// Runs `trillet ops`.
pub fn run_ops(m: &ArgMatches) -> Result<(), Error> {
    if m.get_flag("json") {
        print_body(&operations::catalog_json(), false);
        return Ok(());
    }
    let mut text = String::new();
    for resource in operations::resources() {
        text.push_str(resource);
        text.push('\n');
        for op in OPERATIONS.iter().filter(|op| op.resource() == resource) {
            text.push_str(&format!("  {:<38} {:<6} {:<58} {}\n", op.id, op.method.as_str(), op.path, op.summary));
        }
    }
    text.push_str(&format!("\n{} operations. Run one: trillet <resource> <action> --help\n", OPERATIONS.len()));
    print_body(&text, false);
    Ok(())
}
