#!/usr/bin/env bash
# Time from writing event.toml to the live-reload message of `bxland serve` (release build):
# 50 saves in place and 50 by rename; prints the median and the 95th percentile.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --bench serve_reload "$@"
