//! `bxland publish EVENT_DIR --bitrix24 WEBHOOK_URL [--form-id N] [--dry-run]`
//!
//! Checks the event against the rulebook first (nothing is published for an event that breaks
//! a rule), builds the Bitrix24 blocks, then performs the REST calls, printing each one; records
//! the page in `.bxland-bitrix24.json` and writes `bitrix24-form-setup.md` with the page's
//! address. The webhook secret never appears in any output or file.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{color_stderr, say, today};
use crate::diag::Severity;
use crate::export::bitrix24::plan;
use crate::export::bitrix24::publish::{
    check_remote, publish, Client, Options, State, UreqTransport, Webhook, STATE_FILE,
};
use crate::export::from_page;
use crate::i18n::Lang;
use crate::pipeline::{Project, RenderOptions};
use crate::render::{PageOptions, ThemeCache};

/// Exit status when the portal refused a call (1 and 2 keep their meaning from `check`).
pub const EXIT_REST: i32 = 3;

/// form-setup.md with the page's address filled in, written next to the event after publish.
pub const FORM_SETUP_FILE: &str = "bitrix24-form-setup.md";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The event folder.
    pub dir: PathBuf,
    /// Incoming webhook URL: https://<portal>/rest/<user>/<secret>/ (scopes «landing» and «crm»).
    #[arg(
        long = "bitrix24",
        value_name = "WEBHOOK_URL",
        env = "BXLAND_BITRIX24_WEBHOOK",
        hide_env_values = true
    )]
    pub webhook: String,
    /// ID of the CRM form set up by form-setup.md; required unless --dry-run.
    #[arg(long)]
    pub form_id: Option<u64>,
    /// Public URL of styles.css, listed in every block's assets.
    #[arg(long)]
    pub css_url: Option<String>,
    /// Only ask the portal's content filter (landing.repo.checkContent); change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Create or update the page but do not publish it.
    #[arg(long)]
    pub draft: bool,
    /// Update this page (its ID on the portal) instead of the one recorded in
    /// .bxland-bitrix24.json.
    #[arg(long)]
    pub page_id: Option<u64>,
    /// Create a new page when the recorded one was deleted (it gets another address if the
    /// old one is still in the trash).
    #[arg(long)]
    pub new_page: bool,
    /// Publish over changes made in the Bitrix24 editor since the last publish.
    #[arg(long)]
    pub force: bool,
    /// Fixes "today" for the date rules (YYYY-MM-DD).
    #[arg(long)]
    pub today: Option<NaiveDate>,
}

pub fn run(args: Args, lang: Lang) -> i32 {
    // The URL is checked before anything else, so that a typo costs nothing.
    let webhook = match Webhook::parse(&args.webhook) {
        Ok(w) => w,
        Err(msg) => {
            eprintln!("error: {}", msg.get(lang));
            return 2;
        }
    };

    let report = Project::open(&args.dir, today(args.today)).check();
    let color = color_stderr();
    for d in &report.diagnostics {
        eprintln!("{}\n", d.render(&report.sources, lang, color));
    }
    let path = args.dir.display();
    if report.event.is_none() {
        eprintln!(
            "{}",
            say(
                lang,
                &format!("{path}: не удалось прочитать событие; ничего не опубликовано"),
                &format!("{path}: the event could not be read; nothing was published"),
            )
        );
        return 2;
    };
    if !report.ok() {
        let errors = report.count(Severity::Error);
        eprintln!(
            "{}",
            say(
                lang,
                &format!("{path}: отклонено — ошибок: {errors}; в Битрикс24 ничего не отправлено"),
                &format!("{path}: refused — {errors} errors; nothing was sent to Bitrix24"),
            )
        );
        return 1;
    }

    if args.form_id.is_none() && !args.dry_run {
        eprintln!(
            "{}",
            say(
                lang,
                "error: нужен --form-id: сначала создайте CRM-форму по чек-листу form-setup.md (bxland build --target bitrix24) и укажите её номер. Без номера Битрикс24 подставит форму по умолчанию, которая нарушает правила программы.",
                "error: --form-id is required: create the CRM form from the form-setup.md checklist (bxland build --target bitrix24) first and pass its ID. Without it Bitrix24 puts in its default form, which breaks the program rules.",
            )
        );
        return 2;
    }

    // The Open Graph card is drawn like build's: through the card cache.
    crate::comms::card_cache::enable_default(true);
    let Some(approved) = report.approved() else {
        return 2;
    };
    let render = RenderOptions {
        page: PageOptions::new(today(args.today)),
        announce: true,
    };
    let rendered = match approved.render(&ThemeCache::new(), &render) {
        Ok(rendered) => rendered,
        Err(e) => {
            eprintln!("error: {}", e.get(lang));
            return 2;
        }
    };
    let input = rendered.bitrix24_input(args.form_id, args.css_url.clone());
    let plan = match plan(&input) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: {}", e.message().get(lang));
            for line in e.details(lang) {
                eprintln!("  - {line}");
            }
            eprintln!("  = help: {}", e.help().get(lang));
            return 1;
        }
    };

    println!(
        "{}",
        say(
            lang,
            &format!(
                "Битрикс24: {} — блоков: {}, страница «{}»",
                webhook.redacted(),
                plan.blocks.len(),
                plan.slug
            ),
            &format!(
                "Bitrix24: {} — {} blocks, page \"{}\"",
                webhook.redacted(),
                plan.blocks.len(),
                plan.slug
            ),
        )
    );
    let mut client = Client::new(webhook.clone(), UreqTransport::default(), |line| {
        println!("{line}")
    });
    if args.dry_run {
        return match check_remote(&mut client, &plan) {
            Ok(()) => {
                println!(
                    "{}",
                    say(
                        lang,
                        "проверка содержимого пройдена; ничего не изменено",
                        "content check passed; nothing was changed",
                    )
                );
                0
            }
            Err(e) => {
                eprintln!("error: {}", webhook.redact(e.message().get(lang)));
                EXIT_REST
            }
        };
    }
    let state = match State::load(&args.dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "{}",
                say(
                    lang,
                    &format!("error: не удалось прочитать {e}\nhelp: исправьте или удалите файл; затем укажите страницу явно: --page-id <ID>"),
                    &format!("error: could not read {e}\nhelp: fix or delete the file, then name the page: --page-id <ID>"),
                )
            );
            return 2;
        }
    };
    if let Some(s) = state.as_ref().filter(|s| s.portal != webhook.portal()) {
        println!(
            "{}",
            say(
                lang,
                &format!("{STATE_FILE} относится к порталу {}; на {} страница будет найдена по адресу «{}» или создана", s.portal, webhook.portal(), plan.slug),
                &format!("{STATE_FILE} is for portal {}; on {} the page is found by its address \"{}\" or created", s.portal, webhook.portal(), plan.slug),
            )
        );
    }
    let opts = Options {
        publish_page: !args.draft,
        force: args.force,
        page_id: args.page_id,
        new_page: args.new_page,
        state,
        files: input.files.clone(),
        og_image: input.og_image.clone(),
    };
    match publish(&mut client, &plan, &opts) {
        Ok(done) => {
            if let Err(e) = done.state.save(&args.dir) {
                eprintln!(
                    "{}",
                    say(
                        lang,
                        &format!("warning: {STATE_FILE} не записан ({e}): в следующий раз укажите страницу явно: --page-id {}", done.page_id),
                        &format!("warning: {STATE_FILE} was not written ({e}): next time name the page: --page-id {}", done.page_id),
                    )
                );
            }
            let state = if done.published {
                say(lang, "опубликована", "published")
            } else {
                say(lang, "сохранена черновиком", "saved as a draft")
            };
            println!(
                "{}",
                say(
                    lang,
                    &format!(
                        "готово: сайт {} ({}), страница {} ({}), блоков добавлено {}, обновлено {}, файлов загружено {}; страница {state}",
                        done.site_id,
                        if done.site_created { "создан" } else { "найден" },
                        done.page_id,
                        if done.page_created { "создана" } else { "обновлена" },
                        done.added_blocks,
                        done.updated_blocks,
                        done.uploaded_files
                    ),
                    &format!(
                        "done: site {} ({}), page {} ({}), {} blocks added, {} updated, {} files uploaded; the page is {state}",
                        done.site_id,
                        if done.site_created { "created" } else { "found" },
                        done.page_id,
                        if done.page_created { "created" } else { "updated" },
                        done.added_blocks,
                        done.updated_blocks,
                        done.uploaded_files
                    ),
                )
            );
            if let Some(e) = &done.calendar_error {
                eprintln!(
                    "{}",
                    say(
                        lang,
                        &format!(
                            "warning: ссылка «Добавить в календарь» не поставлена: файл .ics не удалось положить на Диск портала ({}). Дайте вебхуку права «Диск» (disk) и разрешите публичные ссылки на файлы, затем запустите publish снова",
                            webhook.redact(e.message().ru.as_ref())
                        ),
                        &format!(
                            "warning: the «add to calendar» link was left out: the .ics file could not be put on the portal's Drive ({}). Give the webhook the «Drive» (disk) permission and allow public file links, then run publish again",
                            webhook.redact(e.message().en.as_ref())
                        ),
                    )
                );
            }
            if done.unregistered > 0 {
                println!(
                    "{}",
                    say(
                        lang,
                        &format!(
                            "из библиотеки блоков убрано устаревших блоков этого события: {}",
                            done.unregistered
                        ),
                        &format!(
                            "{} outdated blocks of this event removed from the block library",
                            done.unregistered
                        ),
                    )
                );
            }
            if let Some(url) = &done.public_url {
                println!(
                    "{}",
                    say(
                        lang,
                        &format!("адрес страницы: {url}"),
                        &format!("page address: {url}")
                    )
                );
                // The same checklist as build's, with the page's address filled in.
                let input = from_page::with_page_url(input, Some(url.clone()));
                let path = args.dir.join(FORM_SETUP_FILE);
                let text = crate::export::bitrix24::form_setup_text(&input, &plan);
                match std::fs::write(&path, text) {
                    Ok(()) => println!(
                        "{}",
                        say(
                            lang,
                            &format!(
                                "чек-лист CRM-формы с адресом страницы в письмах: {}",
                                path.display()
                            ),
                            &format!(
                                "the CRM form checklist with the page address in its mails: {}",
                                path.display()
                            ),
                        )
                    ),
                    Err(e) => eprintln!("warning: {}: {e}", path.display()),
                }
            }
            0
        }
        Err(e) => {
            eprintln!("error: {}", webhook.redact(e.message().get(lang)));
            eprintln!("  = help: {}", webhook.redact(e.help().get(lang)));
            EXIT_REST
        }
    }
}
