//! Helpers shared by the integration tests: scratch events, `bxland` runs, the stand-ins.

pub mod bitrix24_stand_in;
pub mod browser;
pub mod common;
pub mod comms_common;
pub mod render_common;
pub mod site_management_common;
// Also used by `benches/serve_reload.rs`, so it stays beside the serve fixtures.
#[path = "../../fixtures/serve/support.rs"]
pub mod serve;
