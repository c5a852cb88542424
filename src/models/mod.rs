//! Serde models for every resource and response the spec shows, and the request types.
//!
//! Every response model keeps the fields it does not know in `extra` (`#[serde(flatten)]`), so a
//! read-modify-write never drops data, and reads every documented spelling of a field
//! (`call_id`/`callId`, `callSetting`/`callSettings`). References that come back as an id string
//! or as a populated object are [`IdOrObject`]; lists that come bare or in an envelope are
//! [`List`].
//!
//! `skip_none! { struct … }` around a struct leaves every unset `Option` field out of the JSON
//! (`skip_serializing_if = "Option::is_none"`, written once per struct instead of once per field).
//! With the `schema` feature every model also implements `schemars::JsonSchema` (hand-written ones in `schema.rs`).
//!
//! Request types take their required fields as constructor arguments and their optional ones as
//! setters; fields with an API default start at that default. Each also has `field(name, value)`
//! for fields this version does not model.

/// Wraps a struct with named fields and gives every field whose type is written `Option<…>` the
/// attribute `#[serde(skip_serializing_if = "Option::is_none")]`: unset fields are left out of
/// the JSON. A declarative macro (a field-by-field muncher), so the crate needs no proc-macro
/// crate and stays one package. A field must not also carry its own `skip_serializing_if`
/// (serde then reports the duplicate).
macro_rules! skip_none {
    ($(#[$attr:meta])* $vis:vis struct $name:ident { $($fields:tt)* }) => {
        skip_none!(@field [$(#[$attr])* $vis struct $name] [] $($fields)*);
    };
    (@field $head:tt [$($done:tt)*] $(#[$m:meta])* $fv:vis $f:ident : Option<$t:ty> $(, $($rest:tt)*)?) => {
        skip_none!(@field $head [$($done)* $(#[$m])* #[serde(skip_serializing_if = "Option::is_none")] $fv $f: Option<$t>,] $($($rest)*)?);
    };
    (@field $head:tt [$($done:tt)*] $(#[$m:meta])* $fv:vis $f:ident : $t:ty $(, $($rest:tt)*)?) => {
        skip_none!(@field $head [$($done)* $(#[$m])* $fv $f: $t,] $($($rest)*)?);
    };
    (@field [$($head:tt)*] [$($done:tt)*]) => {
        $($head)* { $($done)* }
    };
}

/// Builder setters for the optional fields of a request type, plus `field(name, value)` for
/// fields this version does not model (kept in the type's `extra` map).
macro_rules! setters {
    ($ty:ident { $( $(#[$doc:meta])* $field:ident : $t:ty ),* $(,)? }) => {
        impl $ty {
            $(
                $(#[$doc])*
                pub fn $field(mut self, value: impl Into<$t>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*

            /// Sets a field this version does not model (sent as is).
            pub fn field(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
                self.extra.insert(name.into(), value.into());
                self
            }
        }
    };
}

/// `impl HasId` for models whose `id` field is an `Option<String>` document id.
macro_rules! has_id {
    ($($ty:ty),* $(,)?) => {
        $(
            impl HasId for $ty {
                fn id(&self) -> Option<&str> {
                    self.id.as_deref()
                }
            }
        )*
    };
}

has_id!(
    Agent,
    CallFlow,
    CallHistory,
    Conversation,
    Folder,
    Invitation,
    KnowledgeBase,
    MessageFlow,
    ObjectRef,
    OmniFlowAgent,
    PhoneNumber,
    Voice,
    Workspace,
);

pub mod active_calls;
pub mod agents;
pub mod batch_calls;
pub mod call_flows;
pub mod call_history;
pub mod calls;
pub mod common;
pub mod conversations;
pub mod folders;
pub mod knowledge_base;
pub mod message_flows;
pub mod omni_flow_agents;
pub mod phone_numbers;
pub mod recordings;
#[cfg(feature = "schema")]
pub mod schema;
pub mod voices;
pub mod workspaces;

pub use active_calls::*;
pub use agents::*;
pub use batch_calls::*;
pub use call_flows::*;
pub use call_history::*;
pub use calls::*;
pub use common::*;
pub use conversations::*;
pub use folders::*;
pub use knowledge_base::*;
pub use message_flows::*;
pub use omni_flow_agents::*;
pub use phone_numbers::*;
pub use recordings::*;
pub use voices::*;
pub use workspaces::*;
