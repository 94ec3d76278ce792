//! One module per kubectl verb.

pub mod get;
pub mod version;
