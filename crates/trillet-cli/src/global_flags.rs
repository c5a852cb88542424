//! Global flags before the command: `trillet -v --api-key K agents list` means
//! `trillet agents list -v --api-key K`. The connection flags (and `--json`) belong to the
//! commands that talk to the API; given before the resource, they are moved after the last
//! word of the command line (before a `--`, if any), where that command parses them (and
//! refuses them, as a usage error, if it does not take them).

use clap::Command;

/// The flags that may come first: their spellings (`--api-key`, `-v`) and whether each takes a
/// value.
fn movable() -> Vec<(String, bool)> {
    let probe = crate::api::connection_args(Command::new("probe"))
        .arg(clap::Arg::new("json").long("json").action(clap::ArgAction::SetTrue));
    let mut out = Vec::new();
    for arg in probe.get_arguments() {
        let takes_value = arg.get_action().takes_values();
        if let Some(long) = arg.get_long() {
            out.push((format!("--{long}"), takes_value));
        }
        if let Some(short) = arg.get_short() {
            out.push((format!("-{short}"), takes_value));
        }
    }
    out
}

/// `args` (without the program name) with the global flags that precede the first command word
/// moved after the rest. Anything else (help, version, an unknown flag) stops the move and the
/// line is left for clap to judge.
pub fn hoist(args: Vec<String>) -> Vec<String> {
    let movable = movable();
    let mut leading = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let (flag, inline_value) = match arg.split_once('=') {
            Some((f, _)) if f.starts_with("--") => (f, true),
            _ => (arg.as_str(), false),
        };
        let Some((_, takes_value)) = movable.iter().find(|(name, _)| name == flag) else { break };
        let width = if *takes_value && !inline_value { 2 } else { 1 };
        if i + width > args.len() {
            break;
        }
        leading.extend_from_slice(&args[i..i + width]);
        i += width;
    }
    let rest = &args[i..];
    if leading.is_empty() || rest.is_empty() {
        return args;
    }
    let end = rest.iter().position(|a| a == "--").unwrap_or(rest.len());
    let mut out = rest[..end].to_vec();
    out.extend(leading);
    out.extend_from_slice(&rest[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::hoist;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn leading_global_flags_move_after_the_command() {
        assert_eq!(hoist(words("-v --api-key K agents list")), words("agents list -v --api-key K"));
        assert_eq!(hoist(words("--base-url=http://x agents get 1")), words("agents get 1 --base-url=http://x"));
        assert_eq!(hoist(words("--json ops")), words("ops --json"));
        assert_eq!(hoist(words("-v call agents.get -- {}")), words("call agents.get -v -- {}"));
    }

    #[test]
    fn other_lines_are_left_alone() {
        for line in ["agents list -v", "--help", "-v", "--api-key", "--nope agents list", "--version"] {
            assert_eq!(hoist(words(line)), words(line), "{line}");
        }
    }
}
