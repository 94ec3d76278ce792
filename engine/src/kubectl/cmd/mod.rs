//! One module per kubectl verb.

pub mod apply;
pub mod create;
pub mod get;
pub mod version;
