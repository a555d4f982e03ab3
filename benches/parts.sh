#!/usr/bin/env bash
# Instructions per event, per part, with valgrind's callgrind: repeatable on a shared machine
# where wall times move by tens of percent. Builds N generated events (default 20) with all
# targets and a warm card cache (one untimed build fills it first), and prints the inclusive
# instruction count of each part divided by N.
#
#   benches/parts.sh [N] [path/to/bxland]
#
# Needs valgrind and a release build. Parts are matched by function name, so a renamed
# function shows as 0: check the names below against `callgrind_annotate` when that happens.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
bin=${2:-target/release/bxland}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 benches/batch_vs_hugo.py --generate "$n" "$tmp/events"
export BXLAND_CACHE_DIR="$tmp/cache"
today=(--today 2026-11-25)
"$bin" build "$tmp/events" --out "$tmp/fill" "${today[@]}" >/dev/null
# One thread: rayon's workers would split the counts over threads callgrind reports apart.
export RAYON_NUM_THREADS=1
run() { # name, args...
    local name=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.out" "$bin" "$@" >/dev/null 2>"$tmp/$name.log"
    callgrind_annotate --inclusive=yes --threshold=100 "$tmp/$name.out" >"$tmp/$name.txt" 2>/dev/null
}
total() { grep -m1 "PROGRAM TOTALS" "$tmp/$1.txt" | awk '{gsub(",","",$1); print $1}'; }
# The inclusive count of the first function whose name matches $2 in run $1.
part() {
    grep -E "$2" "$tmp/$1.txt" | head -1 | awk '{gsub(",","",$1); print $1}'
}
per() { awk -v x="${1:-0}" -v n="$n" 'BEGIN { printf "%8.2f", x / n / 1e6 }'; }
run check check "$tmp/events" "${today[@]}"
run html build "$tmp/events" --out "$tmp/html" --target html "${today[@]}"
run all build "$tmp/events" --out "$tmp/all" "${today[@]}"
echo "M instructions per event ($n events; whole runs include start-up and the theme compile)"
printf '%-44s %s\n' "check, whole run" "$(per "$(total check)")"
printf '%-44s %s\n' "build --target html, whole run" "$(per "$(total html)")"
printf '%-44s %s\n' "build, all targets, warm cache, whole run" "$(per "$(total all)")"
echo "parts of the full build:"
for p in \
    "load and rules (check_dir)|bxland::pipeline::check::check_dir" \
    "  the rules|bxland::rules::check " \
    "render (page, incl. minify and self-check)|bxland::render::context::render " \
    "  minify-html|bxland::render::minify::minify " \
    "  visible_text|bxland::render::minify::visible_text" \
    "  page self-check|bxland::render::context::verify" \
    "  Tera render|tera::tera::Tera::render " \
    "  Markdown|bxland::markdown::" \
    "target html (preview)|<bxland::export::Preview as bxland::export::Target>::files" \
    "target site-management|<bxland::export::SiteManagement as bxland::export::Target>::files" \
    "target bitrix24|<bxland::export::Bitrix24 as bxland::export::Target>::files" \
    "target mailings|<bxland::export::Mailings as bxland::export::Target>::files" \
    "target announce (warm)|<bxland::export::Announce as bxland::export::Target>::files" \
    "mails built (once per event)|bxland::comms::mails::build" \
    "writing outputs|bxland::export::write_tree_atomic" \
    "site-management: its archive (tar.gz)|bxland::export::site_management::tarball::tar_gz" \
    "theme compile (once per run)|bxland::render::theme::ThemeCache::get" \
    "malloc+free+realloc (self)|^ *[0-9,]+ .*(malloc|free|realloc)[ (]"; do
    printf '%-44s %s\n' "${p%%|*}" "$(per "$(part all "${p#*|}")")"
done
