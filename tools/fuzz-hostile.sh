#!/bin/sh
# The long hostile-input fuzz run of issue 21 (not run by CI): generated event files through
# check, the human rendering of every diagnostic and, for those check accepts, build with the
# outputs parsed. Prints inputs tried, panics, hangs (a case over 10 s) and seconds.
#
#   tools/fuzz-hostile.sh [SECONDS] [BUILDS]        # defaults: 600 s, 50 builds
#   PROFILE=release tools/fuzz-hostile.sh 3600      # faster per case, slower to compile
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-600}"
builds="${2:-50}"
profile_flag=""
if [ "${PROFILE:-dev}" = "release" ]; then
    profile_flag="--release"
fi
FUZZ_SECONDS="$seconds" FUZZ_BUILDS="$builds" exec cargo test $profile_flag --test it \
    hostile_prop::fuzz_for_a_while -- --ignored --nocapture
