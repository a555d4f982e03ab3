#!/bin/sh
# Memory and time on hostile input (issue 21: "memory stays under 200 MB and any single event
# under 10 s on every hostile input"). Runs the release binary's `check` and `build` (every
# target, no card cache) over
#   - every case of the hostile corpus (tests/it/hostile.rs, written out by the ignored test
#     hostile::write_hostile_cases), and
#   - the organizer logo replaced by images at the limits of input.image (hostile_images.rs):
#     PNG (plain, interlaced, 50 : 1) at 25 megapixels, baseline and progressive JPEG,
#     lossless WebP, an SVG of 10 MB, and the ones just past a limit (refused),
# and prints peak RSS (from /usr/bin/time -f %M) and wall-clock seconds per run. Exits 1 if a run exceeds LIMIT_MB (200) or LIMIT_S (10) or gives an
# exit code other than the expected one.
#
#   tools/hostile-limits.sh            # builds what it needs (release), prints the table
set -eu
cd "$(dirname "$0")/.."
limit_mb="${LIMIT_MB:-200}"
limit_s="${LIMIT_S:-10}"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bxland-limits.XXXXXX")
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
BXLAND_HOSTILE_CASES="$work/cases" BXLAND_LIMIT_IMAGES="$work/img" \
    cargo test --release --quiet --test it -- --ignored --exact \
    hostile::write_hostile_cases hostile::images::write_limit_images >/dev/null
bin=target/release/bxland

fail=0
max_mb=0; max_mb_at=""; max_s=0; max_s_at=""
# run NAME CMD DIR WANT: one measured run (sh has no locals: its variables start with r_)
run() {
    r_name=$1; r_cmd=$2; r_dir=$3; r_want=$4
    r_extra=""
    if [ "$r_cmd" = build ]; then r_extra="--out $work/out --no-cache"; fi
    set +e
    /usr/bin/time -f "%M %e" -o "$work/time" timeout 120 "$bin" "$r_cmd" "$r_dir" \
        --today 2026-11-25 $r_extra >"$work/log" 2>&1
    r_code=$?
    set -e
    rm -rf "$work/out"
    r_kb=$(tail -n 1 "$work/time" | cut -d' ' -f1)
    r_s=$(tail -n 1 "$work/time" | cut -d' ' -f2)
    r_mb=$(awk "BEGIN { printf \"%.0f\", $r_kb / 1024 }")
    r_verdict=ok
    if [ "$r_code" != "$r_want" ]; then r_verdict="exit $r_code, want $r_want"; fail=1; fi
    if awk "BEGIN { exit !($r_mb > $limit_mb || $r_s > $limit_s) }"; then
        r_verdict="OVER LIMIT"
        fail=1
    fi
    if grep -q "panicked" "$work/log"; then r_verdict="PANIC"; fail=1; fi
    printf '%-40s %-6s %4s %6s MB %6s s  %s\n' "$r_name" "$r_cmd" "$r_code" "$r_mb" "$r_s" "$r_verdict"
    if [ "$r_verdict" != ok ]; then sed -n '1,5p' "$work/log"; fi
    if [ "$r_mb" -gt "$max_mb" ]; then max_mb=$r_mb; max_mb_at="$r_name $r_cmd"; fi
    if awk "BEGIN { exit !($r_s > $max_s) }"; then max_s=$r_s; max_s_at="$r_name $r_cmd"; fi
}

printf '%-40s %-6s %4s %9s %8s\n' case run exit "peak RSS" seconds
for case_dir in "$work"/cases/*/; do
    case_name=$(basename "$case_dir")
    read -r want_check want_build <"${case_dir}expected"
    run "$case_name" check "${case_dir}event" "$want_check"
    if [ "$want_check" = 0 ]; then run "$case_name" build "${case_dir}event" "$want_build"; fi
done
while read -r file want; do
    ext=${file##*.}
    rm -rf "$work/event"
    cp -r example-event "$work/event"
    cp "$work/img/$file" "$work/event/assets/limit.$ext"
    sed -i "s#logo = \"assets/logo.svg\"#logo = \"assets/limit.$ext\"#" "$work/event/event.toml"
    run "logo $file" check "$work/event" "$want"
    if [ "$want" = 0 ]; then run "logo $file" build "$work/event" 0; fi
done <"$work/img/expected.txt"

echo "largest peak RSS: $max_mb MB ($max_mb_at); longest run: $max_s s ($max_s_at); limits $limit_mb MB, $limit_s s"
if [ "$fail" != 0 ]; then
    echo "FAILED: a run went over a limit, panicked or gave another exit code" >&2
    exit 1
fi
