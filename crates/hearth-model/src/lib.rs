//! Hearth's data model (see `PRODUCT.md` §3 and `ARCHITECTURE.md`).
//!
//! Invariant: this crate does no IO. It holds the types every other crate speaks:
//! what a reader produces ([`RawMessage`]), what the store hands to analysis ([`Snapshot`]),
//! the role and interaction vocabulary ([`Role`], [`InteractionClass`]) and the user's
//! configuration ([`Config`]), which is parsed elsewhere.

mod config;
mod ids;
mod raw;
mod role;
mod snapshot;

pub use config::{
    BrandRules, Config, DEFAULT_MIN_CONFIDENCE, IdentityRules, QueueRules, ROUTE_QUEUES, RoleRules,
    RouteRule, RouteRules, SocialRules, UtmRules, When, default_route_rules,
};
pub use ids::{AccountId, MessageId, PersonId, SourceId, SpaceId};
pub use raw::{PostMetrics, RawAccount, RawMessage};
pub use role::{Interaction, InteractionClass, InteractionKind, Role};
pub use snapshot::{
    AccountInfo, IdentityAction, Measured, MessageColumns, NO_PARENT, PersonInfo, Snapshot,
    SpaceInfo, TextMeasure,
};
