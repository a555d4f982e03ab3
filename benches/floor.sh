#!/usr/bin/env bash
# The floor under the `check` and `build --target html` targets of issue 22: bxland at HEAD
# with benches/floor-no-text-rules.patch applied (no rule reads any text of the event, its
# mails or its notes; everything else runs), timed against Hugo by batch_vs_hugo.py in one
# run. Not a product build: it accepts whatever the text rules refuse.
#
#   benches/floor.sh [batch_vs_hugo.py options]     (default: --sizes 1000 --fs tmpfs --repeat 3)
#
# Builds the patched tree into target/floor (a release build from scratch: minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
if [ $# -eq 0 ]; then
    set -- --sizes 1000 --fs tmpfs --repeat 3
fi
tmp=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$tmp/tree" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add --quiet --detach "$tmp/tree" HEAD
git -C "$tmp/tree" apply "$repo/benches/floor-no-text-rules.patch"
cargo build --release --quiet --manifest-path "$tmp/tree/Cargo.toml" --target-dir "$repo/target/floor"
python3 benches/batch_vs_hugo.py --bxland "$repo/target/floor/release/bxland" "$@"
