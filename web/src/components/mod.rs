pub mod clock;
pub mod cluster;
pub mod editor;
pub mod events;
pub mod terminal;
