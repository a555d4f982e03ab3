//! «1С-Битрикс: Управление сайтом»: the reminders and the follow-up sent by a Bitrix agent.
//!
//! Two PHP files go into the site template archive:
//! - `install/mailings.php`, required by the setup script once the web form exists (with
//!   `$formId`, `$formSid`, `$siteId` and `$report($state, $text)` in scope, the contract of
//!   `install/setup.php`). It creates, or updates when it differs, one mail event type and one
//!   template per mail, found by their codes, remembers the form and the site, and registers
//!   the agent (`CAgent::AddAgent`, found by its name). Run it twice: the second run changes
//!   nothing. Opened on its own (no prolog, no setup variables) it does nothing.
//! - `include/bxland-mailer.php`, the agent. Every 5 minutes it looks for the sends that are
//!   due (planned time passed, the next reminder not yet begun; a send whose window closed
//!   less than [`GRACE`] ago still goes when no later reminder has begun, so an agent that
//!   runs on hits catches up), and sends that mail
//!   (`CEvent::Send`) to each result of the form whose status is not «Отклонена» and that has
//!   not had it yet. What was sent is kept per send in `COption` (`bxland` module), saved after
//!   every mail: a rerun, a second agent or a missed tick never sends twice. Once every send is
//!   over, the agent returns an empty name and Bitrix removes it.
//!
//! Every event string is written as a PHP single-quoted literal ([`php_str`]); nothing of the
//! event reaches PHP code any other way. Event text in the mail templates cannot form Bitrix
//! macros (`#EMAIL#`): [`macro_free_subject`] and [`macro_free_html`].

use sha2::{Digest, Sha256};

use crate::catalog;
use crate::comms::mails;
use crate::comms::schedule::{Channel, Schedule};
use crate::webinar::Webinar;

/// The status title of a rejected registration; the setup script makes one per reason
/// («Отклонена: конкурент», «Отклонена: студент»), all starting with it and «:».
fn rejected_status() -> &'static str {
    catalog::staff("site_management.status_rejected")
}

/// Agent interval, seconds.
pub const AGENT_INTERVAL: u32 = 300;

/// How long after its window closed a reminder is still sent (seconds), when no later
/// reminder has begun: the agent runs on hits unless cron runs the agents.
pub const GRACE: i64 = 3600;

/// A mail subject for a Bitrix template: one line (CR, LF and other controls become spaces)
/// and no `#` that could form a macro (the full-width `＃` reads the same).
pub fn macro_free_subject(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    one_line
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('#', "＃")
}

/// An HTML mail body for a Bitrix template: every `#` becomes `&#35;`, which a mail client
/// reads as `#` (in text and attribute values alike) and Bitrix never takes for a macro.
pub fn macro_free_html(s: &str) -> String {
    s.replace('#', "&#35;")
}

use crate::escape::php_sq;

/// A short key unique to the event: names the PHP class, the mail event types and the options.
pub fn key(event: &Webinar) -> String {
    let digest = Sha256::digest(event.slug.clone().as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("e{hex}")
}

pub fn class_name(event: &Webinar) -> String {
    format!("BxlandMailer_{}", key(event))
}

pub fn event_type(event: &Webinar, mail: &str) -> String {
    event_type_for(&key(event), mail)
}

/// [`event_type`] from the event's [`key`], computed once by the callers that name many.
fn event_type_for(key: &str, mail: &str) -> String {
    let m = super::upper_code(mail);
    format!("BXLAND_{}_{m}", key.to_uppercase())
}

fn email_sid(event: &Webinar) -> String {
    event
        .form
        .iter()
        .find(|f| f.id == "email")
        .map(|f| f.sid.clone())
        .unwrap_or_else(|| "EMAIL".into())
}

/// The agent: `include/bxland-mailer.php`.
pub fn mailer_php(event: &Webinar, schedule: &Schedule) -> String {
    let class = class_name(event);
    let event_key = key(event);
    let mut sends = String::new();
    // Sends already in the past on the build day are listed as skipped and never sent.
    for s in schedule
        .sends
        .iter()
        .filter(|s| s.channel == Channel::Email && !s.skipped)
    {
        sends.push_str(&format!(
            "        ['id' => {}, 'mail' => {}, 'event' => {}, 'at' => {}, 'until' => {}, 'grace' => {}], // {}\n",
            php_sq(&s.id),
            php_sq(s.mail),
            php_sq(&event_type_for(&event_key, s.mail)),
            s.utc.timestamp(),
            s.until.timestamp(),
            if s.kind == crate::comms::schedule::Kind::Followup { 0 } else { GRACE },
            s.local.format("%Y-%m-%d %H:%M %:z"),
        ));
    }
    fill(
        MAILER_PHP,
        &[
            ("CLASS", class),
            ("KEY", php_sq(&event_key)),
            ("EMAIL_SID", php_sq(&email_sid(event))),
            ("REJECTED", php_sq(rejected_status())),
            ("INTERVAL", AGENT_INTERVAL.to_string()),
            ("TITLE", php_comment(event.title.as_str())),
            ("SENDS", sends.trim_end().to_string()),
        ],
    )
}

/// Fills each `{{ NAME }}` of a PHP template (`catalog::fill`: inserted text is never
/// scanned again). Every slot here is filled by this file, so an unknown one is a bug in it;
/// an empty value is fine in code (a list with no items, a comment with no title).
fn fill(template: &str, values: &[(&str, String)]) -> String {
    catalog::fill(template, values).unwrap_or_else(|u| match u.gap {
        catalog::Gap::Empty => u.partial,
        _ => panic!("bitrix_agent: {u}"),
    })
}

/// Text safe inside a `/* */` comment and on one line.
fn php_comment(s: &str) -> String {
    s.replace("*/", "* /")
        .replace("?>", "? >")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The installer: `install/mailings.php`.
pub fn mailings_php(event: &Webinar, schedule: &Schedule) -> String {
    mailings_php_with(event, schedule, &mails::Built::default())
}

/// [`mailings_php`] with the event's mails taken from `built`.
pub fn mailings_php_with(event: &Webinar, schedule: &Schedule, built: &mails::Built) -> String {
    let class = class_name(event);
    let event_key = key(event);
    let mut mails_php = String::new();
    for name in mails::mail_names(schedule) {
        let mail = built.get(event, name);
        let body = extract_body(&mail.html);
        mails_php.push_str(&format!(
            "    {} => [\n        'event' => {},\n        'name' => {},\n        'subject' => {},\n        'html' => {},\n    ],\n",
            php_sq(name),
            php_sq(&event_type_for(&event_key, name)),
            php_sq(&macro_free_subject(&format!("bxland: {} — {}", event.title.as_str(), name))),
            php_sq(&macro_free_subject(&mail.subject)),
            php_sq(&macro_free_html(&body)),
        ));
    }
    let sms: Vec<String> = schedule
        .sends
        .iter()
        .filter(|s| s.channel == Channel::Sms)
        .map(|s| {
            format!(
                "{} ({} UTC)",
                s.local.format("%Y-%m-%d %H:%M %:z"),
                s.utc.format("%Y-%m-%d %H:%M")
            )
        })
        .collect();
    let sms_note = if sms.is_empty() {
        "null".to_string()
    } else {
        let times = sms.join(", ");
        php_sq(&fill(
            catalog::staff("site_management.sms_note"),
            &[("times", times)],
        ))
    };
    fill(
        INSTALL_PHP,
        &[
            ("CLASS", class),
            ("TITLE", php_comment(event.title.as_str())),
            ("MAILS", mails_php.trim_end().to_string()),
            ("SMS_NOTE", sms_note),
        ],
    )
}

/// The inside of `<body>`: the template's HTML as the mail module sends it.
fn extract_body(html: &str) -> String {
    let start = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    let end = html.rfind("</body>");
    match (start, end) {
        (Some(s), Some(e)) if s < e => html[s..e].trim().to_string(),
        _ => html.to_string(),
    }
}

pub fn files(event: &Webinar, schedule: &Schedule) -> Vec<(String, Vec<u8>)> {
    files_with(event, schedule, &mails::Built::default())
}

/// [`files`] with the event's mails taken from `built`.
pub fn files_with(
    event: &Webinar,
    schedule: &Schedule,
    built: &mails::Built,
) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "install/mailings.php".into(),
            mailings_php_with(event, schedule, built).into_bytes(),
        ),
        (
            "include/bxland-mailer.php".into(),
            mailer_php(event, schedule).into_bytes(),
        ),
    ]
}

const INSTALL_PHP: &str = r##"<?php
/*
 * bxland: reminders and follow-up of «{{ TITLE }}». Generated; rebuild instead of editing.
 *
 * Required by install/setup.php once the web form exists, with $formId, $formSid, $siteId and
 * $report(string $state, string $text) in scope. Idempotent: mail event types and templates
 * are found by their codes and updated only when they differ, the agent by its name.
 * Opened on its own (no prolog, no setup variables) it does nothing.
 */
if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true || !isset($formId, $formSid, $siteId, $report) || !is_callable($report)) {
    return false;
}
require_once __DIR__ . '/../include/bxland-mailer.php';

return {{ CLASS }}::install((int) $formId, (string) $formSid, (string) $siteId, $report, [
{{ MAILS }}
], {{ SMS_NOTE }});
"##;

const MAILER_PHP: &str = r##"<?php
/*
 * bxland: the agent that sends the reminders and the follow-up of «{{ TITLE }}».
 * Generated; rebuild instead of editing. Installed by install/mailings.php.
 */
if (!class_exists('{{ CLASS }}')) {
    final class {{ CLASS }}
    {
        const MODULE = 'bxland';
        const KEY = {{ KEY }};
        const EMAIL_SID = {{ EMAIL_SID }};
        const REJECTED = {{ REJECTED }};
        const EVENT_LANG = 'ru';
        const INTERVAL = {{ INTERVAL }};
        const RESULTS_LIMIT = 100000;

        /** Each send: its mail event type, when it is due and until when (Unix time, UTC). */
        public static $sends = [
{{ SENDS }}
        ];

        /** The time now; the recording stand-in of the tests sets $GLOBALS['BXLAND_CLOCK']. */
        public static function now()
        {
            if (isset($GLOBALS['BXLAND_CLOCK']) && is_callable($GLOBALS['BXLAND_CLOCK'])) {
                return (int) call_user_func($GLOBALS['BXLAND_CLOCK']);
            }
            return time();
        }

        /** The agent's name: PHP that Bitrix evaluates on each run (it loads this file first). */
        public static function agentName()
        {
            $file = str_replace('\\', '/', __FILE__);
            $root = isset($_SERVER['DOCUMENT_ROOT']) ? rtrim(str_replace('\\', '/', $_SERVER['DOCUMENT_ROOT']), '/') : '';
            if ($root !== '' && strpos($file, $root . '/') === 0) {
                $path = '$_SERVER[\'DOCUMENT_ROOT\'].\'' . addcslashes(substr($file, strlen($root)), "'\\") . '\'';
            } else {
                $path = '\'' . addcslashes($file, "'\\") . '\'';
            }
            return '(include_once ' . $path . ') ? ' . __CLASS__ . '::agent() : \'\';';
        }

        /** Creates what is missing, updates what differs; $report($state, $text) as setup.php's. */
        public static function install($formId, $formSid, $siteId, $report, array $mails, $smsNote)
        {
            $ok = true;
            $options = ['_form' => (string) $formId, '_form_sid' => $formSid, '_site' => $siteId];
            $optionsChanged = false;
            foreach ($options as $suffix => $value) {
                if (COption::GetOptionString(self::MODULE, self::KEY . $suffix, '') !== $value) {
                    COption::SetOptionString(self::MODULE, self::KEY . $suffix, $value);
                    $optionsChanged = true;
                }
            }
            $report($optionsChanged ? 'updated' : 'found', 'Рассылка напоминаний привязана к веб-форме ' . $formSid . ' (ID ' . (int) $formId . ').');
            foreach ($mails as $code => $mail) {
                $type = CEventType::GetList(['TYPE_ID' => $mail['event'], 'LID' => self::EVENT_LANG]);
                if ($type && $type->Fetch()) {
                    $report('found', 'Почтовое событие ' . $mail['event'] . '.');
                } else {
                    $et = new CEventType();
                    $et->Add([
                        'LID' => self::EVENT_LANG,
                        'EVENT_NAME' => $mail['event'],
                        'NAME' => $mail['name'],
                        'DESCRIPTION' => "#EMAIL_TO# — адрес участника\n#RESULT_ID# — номер заявки",
                    ]);
                    $report('created', 'Почтовое событие ' . $mail['event'] . '.');
                }
                $fields = [
                    'ACTIVE' => 'Y',
                    'EVENT_NAME' => $mail['event'],
                    'LID' => [$siteId],
                    'EMAIL_FROM' => '#DEFAULT_EMAIL_FROM#',
                    'EMAIL_TO' => '#EMAIL_TO#',
                    'SUBJECT' => $mail['subject'],
                    'MESSAGE' => $mail['html'],
                    'BODY_TYPE' => 'html',
                ];
                $by = 'id';
                $order = 'asc';
                $found = CEventMessage::GetList($by, $order, ['TYPE_ID' => $mail['event']]);
                $existing = $found ? $found->Fetch() : false;
                $em = new CEventMessage();
                if ($existing) {
                    $same = true;
                    foreach (['SUBJECT', 'MESSAGE', 'EMAIL_TO', 'BODY_TYPE', 'ACTIVE'] as $key) {
                        $same = $same && isset($existing[$key]) && (string) $existing[$key] === (string) $fields[$key];
                    }
                    if ($same) {
                        $report('found', 'Почтовый шаблон «' . $mail['subject'] . '» (ID ' . (int) $existing['ID'] . ').');
                    } elseif ($em->Update($existing['ID'], $fields)) {
                        $report('updated', 'Почтовый шаблон «' . $mail['subject'] . '» (ID ' . (int) $existing['ID'] . ').');
                    } else {
                        $ok = false;
                        $report('error', 'Почтовый шаблон ' . $code . ' не обновлён: ' . $em->LAST_ERROR);
                    }
                } elseif ($id = $em->Add($fields)) {
                    $report('created', 'Почтовый шаблон «' . $mail['subject'] . '» (ID ' . (int) $id . ').');
                } else {
                    $ok = false;
                    $report('error', 'Почтовый шаблон ' . $code . ' не создан: ' . $em->LAST_ERROR);
                }
            }
            $name = self::agentName();
            $existingAgent = CAgent::GetList([], ['=NAME' => $name])->Fetch();
            if ($existingAgent) {
                $report('found', 'Агент рассылки напоминаний (ID ' . (int) $existingAgent['ID'] . ').');
            } elseif (CAgent::AddAgent($name, '', 'N', self::INTERVAL, '', 'Y', '', 100, false, false)) {
                $report('created', 'Агент рассылки напоминаний (раз в ' . (self::INTERVAL / 60) . ' мин.). Чтобы напоминания уходили вовремя, переведите агентов на cron.');
            } else {
                $ok = false;
                $report('error', 'Не удалось зарегистрировать агента рассылки напоминаний.');
            }
            if ($smsNote !== null) {
                $report('kept', $smsNote);
            }
            return $ok;
        }

        /** One agent run: sends what is due; an empty name once everything is over. */
        public static function agent()
        {
            $now = self::now();
            self::tick($now);
            foreach (self::$sends as $send) {
                if ($now < $send['until'] + $send['grace']) {
                    return self::agentName();
                }
            }
            return '';
        }

        /** Sends every due mail to every registrant not rejected who has not had it. */
        public static function tick($now)
        {
            if (!CModule::IncludeModule('form')) {
                return 0;
            }
            $formId = (int) COption::GetOptionString(self::MODULE, self::KEY . '_form', '0');
            $siteId = COption::GetOptionString(self::MODULE, self::KEY . '_site', '');
            if ($formId <= 0 || $siteId === '') {
                return 0;
            }
            $count = 0;
            foreach (self::$sends as $send) {
                if (!self::due($send, $now)) {
                    continue;
                }
                $done = self::sent($send['id']);
                $by = 's_id';
                $order = 'asc';
                $filtered = false;
                $results = CFormResult::GetList($formId, $by, $order, [], $filtered, 'N', self::RESULTS_LIMIT);
                while ($results && ($row = $results->Fetch())) {
                    $id = (int) $row['ID'];
                    if (isset($done[$id]) || self::rejected($row)) {
                        continue;
                    }
                    $email = self::email($id);
                    if ($email === '') {
                        continue;
                    }
                    CEvent::Send($send['event'], $siteId, ['EMAIL_TO' => $email, 'RESULT_ID' => $id]);
                    $done[$id] = true;
                    self::remember($send['id'], $done);
                    $count++;
                }
            }
            return $count;
        }

        /**
         * In its window, or late by less than its grace when no later send with a grace has
         * begun (that one carries the news now).
         */
        public static function due(array $send, $now)
        {
            if ($now < $send['at']) {
                return false;
            }
            if ($now < $send['until']) {
                return true;
            }
            if ($now >= $send['until'] + $send['grace']) {
                return false;
            }
            foreach (self::$sends as $other) {
                if ($other['grace'] > 0 && $other['at'] > $send['at'] && $other['at'] <= $now) {
                    return false;
                }
            }
            return true;
        }

        private static function rejected(array $row)
        {
            $title = isset($row['STATUS_TITLE']) ? trim((string) $row['STATUS_TITLE']) : '';
            // «Отклонена», or «Отклонена: конкурент» / «Отклонена: студент» (one status per reason).
            return $title === self::REJECTED || strpos($title, self::REJECTED . ':') === 0;
        }

        private static function email($resultId)
        {
            $result = [];
            $answers = [];
            $data = CFormResult::GetDataByID($resultId, [self::EMAIL_SID], $result, $answers);
            $value = isset($data[self::EMAIL_SID][0]['USER_TEXT']) ? trim((string) $data[self::EMAIL_SID][0]['USER_TEXT']) : '';
            return strpos($value, '@') > 0 ? $value : '';
        }

        private static function option($sendId)
        {
            return self::KEY . '_sent_' . $sendId;
        }

        private static function sent($sendId)
        {
            $raw = COption::GetOptionString(self::MODULE, self::option($sendId), '');
            $done = [];
            foreach (explode(',', $raw) as $id) {
                if ((int) $id > 0) {
                    $done[(int) $id] = true;
                }
            }
            return $done;
        }

        private static function remember($sendId, array $done)
        {
            COption::SetOptionString(self::MODULE, self::option($sendId), implode(',', array_keys($done)));
        }
    }
}
"##;
