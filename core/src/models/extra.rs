//! Where a model keeps what it does not know.

/// The JSON fields a model does not know, kept as they came.
pub type Extra = serde_json::Map<String, serde_json::Value>;
