//! Id newtypes: a store row id of one table cannot be mistaken for another's.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// One export format known to the store (`mbox`, `slack`, ...).
    SourceId
);
id_type!(
    /// Where talk happens: a list, a forum category, a channel.
    SpaceId
);
id_type!(
    /// One identity on one platform.
    AccountId
);
id_type!(
    /// One human (or bot) behind one or more accounts.
    PersonId
);
id_type!(
    /// One stored message.
    MessageId
);
