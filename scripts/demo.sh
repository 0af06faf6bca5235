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

step "import the Hebrew survey (two open questions)" \
	"import transcripts/survey_he.csv --text-columns benefit,improve"
"$Q" import "$ROOT/transcripts/survey_he.csv" --text-columns benefit,improve

step "import two interviews, each its own case" \
	"import transcripts/interview_he.txt --case michal-avraham ..."
"$Q" import "$ROOT/transcripts/interview_he.txt" --case michal-avraham
"$Q" import "$ROOT/transcripts/interview_en.txt" --case sam-okafor

step "attributes of the interviewees" "attr import transcripts/cases.csv"
"$Q" attr import "$ROOT/transcripts/cases.csv"

step "what the project holds" "info"
"$Q" info

step "the documents" "docs"
"$Q" docs

step "one interview, turn by turn" "show interview_en.txt"
"$Q" show interview_en.txt

printf '\nproject written to %s\n' "$QCODE_PROJECT"
