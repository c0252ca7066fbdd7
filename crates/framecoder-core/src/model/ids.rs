//! Typed identifiers. Every entity carries a UUID so that two coders'
//! projects can later be merged without collisions; the newtypes keep a
//! label id from ever being used where a document id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random id.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Identifies a [`crate::model::Document`].
    DocumentId
);
id_type!(
    /// Identifies a [`crate::model::Label`] in the codebook.
    LabelId
);
id_type!(
    /// Identifies a [`crate::model::Coder`].
    CoderId
);
id_type!(
    /// Identifies an [`crate::model::Annotation`].
    AnnotationId
);
