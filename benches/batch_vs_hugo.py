#!/usr/bin/env python3
"""Batch benchmark: bxland `check` and `build` (all targets) of N generated events, against
Hugo building the same N landing pages from equivalent content, in one run on this machine.

    python3 benches/batch_vs_hugo.py [--sizes 100,1000,5000] [--fs disk,tmpfs] [--repeat 3] [--more]
                                     [--bxland target/release/bxland]

For each N, on disk (the system temp folder) and on tmpfs (/dev/shm), in one run: Hugo, `bxland
check`, `bxland build --target html`, the full build with a warm card cache and `cp -r` of that
full build's own output (its floor on the file system). Prints events per second, CPU per
event, peak memory (max RSS from /usr/bin/time) and each row's ratio to Hugo and to `cp -r`
measured in the same run (above 1: faster), then peak RSS per N. First the one-event figures:
`check` as a whole process, median of 101 runs interleaved with /bin/true and `--version`. Needs Debian's `hugo` and a release build of bxland
(`cargo build --release`). Nothing here is a test: figures vary with the machine.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "example-event")

TOPICS = [
    ("Битрикс24 для отдела продаж", "воронки, роботы и отчёты"),
    ("Задачи и проекты в Битрикс24", "как руководителю видеть всю работу"),
    ("Сайт на «1С-Битрикс: Управление сайтом»", "от макета до заявок"),
    ("Битрикс24.Сайты для малого бизнеса", "страница с формой за вечер"),
    ("CRM Битрикс24 для дистрибуции", "порядок в заявках и сделках"),
    ("HR в Битрикс24", "онбординг и документы сотрудников"),
]
NAMES = ["Айгерим Сапарова", "Иван Иванов", "Ерлан Нурланов", "Мария Ким", "Данияр Абенов", "Ольга Петрова", "Тимур Ахметов", "Алия Жумабаева"]
POSITIONS = ["Руководитель отдела внедрения", "Коммерческий директор", "Бизнес-аналитик", "Руководитель отдела продаж", "Менеджер проектов"]
COMPANIES = ["ТОО «Алтын Софт»", "ТОО «Дала Трейд»", "ТОО «Сарыарка Логистик»", "ТОО «Каспий Сервис»"]


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def make_event(i, rnd):
    topic, sub = TOPICS[i % len(TOPICS)]
    title = f"{topic}: {sub} (поток {i + 1})"
    items = []
    minute = 10 * 60
    n_items = 3 + rnd.randrange(6)
    speakers = rnd.sample(range(len(NAMES)), 3)
    for k in range(n_items):
        if k == 0:
            kind, length = "opening", 10
        elif k == 1:
            kind, length = "talk", 40 + rnd.randrange(3) * 5
        elif k == n_items - 1:
            kind, length = "qa", 15
        else:
            kind, length = rnd.choice(["talk", "case", "masterclass"]), 20 + rnd.randrange(5) * 5
        start, end = minute, minute + length
        minute = end
        items.append({
            "start": f"{start // 60:02d}:{start % 60:02d}",
            "end": f"{end // 60:02d}:{end % 60:02d}",
            "kind": kind,
            "title": "Обзор Битрикс24: CRM, задачи и сайты" if k == 1 else f"Доклад {k}: практика внедрения в проекте «{code_name(i)}», шаг {k}",
            "product": "Битрикс24" if k == 1 else None,
            "theses": [f"Тезис {t + 1}: что делать и зачем в проекте «{code_name(i)}»" for t in range(2 + rnd.randrange(3))] if kind in ("talk", "case", "masterclass") else [],
            "speaker": speakers[k % 3],
        })
    return title, items, speakers


SYLLABLES = ["ка", "ра", "на", "ли", "са", "ту", "бе", "ро", "ми", "да", "го", "ле", "ну", "ва", "зе", "ко", "ти", "ла", "ме", "су"]


def code_name(i):
    """A made-up project name of three syllables, one per event up to 8,000 events: words, not
    digits (every number makes the price rules look around it, which real prose rarely does)."""
    a, b, c = i % 20, i // 20 % 20, i // 400 % 20
    return (SYLLABLES[a] + SYLLABLES[b] + SYLLABLES[c]).capitalize()


def own_prose(i):
    """The sentences that make an event's summary, description and audience its own: bxland
    remembers what the rules found in a text by its words, and prose repeated in every event
    would measure that memory instead of the rules. Consent, contacts and speakers stay the same
    in every event, as in an agency's series."""
    name = code_name(i)
    return (f"Проект «{name}»: ", f"На примере проекта «{name}» разбираем вопросы участников.\n\n",
            f"Команды, похожие на проект «{name}»: ")


def write_bxland_event(root, i, title, items, speakers):
    d = os.path.join(root, f"event-{i:05d}")
    os.makedirs(os.path.join(d, "assets"))
    shutil.copy(os.path.join(EXAMPLE, "assets", "logo.svg"), os.path.join(d, "assets", "logo.svg"))
    shutil.copy(os.path.join(EXAMPLE, "assets", "bitrix24.svg"), os.path.join(d, "assets", "bitrix24.svg"))
    base = open(os.path.join(EXAMPLE, "event.toml"), encoding="utf-8").read()
    head = base[: base.index("[speakers.saparova]")]
    tail = base[base.index("[registration]"):]
    head = head.replace('title = "Битрикс24 для отдела продаж: от заявки до сделки"', "title = " + toml_str(title))
    head = head.replace('slug = "b24-sales-2027-03"', f'slug = "bench-{i:05d}"')
    summary, description, audience = own_prose(i)
    head = head.replace('summary = "', 'summary = "' + summary, 1)
    head = head.replace('description = """\n', 'description = """\n' + description, 1)
    head = head.replace('audience = """\n', 'audience = """\n' + audience, 1)
    out = [head]
    for s in speakers:
        out.append(f"[speakers.s{s}]\nname = {toml_str(NAMES[s])}\nposition = {toml_str(POSITIONS[s % len(POSITIONS)])}\ncompany = {toml_str(COMPANIES[s % len(COMPANIES)])}\n\n")
    for it in items:
        out.append("[[program]]\n")
        out.append(f'start = "{it["start"]}"\nend = "{it["end"]}"\ntitle = {toml_str(it["title"])}\nkind = "{it["kind"]}"\n')
        if it["product"]:
            out.append(f'product = "{it["product"]}"\n')
        if it["theses"]:
            out.append("theses = [" + ", ".join(toml_str(t) for t in it["theses"]) + "]\n")
        out.append(f'speakers = ["s{it["speaker"]}"]\n\n')
    out.append(tail)
    with open(os.path.join(d, "event.toml"), "w", encoding="utf-8") as f:
        f.write("".join(out))


HUGO_LAYOUT = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}</title><meta name="description" content="{{ .Params.summary }}">
<meta property="og:type" content="website"><meta property="og:title" content="{{ .Title }}">
<meta property="og:description" content="{{ .Params.summary }}"><meta property="og:url" content="{{ .Permalink }}">
<meta name="twitter:card" content="summary_large_image">
{{ $ld := dict "@context" "https://schema.org" "@type" "Event" "name" .Title "description" .Params.summary "startDate" .Params.start "endDate" .Params.end "eventAttendanceMode" "https://schema.org/OnlineEventAttendanceMode" "organizer" (dict "@type" "Organization" "name" .Params.organizer) "isAccessibleForFree" true }}
<script type="application/ld+json">{{ $ld | jsonify | safeJS }}</script>
{{ $css := resources.Get "style.css" | minify }}<link rel="stylesheet" href="{{ $css.RelPermalink }}"></head>
<body><header><img src="/logo.svg" alt="{{ .Params.organizer }}"><strong>{{ .Params.organizer }}</strong></header>
<main><section class="hero"><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p><p>{{ .Params.when }}</p><p>Бесплатно, нужна регистрация</p>
<a href="index.ics">Добавить в календарь</a></section>
<section><h2>Для кого</h2>{{ .Params.audience | markdownify }}</section>
<section><h2>О вебинаре</h2>{{ .Content }}</section>
<section><h2>Программа</h2><ol>{{ range .Params.program }}<li><time>{{ .start }}–{{ .end }}</time> <h3>{{ .title }}</h3>
<ul>{{ range .theses }}<li>{{ . }}</li>{{ end }}</ul><p>{{ .speaker }}, {{ .position }}, {{ .company }}</p></li>{{ end }}</ol></section>
<section><h2>Спикеры</h2><ul>{{ range .Params.speakers }}<li><h3>{{ .name }}</h3><p>{{ .position }}, {{ .company }}</p></li>{{ end }}</ul></section>
<section><h2>Регистрация</h2><form method="post">
{{ range .Params.fields }}<label>{{ .label }} <input name="{{ .id }}" type="{{ .type }}" autocomplete="{{ .ac }}" required></label>{{ end }}
<label><input type="checkbox" name="consent" required> Я согласен на обработку персональных данных</label>
<div class="consent">{{ .Params.consent | markdownify }}</div><button>Зарегистрироваться</button></form></section>
<section><h2>Контакты</h2><p>{{ .Params.contact }}</p></section>
<section><h2>Партнёры</h2><img src="/bitrix24.svg" alt="Битрикс24"></section></main></body></html>
"""

HUGO_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//bench//hugo//RU
BEGIN:VEVENT
UID:{{ .File.BaseFileName }}@example.kz
DTSTAMP:20261125T000000Z
DTSTART:{{ .Params.ics_start }}
DTEND:{{ .Params.ics_end }}
SUMMARY:{{ .Title }}
DESCRIPTION:{{ .Params.summary }}
URL:{{ .Permalink }}
END:VEVENT
END:VCALENDAR
"""

FIELDS = [("last_name", "Фамилия", "text", "family-name"), ("first_name", "Имя", "text", "given-name"),
          ("company", "Название компании", "text", "organization"), ("position", "Должность", "text", "organization-title"),
          ("email", "Электронная почта", "email", "email"), ("phone", "Контактный телефон", "tel", "tel")]


def write_hugo_site(root, events):
    os.makedirs(os.path.join(root, "content", "events"))
    os.makedirs(os.path.join(root, "layouts", "_default"))
    os.makedirs(os.path.join(root, "assets"))
    os.makedirs(os.path.join(root, "static"))
    shutil.copy(os.path.join(EXAMPLE, "assets", "logo.svg"), os.path.join(root, "static", "logo.svg"))
    shutil.copy(os.path.join(EXAMPLE, "assets", "bitrix24.svg"), os.path.join(root, "static", "bitrix24.svg"))
    css = os.path.join(ROOT, "themes", "default", "style.css")
    if not os.path.exists(css):
        sys.exit(f"no theme CSS at {css}")
    shutil.copy(css, os.path.join(root, "assets", "style.css"))
    with open(os.path.join(root, "config.toml"), "w") as f:
        f.write('baseURL = "https://example.kz/"\nlanguageCode = "ru"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "home", "section", "404", "robotsTXT"]\n'
                '[outputs]\npage = ["html", "calendar"]\n')
    with open(os.path.join(root, "layouts", "_default", "single.html"), "w") as f:
        f.write(HUGO_LAYOUT)
    with open(os.path.join(root, "layouts", "_default", "single.ics"), "w") as f:
        f.write(HUGO_ICS)
    import tomllib
    with open(os.path.join(EXAMPLE, "event.toml"), "rb") as f:
        ex = tomllib.load(f)["event"]
    consent = "Я даю согласие ТОО «Алтын Софт» на обработку персональных данных: фамилия, имя, компания, должность, e-mail, телефон. ТОО «1С-Битрикс Казахстан» вправе обрабатывать эти данные в тех же целях."
    for i, (title, items, _speakers) in enumerate(events):
        summary, description, audience = own_prose(i)
        lines = ["+++", "title = " + toml_str(title), 'summary = "' + summary + ex["summary"] + '"', 'organizer = "ТОО «Алтын Софт»"',
                 'when = "18 марта 2027, 10:00–11:45 по времени Алматы (UTC+5)"', 'start = "2027-03-18T10:00:00+05:00"',
                 'end = "2027-03-18T11:45:00+05:00"', 'ics_start = "20270318T050000Z"', 'ics_end = "20270318T064500Z"', 'contact = "events@altyn-soft.example.kz, +7 727 355 00 00"',
                 "audience = " + toml_str(audience + ex["audience"]), "consent = " + toml_str(consent)]
        for s in sorted(set(it["speaker"] for it in items)):
            lines += ["[[speakers]]", "name = " + toml_str(NAMES[s]), "position = " + toml_str(POSITIONS[s % len(POSITIONS)]),
                      "company = " + toml_str(COMPANIES[s % len(COMPANIES)])]
        for fid, label, typ, ac in FIELDS:
            lines += ["[[fields]]", f'id = "{fid}"', "label = " + toml_str(label), f'type = "{typ}"', f'ac = "{ac}"']
        for it in items:
            s = it["speaker"]
            lines += ["[[program]]", f'start = "{it["start"]}"', f'end = "{it["end"]}"', "title = " + toml_str(it["title"]),
                      "theses = [" + ", ".join(toml_str(t) for t in it["theses"]) + "]", "speaker = " + toml_str(NAMES[s]),
                      "position = " + toml_str(POSITIONS[s % len(POSITIONS)]), "company = " + toml_str(COMPANIES[s % len(COMPANIES)])]
        lines += ["+++", description + ex["description"]]
        with open(os.path.join(root, "content", "events", f"event-{i:05d}.md"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines))


def settle():
    """Lets the file system finish what earlier runs left: `sync`, then a pause. Removing a
    previous output (tens of thousands of files at N=1000) leaves journal and discard work
    (this disk is mounted with `discard`) that the kernel otherwise does during the next timed
    run, charging one tool for the clean-up of another's files: unsettled, the same build of
    50 events measured 0.3-1.4 s, settled 0.22-0.27 s."""
    os.sync()
    time.sleep(1.0)


def timed(cmd, cwd=None, env=None):
    """Runs cmd under /usr/bin/time: (seconds, peak RSS in MiB, exit code, stderr tail,
    user + system CPU seconds)."""
    tf = tempfile.NamedTemporaryFile(delete=False)
    tf.close()
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", tf.name] + cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       env=None if env is None else {**os.environ, **env})
    dt = time.perf_counter() - t0
    rss, user, system = open(tf.name).read().strip().splitlines()[-1].split()
    os.unlink(tf.name)
    return dt, int(rss) / 1024, p.returncode, p.stderr.decode(errors="replace")[-400:], float(user) + float(system)


def count_files(root, name):
    return sum(1 for _dir, _subdirs, files in os.walk(root) for f in files if f == name)


class Scratch:
    """Fresh folders under one root. Nothing is deleted while timing: every run writes into a
    folder of its own, and all of them go when the root does, after the last run of a size.
    Removing tens of thousands of files costs this disk (mounted with `discard`) seconds of
    kernel time that spills into whatever runs next, even after `sync`: deleting outputs between
    runs made one tool pay for another's clean-up."""

    def __init__(self, root, discard=False):
        self.root = root
        self.n = 0
        self.discard = discard

    def done(self, path):
        """A timed run's output has been checked: on tmpfs it goes now."""
        if self.discard:
            shutil.rmtree(path, ignore_errors=True)

    def path(self, name):
        self.n += 1
        return os.path.join(self.root, f"{name}-{self.n}")


def best_of(repeat, make_cmd, expect_files, n, scratch, cache=None):
    """The fastest of `repeat` runs of `make_cmd(out)`, each into a fresh `out` (other work on
    the machine only ever slows a run down), with the peak RSS of that run; checks that every
    page was written. `cache` is the card cache (BXLAND_CACHE_DIR): "cold" gives every run a
    new empty one, "warm" one filled by an untimed run first, None none."""
    best = None
    env = None
    if cache == "warm":
        env = {"BXLAND_CACHE_DIR": scratch.path("cache")}
        timed(make_cmd(scratch.path("fill")), env=env)
    for _ in range(repeat):
        out = scratch.path("out")
        if cache == "cold":
            env = {"BXLAND_CACHE_DIR": scratch.path("cache")}
        cmd = make_cmd(out)
        settle()
        r = timed(cmd, env=env)
        if r[2] != 0:
            sys.exit(f"{' '.join(cmd)} exited {r[2]}: {r[3]}")
        for name in expect_files:
            got = count_files(out, name)
            if got != n:
                sys.exit(f"{' '.join(cmd)}: {got} {name} files for {n} events")
        scratch.done(out)
        if best is None or r[0] < best[0]:
            best = r
    return best


def best_rebuild(repeat, prime, again, scratch):
    """The fastest of `repeat` runs of `again(out)` over the output `prime(out)` left, with a
    warm card cache: an agency building its batch again."""
    best = None
    env = {"BXLAND_CACHE_DIR": scratch.path("cache")}
    for _ in range(repeat):
        out = scratch.path("out")
        timed(prime(out), env=env)
        settle()
        r = timed(again(out), env=env)
        if r[2] != 0:
            sys.exit(f"{' '.join(again(out))} exited {r[2]}: {r[3]}")
        scratch.done(out)
        if best is None or r[0] < best[0]:
            best = r
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,1000,5000", help="comma-separated; empty: only the one-event figures")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest counts")
    ap.add_argument("--fs", default="disk,tmpfs", help="where to build: disk (the system temp folder), tmpfs (/dev/shm), or both")
    ap.add_argument("--more", action="store_true",
                    help="also a cold card cache, building again over the output and again one day later")
    ap.add_argument("--fewer-files", action="store_true",
                    help="also `cp -r` of the full output without the files a product decision could drop")
    ap.add_argument("--bxland", default=os.path.join(ROOT, "target", "release", "bxland"))
    ap.add_argument("--hugo", default="hugo")
    ap.add_argument("--generate", nargs=2, metavar=("N", "DIR"),
                    help="only write N generated events into DIR (for profiling) and exit")
    args = ap.parse_args()
    if args.generate:
        n, root = int(args.generate[0]), args.generate[1]
        os.makedirs(root, exist_ok=True)
        rnd = random.Random(n)
        for i in range(n):
            write_bxland_event(root, i, *make_event(i, rnd))
        return
    if not os.path.exists(args.bxland):
        sys.exit(f"no bxland binary at {args.bxland}: run `cargo build --release` first")
    if shutil.which(args.hugo) is None:
        sys.exit("hugo not found: apt-get install -y hugo")
    hugo_version = subprocess.run([args.hugo, "version"], capture_output=True, text=True).stdout.strip()
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f} at start; "
          f"{hugo_version}; best of {args.repeat} runs")
    today = ["--today", "2026-11-25"]
    one_event(args, today)
    places = {"disk": None, "tmpfs": "/dev/shm"}
    fss = [f for f in args.fs.split(",") if f]
    for f in fss:
        if f not in places:
            sys.exit(f"--fs: {f}? (disk, tmpfs)")
    print(f"{'fs':<5} {'N':>6} {'tool':<22} {'seconds':>8} {'events/s':>9} {'CPU ms/ev':>9} {'peak MiB':>9} {'vs hugo':>8} {'vs cp -r':>8} {'load':>5}")
    summary = []
    for n in [int(x) for x in args.sizes.split(",") if x]:
        rnd = random.Random(n)
        events = [make_event(i, rnd) for i in range(n)]
        for fs in fss:
            rows = batch(args, today, n, events, fs, places[fs])
            summary.append((fs, n, rows))
    if summary:
        print()
        print("# peak RSS (MiB) per N: is memory flat in N?")
        for fs in fss:
            per_tool = {}
            for f, n, rows in summary:
                if f == fs:
                    for name, r, _load in rows:
                        per_tool.setdefault(name, []).append(f"N={n}: {r[1]:.0f}")
            for name, figures in per_tool.items():
                print(f"{fs:<5} {name:<22} " + ", ".join(figures))


def batch(args, today, n, events, fs, where):
    """All the tools over the same N events in a fresh folder on `fs`; prints the rows."""
    tmpfs = where is not None
    with tempfile.TemporaryDirectory(dir=where) as tmp:
        ev_root = os.path.join(tmp, "events")
        os.makedirs(ev_root)
        for i, (title, items, speakers) in enumerate(events):
            write_bxland_event(ev_root, i, title, items, speakers)
        site = os.path.join(tmp, "hugo")
        write_hugo_site(site, events)
        # On tmpfs deleting costs nothing later: every output goes as soon as it is counted,
        # so that 5,000 events' outputs do not fill the memory.
        scratch = Scratch(tmp, discard=tmpfs)
        rows = []
        # Hugo: one HTML page and one calendar file per event, minified, like `--target html`.
        rows.append(("hugo", best_of(args.repeat, lambda out: [args.hugo, "--quiet", "--source", site, "--destination", out, "--minify"],
                                     ["index.html", "index.ics"], n, scratch), os.getloadavg()[0]))
        rows.append(("bxland check", best_of(args.repeat, lambda _out: [args.bxland, "check", ev_root, "--format", "json"] + today,
                                             [], n, scratch), os.getloadavg()[0]))
        rows.append(("bxland html", best_of(args.repeat, lambda out: [args.bxland, "build", ev_root, "--out", out, "--target", "html"] + today,
                                            ["index.html", "event.ics"], n, scratch), os.getloadavg()[0]))

        def full(out, day=today):
            return [args.bxland, "build", ev_root, "--out", out] + day
        if args.more:
            rows.append(("bxland all, cold", best_of(args.repeat, full, ["index.html", "report.json"], n, scratch,
                                                     cache="cold"), os.getloadavg()[0]))
        rows.append(("bxland all, warm", best_of(args.repeat, full, ["index.html", "report.json"], n, scratch,
                                                 cache="warm"), os.getloadavg()[0]))
        if args.more:
            # Building again over the previous output: nothing changed; then every event changed a
            # little (another --today: each calendar file and report differ, the rest does not).
            rows.append(("bxland all, again", best_rebuild(args.repeat, full, full, scratch), os.getloadavg()[0]))
            rows.append(("bxland all, +1 day", best_rebuild(args.repeat, full, lambda out: full(out, ["--today", "2026-11-26"]),
                                                            scratch), os.getloadavg()[0]))
        # The floor of a full build on this file system: copying its output tree with
        # `cp -r` (same files, folders and bytes; no computing at all).
        built = os.path.join(tmp, "built")
        timed(full(built), env={"BXLAND_CACHE_DIR": scratch.path("cache")})
        files = sum(len(f) for _d, _s, f in os.walk(built))
        cp_name = f"cp -r ({files // n} files/ev)"
        rows.append((cp_name, best_of(args.repeat, lambda copy: ["cp", "-r", built, copy], [], n, scratch), os.getloadavg()[0]))
        cp_s = rows[-1][1][0]
        if args.fewer_files:
            # What the floor would be with fewer files per event (a product decision, measured
            # here to inform it): the mails as `.eml` alone (it holds both the HTML and the
            # text part), then also no SVG copies of the cards and no second 1200x630 PNG.
            for name, drop in fewer_files_variants():
                lean = os.path.join(tmp, f"lean-{len(rows)}")
                shutil.copytree(built, lean)
                for d, _s, fs_ in os.walk(lean):
                    for f in fs_:
                        if drop(os.path.relpath(os.path.join(d, f), lean).split(os.sep)[1:]):
                            os.unlink(os.path.join(d, f))
                kept = sum(len(f) for _d, _s, f in os.walk(lean))
                rows.append((f"cp -r ({kept // n}: {name})", best_of(args.repeat, lambda copy: ["cp", "-r", lean, copy], [], n, scratch),
                             os.getloadavg()[0]))
        hugo_s = rows[0][1][0]
        for name, (dt, rss, _code, _err, cpu), load in rows:
            print(f"{fs:<5} {n:>6} {name:<22} {dt:>8.2f} {n / dt:>9.0f} {cpu * 1000 / n:>9.2f} {rss:>9.1f} {hugo_s / dt:>7.2f}x "
                  f"{cp_s / dt:>7.2f}x {load:>5.1f}", flush=True)
        return rows


def fewer_files_variants():
    """(name, whether to drop a file given its path inside an event's output, as parts)."""
    def mail_parts(p):
        return p[0] == "mailings" and p[-1].endswith((".html", ".txt")) and p[-1] != "sms.txt"

    def copies(p):
        return (p[0] == "announce" and p[-1].endswith(".svg")) or p == ["preview", "og-card.png"]
    return [("mails .eml only", mail_parts), ("and no card copies", lambda p: mail_parts(p) or copies(p))]


def one_event(args, today):
    """One event as a whole process: `check` (the issue's 5 ms target) and `build`. Run before
    the batches, while the disk has no deletions of theirs still to finish."""
    settle()
    one = tempfile.mkdtemp()
    shutil.copytree(EXAMPLE, os.path.join(one, "e"))
    check_one = [args.bxland, "check", os.path.join(one, "e")] + today
    floor = {"/bin/true": ["/bin/true"], "bxland --version": [args.bxland, "--version"]}
    runs = process_times({"check of one event": check_one, **floor}, 101)
    for name, times in runs.items():
        print(f"{name:<22} as a whole process: median {median_ms(times):.2f} ms, p10 {times[len(times) // 10] * 1000:.2f} ms "
              f"(101 runs, interleaved)")
    print(f"check of one event minus the start of `bxland --version`: {median_ms(runs['check of one event']) - median_ms(runs['bxland --version']):.2f} ms")
    one_cache = {"BXLAND_CACHE_DIR": os.path.join(one, "cache")}
    runs = []
    for _ in range(11):
        shutil.rmtree(one_cache["BXLAND_CACHE_DIR"], ignore_errors=True)
        runs.append(timed([args.bxland, "build", os.path.join(one, "e"), "--out", os.path.join(one, "out")] + today, env=one_cache)[0])
    runs.sort()
    print(f"build (all targets, cold card cache) of one event as a whole process: median {runs[5] * 1000:.1f} ms, best {runs[0] * 1000:.1f} ms (11 runs)")
    shutil.rmtree(one)


def process_times(cmds, n):
    """Wall time of each command as a whole process, started directly (no /usr/bin/time in
    between, which adds a process of its own), `n` runs each, taken in turns so that the
    machine's noise falls on every command alike. Returns the sorted times per command."""
    times = {name: [] for name in cmds}
    for _ in range(n):
        for name, cmd in cmds.items():
            t0 = time.perf_counter()
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - t0)
            if p.returncode != 0:
                sys.exit(f"{' '.join(cmd)} exited {p.returncode}")
    return {name: sorted(t) for name, t in times.items()}


def median_ms(times):
    return times[len(times) // 2] * 1000

if __name__ == "__main__":
    main()
