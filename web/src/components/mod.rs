pub mod clock;
pub mod cluster;
pub mod events;
pub mod terminal;
