pub mod clock;
pub mod cluster;
pub mod details;
pub mod editor;
pub mod events;
pub mod lab;
pub mod splitter;
pub mod terminal;
