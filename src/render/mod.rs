//! Rendering an event through a theme into the landing page.

pub mod theme;
