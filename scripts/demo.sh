#!/bin/sh
# make demo: the main job on the team's sample data, start to finish.
# Writes everything under demo/ (recreated on every run).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
Q="$ROOT/build/qcode"
OUT="$ROOT/demo"
rm -rf "$OUT"
mkdir -p "$OUT"
export QCODE_PROJECT="$OUT/sample.qcode"
export QCODE_CODER="${QCODE_CODER:-demo}"
step() { printf '\n== %s\n$ qcode %s\n' "$1" "$2"; }

step "create a project" "init"
"$Q" init

step "what the project holds" "info"
"$Q" info

printf '\nproject written to %s\n' "$QCODE_PROJECT"
