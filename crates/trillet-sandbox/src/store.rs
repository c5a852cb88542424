//! The sandbox's in-memory state: one ordered collection of JSON documents per resource.
//!
//! Documents are kept as `serde_json` objects shaped like the API's (`_id`, `workspaceId`,
//! `createdAt`, `updatedAt`, `__v`, ...), so a request body can be merged into them and they can
//! be answered as they are. Every workspace-owned document carries `workspaceId`; lookups scoped
//! to a workspace never see another workspace's documents.

use super::clock::Clock;
use serde_json::{json, Value};
use std::collections::HashMap;

/// A collection of documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Coll {
    Agents,
    OmniAgents,
    CallFlows,
    MessageFlows,
    Folders,
    /// Call-history records; a record whose `status` is `in-progress` is also an active call.
    Calls,
    Batches,
    Conversations,
    PhoneNumbers,
    KnowledgeBases,
    Voices,
    Workspaces,
}

/// The sandbox's user: the owner of everything created through its API key.
pub(crate) const USER_ID: &str = "663a1b2c3d4e5f6a7b8c9d0e";
/// The sandbox user's email: invitations sent to it are the user's pending invitations.
pub(crate) const USER_EMAIL: &str = "owner@sandbox.trillet.test";
/// The sandbox user's display name.
pub(crate) const USER_NAME: &str = "Sandbox Owner";

/// Trillet's built-in voices, present in every sandbox: (name, voiceId, gender, description).
const BUILT_IN_VOICES: [(&str, &str, &str, &str); 3] = [
    ("Wildflower", "mistv2_Wildflower", "female", "Alt Female, Smart"),
    ("Brook", "mistv2_Brook", "female", "Calm Female, Friendly"),
    ("Violet", "mistv2_Violet", "female", "Bright Female, Upbeat"),
];

/// All documents, the id generator and the clock.
#[derive(Debug)]
pub(crate) struct Store {
    docs: HashMap<Coll, Vec<Value>>,
    clock: Clock,
    id_seed: u64,
    id_counter: u64,
    /// The workspace every request is checked against by default (the sandbox's option).
    pub default_workspace: String,
}

impl Store {
    /// A fresh store: the default (master) workspace and the built-in voices.
    pub fn new(default_workspace: &str) -> Store {
        let mut store = Store {
            docs: HashMap::new(),
            clock: Clock::default(),
            id_seed: crate::codec::random_seed(),
            id_counter: 0,
            default_workspace: default_workspace.to_string(),
        };
        let now = store.now();
        store.insert(
            Coll::Workspaces,
            json!({"_id": default_workspace, "name": "Sandbox Workspace", "userId": USER_ID, "initials": "SW",
                   "pricingTier": "build_plan", "isMasterWorkspace": true, "isExternal": false,
                   "teamMembers": [], "invites": [], "createdAt": now, "updatedAt": now}),
        );
        for (name, voice_id, gender, description) in BUILT_IN_VOICES {
            let id = store.new_id();
            store.insert(
                Coll::Voices,
                json!({"_id": id, "name": name, "voiceId": voice_id, "provider": "rime", "gender": gender,
                       "accent": "american", "description": description, "language": "en", "builtIn": true}),
            );
        }
        store
    }

    /// A fresh 24-hex id (Unix seconds, then a per-sandbox counter), unique within the sandbox.
    pub fn new_id(&mut self) -> String {
        self.id_counter += 1;
        let secs = (self.clock.tick() / 1000) as u32;
        format!("{secs:08x}{:016x}", self.id_seed.wrapping_add(self.id_counter))
    }

    /// A random-looking hex string of `len` digits (tokens, keys, SIDs).
    pub fn hex(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len + 16);
        while out.len() < len {
            self.id_counter += 1;
            let mixed = (self.id_seed ^ self.id_counter.wrapping_mul(0x9E37_79B9_7F4A_7C15)).rotate_left(17);
            out.push_str(&format!("{mixed:016x}"));
        }
        out.truncate(len);
        out
    }

    /// The next timestamp (ISO-8601, strictly increasing).
    pub fn now(&mut self) -> String {
        self.clock.iso()
    }

    /// The next instant in Unix milliseconds (strictly increasing).
    pub fn now_millis(&mut self) -> u64 {
        self.clock.tick()
    }

    /// Appends a document and returns it.
    pub fn insert(&mut self, coll: Coll, doc: Value) -> &mut Value {
        let list = self.docs.entry(coll).or_default();
        list.push(doc);
        list.last_mut().expect("just pushed")
    }

    /// Every document of a collection in insertion order, optionally only one workspace's.
    pub fn list(&self, coll: Coll, workspace: Option<&str>) -> Vec<&Value> {
        self.docs.get(&coll).map_or_else(Vec::new, |list| list.iter().filter(|d| in_workspace(d, workspace)).collect())
    }

    /// The document with this `_id` (in this workspace when one is given).
    pub fn get(&self, coll: Coll, workspace: Option<&str>, id: &str) -> Option<&Value> {
        self.docs.get(&coll)?.iter().find(|d| d["_id"] == id && in_workspace(d, workspace))
    }

    /// Like [`get`](Store::get), mutable.
    pub fn get_mut(&mut self, coll: Coll, workspace: Option<&str>, id: &str) -> Option<&mut Value> {
        self.docs.get_mut(&coll)?.iter_mut().find(|d| d["_id"] == id && in_workspace(d, workspace))
    }

    /// The first document matching a predicate.
    pub fn find(&self, coll: Coll, workspace: Option<&str>, pred: impl Fn(&Value) -> bool) -> Option<&Value> {
        self.docs.get(&coll)?.iter().find(|d| in_workspace(d, workspace) && pred(d))
    }

    /// Like [`find`](Store::find), mutable.
    pub fn find_mut(
        &mut self,
        coll: Coll,
        workspace: Option<&str>,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<&mut Value> {
        self.docs.get_mut(&coll)?.iter_mut().find(|d| in_workspace(d, workspace) && pred(d))
    }

    /// Applies `f` to every document of a collection matching a predicate.
    pub fn update_where(&mut self, coll: Coll, pred: impl Fn(&Value) -> bool, mut f: impl FnMut(&mut Value)) {
        if let Some(list) = self.docs.get_mut(&coll) {
            list.iter_mut().filter(|d| pred(d)).for_each(&mut f);
        }
    }

    /// Removes and returns the document with this `_id`.
    pub fn remove(&mut self, coll: Coll, workspace: Option<&str>, id: &str) -> Option<Value> {
        let list = self.docs.get_mut(&coll)?;
        let pos = list.iter().position(|d| d["_id"] == id && in_workspace(d, workspace))?;
        Some(list.remove(pos))
    }

    /// Removes every document matching a predicate; returns how many.
    pub fn remove_where(&mut self, coll: Coll, pred: impl Fn(&Value) -> bool) -> usize {
        let Some(list) = self.docs.get_mut(&coll) else { return 0 };
        let before = list.len();
        list.retain(|d| !pred(d));
        before - list.len()
    }

    /// Whether a workspace exists.
    pub fn has_workspace(&self, id: &str) -> bool {
        self.get(Coll::Workspaces, None, id).is_some()
    }
}

/// Sets `updatedAt` and bumps `__v` (when the document has one).
pub(crate) fn stamp(doc: &mut Value, now: String) {
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("updatedAt".into(), Value::String(now));
        if let Some(v) = obj.get("__v").and_then(Value::as_u64) {
            obj.insert("__v".into(), json!(v + 1));
        }
    }
}

fn in_workspace(doc: &Value, workspace: Option<&str>) -> bool {
    match workspace {
        None => true,
        Some(ws) => doc.get("workspaceId").and_then(Value::as_str).is_none_or(|w| w == ws),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_24_hex_and_unique() {
        let mut s = Store::new("64a1b2c3d4e5f6a7b8c9d0e1");
        let ids: Vec<String> = (0..100).map(|_| s.new_id()).collect();
        for id in &ids {
            assert_eq!(id.len(), 24);
            assert!(id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{id}");
        }
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        assert_eq!(s.hex(40).len(), 40);
    }

    #[test]
    fn lookups_are_scoped_to_a_workspace() {
        let mut s = Store::new("ws1");
        s.insert(Coll::Agents, json!({"_id": "a1", "workspaceId": "ws1"}));
        s.insert(Coll::Agents, json!({"_id": "a2", "workspaceId": "ws2"}));
        assert!(s.get(Coll::Agents, Some("ws1"), "a1").is_some());
        assert!(s.get(Coll::Agents, Some("ws1"), "a2").is_none());
        assert!(s.get(Coll::Agents, None, "a2").is_some());
        assert_eq!(s.list(Coll::Agents, Some("ws2")).len(), 1);
        assert!(s.remove(Coll::Agents, Some("ws1"), "a2").is_none());
        assert!(s.remove(Coll::Agents, Some("ws2"), "a2").is_some());
        assert_eq!(s.list(Coll::Agents, None).len(), 1);
        assert!(s.has_workspace("ws1"));
        assert_eq!(s.list(Coll::Voices, None).len(), 3);
    }

    #[test]
    fn stamp_moves_updated_at_and_version() {
        let mut doc = json!({"updatedAt": "x", "__v": 0});
        stamp(&mut doc, "y".into());
        assert_eq!(doc, json!({"updatedAt": "y", "__v": 1}));
    }
}
