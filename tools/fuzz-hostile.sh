#!/bin/sh
# The long hostile-input fuzz run of issue 21 (not run by CI): generated event files through
# check (in process, from an event folder on a tmpfs), the human rendering of every
# diagnostic in both languages and, for a sample of those check accepts, build with the
# outputs parsed. Prints inputs tried, accepted, built, panics, hangs (a case over 10 s),
# failures, seconds and the seed; a progress line every 50,000 inputs.
#
#   tools/fuzz-hostile.sh [INPUTS] [BUILDS]      # defaults: 1,000,000 inputs, 200 builds
#   FUZZ_SECONDS=600 tools/fuzz-hostile.sh 0     # as many as 10 minutes allow
#   FUZZ_SEED=N repeats a run; FUZZ_JOBS=N threads (default 2); PROFILE=dev for a debug build
set -eu
cd "$(dirname "$0")/.."
inputs="${1:-1000000}"
builds="${2:-200}"
if [ "$inputs" = 0 ]; then
    unset inputs
else
    export FUZZ_INPUTS="$inputs"
fi
profile_flag="--release"
if [ "${PROFILE:-release}" = "dev" ]; then
    profile_flag=""
fi
if [ -z "${FUZZ_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export FUZZ_TMPDIR=/dev/shm
fi
FUZZ_BUILDS="$builds" exec cargo test $profile_flag --test it \
    hostile_prop::fuzz_for_a_while -- --ignored --nocapture --exact
