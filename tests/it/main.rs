//! bxland's integration tests: one binary (as mdBook's testsuite), a module per area, the
//! shared helpers in `support/`. One binary links once; one per file linked every
//! dependency again for each. Run one area with `cargo test --test it <module>::`.

mod support;

mod batch_cli;
mod bitrix24_browser;
mod bitrix24_export;
mod bitrix24_publish;
mod build_pipeline;
mod build_reuse;
mod comms_agent;
mod comms_card_cache;
mod comms_cards;
mod comms_coordinator;
mod comms_schedule;
mod comms_texts;
mod core_agency;
mod core_commands;
mod core_input;
mod core_rules;
mod delivered_texts;
mod hostile;
mod hostile_prop;
mod hostile_serve;
mod layers;
mod output_snapshots;
mod render_escape;
mod render_page;
mod render_snapshots;
mod render_vnu;
mod serve_browser;
mod serve_reload;
mod site_management_archive;
mod site_management_browser;
mod site_management_coverage;
mod site_management_head;
mod site_management_live;
mod site_management_render;
mod site_management_setup;
mod text_cli;
mod text_corpus;
mod text_report;
