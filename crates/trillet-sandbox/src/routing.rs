//! Routing by the operation table: a request matches the row whose method and path template fit
//! it. There is no route list here; adding a row to `OPERATIONS` adds a route.

use crate::codec::percent_decode;
use trillet::operations::{Method, Operation, OPERATIONS};

/// A request matched to its operation, with its path parameters decoded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Route {
    pub op: &'static Operation,
    pub params: Vec<(&'static str, String)>,
}

/// Finds the operation for a method and a raw (still percent-encoded) path. When several
/// templates fit (`/v1/api/voices/clone` and `/v1/api/voices/{id}`), the one with more literal
/// segments wins. A trailing slash is ignored.
pub(crate) fn route(method: &str, raw_path: &str) -> Option<Route> {
    let method = Method::parse(method)?;
    let path = if raw_path.len() > 1 { raw_path.strip_suffix('/').unwrap_or(raw_path) } else { raw_path };
    let segments: Vec<&str> = path.split('/').collect();
    OPERATIONS
        .iter()
        .filter(|op| op.method == method)
        .filter_map(|op| match_template(op.path, &segments).map(|(params, literals)| (op, params, literals)))
        .max_by_key(|(_, _, literals)| *literals)
        .map(|(op, params, _)| Route { op, params })
}

/// Whether any operation has this path, whatever its method (to tell 405 from 404).
pub(crate) fn path_exists(raw_path: &str) -> bool {
    let segments: Vec<&str> = raw_path.trim_end_matches('/').split('/').collect();
    OPERATIONS.iter().any(|op| match_template(op.path, &segments).is_some())
}

/// Matches segment by segment; returns the decoded parameters and the count of literal segments.
fn match_template(template: &'static str, segments: &[&str]) -> Option<(Vec<(&'static str, String)>, usize)> {
    let parts: Vec<&'static str> = template.split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    let mut literals = 0;
    for (part, segment) in parts.iter().zip(segments) {
        if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            if segment.is_empty() {
                return None;
            }
            params.push((name, percent_decode(segment)));
        } else if part == segment {
            literals += 1;
        } else {
            return None;
        }
    }
    Some((params, literals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_routes_to_itself() {
        for op in OPERATIONS {
            let path: Vec<String> = op
                .path
                .split('/')
                .map(|part| match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    Some(name) => format!("v-{name}"),
                    None => part.to_string(),
                })
                .collect();
            let path = path.join("/");
            let r = route(op.method.as_str(), &path).unwrap_or_else(|| panic!("{} {path}", op.id));
            assert_eq!(r.op.id, op.id, "{path}");
            for (name, value) in &r.params {
                assert_eq!(value, &format!("v-{name}"));
            }
        }
    }

    #[test]
    fn literals_beat_placeholders_and_ids_are_decoded() {
        assert_eq!(route("POST", "/v1/api/voices/clone").unwrap().op.id, "voices.clone");
        assert_eq!(route("GET", "/v1/api/voices/clone").unwrap().op.id, "voices.get");
        assert_eq!(route("POST", "/v2/api/call-history/export-csv").unwrap().op.id, "call_history.export_csv");
        assert_eq!(route("POST", "/v1/api/web-call/public").unwrap().op.id, "calls.start_public_web_call");
        let pending = route("GET", "/v1/api/workspaces/invitations/pending").unwrap();
        assert_eq!((pending.op.id, pending.params.len()), ("workspaces.pending_invitations", 0));
        let ws = route("GET", "/v1/api/workspaces/invitations").unwrap();
        assert_eq!((ws.op.id, ws.params), ("workspaces.get", vec![("workspaceId", "invitations".to_string())]));
        let r = route("GET", "/v1/api/agents/a%2Fb%20c/").unwrap();
        assert_eq!(r.op.id, "agents.get");
        assert_eq!(r.params, vec![("agentId", "a/b c".to_string())]);
        let r = route("post", "/v1/api/agents/A1/bind/P1").unwrap();
        assert_eq!(r.op.id, "phone_numbers.bind");
        assert_eq!(r.params, vec![("agentId", "A1".to_string()), ("phoneNumberId", "P1".to_string())]);
    }

    #[test]
    fn unknown_paths_and_methods_do_not_route() {
        assert!(route("GET", "/v1/api/nope").is_none());
        assert!(route("GET", "/v1/api/agents//").is_none());
        assert!(route("PATCH", "/v1/api/agents").is_none());
        assert!(route("BREW", "/v1/api/agents").is_none());
        assert!(path_exists("/v1/api/agents"));
        assert!(!path_exists("/v1/api/nope"));
    }
}
