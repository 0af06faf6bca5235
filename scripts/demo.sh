#!/bin/sh
# make demo: the main job on the team's sample data, start to finish:
# import, autocode, theme counts, crosstab, quote book, HTML report.
# Writes everything under demo/ (recreated on every run).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
Q="$ROOT/build/qcode"
OUT="$ROOT/demo"
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$ROOT"
export QCODE_CODER="${QCODE_CODER:-demo}"
step() { printf '\n== %s\n$ qcode %s\n' "$1" "$2"; }

# --- The Hebrew evaluation: a survey with two open questions and an
# --- interview, coded with the Hebrew codebook.
export QCODE_PROJECT="$OUT/sample-he.qcode"

step "create a project" "init $QCODE_PROJECT"
"$Q" init

step "import the Hebrew survey (two open questions, respondent attributes)" \
	"import transcripts/survey_he.csv --text-columns benefit,improve"
"$Q" import transcripts/survey_he.csv --text-columns benefit,improve

step "import an interview as its own case" \
	"import transcripts/interview_he.txt --case michal-avraham"
"$Q" import transcripts/interview_he.txt --case michal-avraham

step "attributes of the interviewee" "attr import transcripts/cases.csv"
"$Q" attr import transcripts/cases.csv

step "the respondents" "cases"
"$Q" cases

step "the interview, turn by turn" "show interview_he.txt"
"$Q" show interview_he.txt

step "load the codebook" "codebook load codebooks/programme_he.md"
"$Q" codebook load codebooks/programme_he.md

step "autocode every answer and turn (accepted at once for the demo;" \
	"autocode --status accepted"
"$Q" autocode --status accepted

step "what the project holds" "info"
"$Q" info

step "theme counts: how many respondents raised each theme" "count"
"$Q" count

step "the first open question, by sector" "count --question benefit --by sector"
"$Q" count --question benefit --by sector

step "a Markdown quote book" \
	"quotes --attribution '{role}, {sector}' -o demo/quotes-he.md"
"$Q" quotes --attribution '{role}, {sector}' -o "$OUT/quotes-he.md"
echo "wrote $OUT/quotes-he.md"

step "the HTML report (charts, crosstab, counts, quotes)" \
	"report --by sector -o demo/report-he.html"
"$Q" report --by sector --attribution '{role}, {sector}' \
	-o "$OUT/report-he.html"
echo "wrote $OUT/report-he.html"

# --- The English interview with the English codebook.
export QCODE_PROJECT="$OUT/sample-en.qcode"
step "an English project" "init $QCODE_PROJECT"
"$Q" init
"$Q" import transcripts/interview_en.txt --case sam-okafor
"$Q" codebook load codebooks/programme_en.md
"$Q" autocode --status accepted

step "theme counts" "count"
"$Q" count

step "quotes of one theme, with the whole speaker turn" \
	"quotes 'Practical tools' --context segment --format md"
"$Q" quotes 'Practical tools' --context segment --format md

step "the sample's theme counts: respondents who raised each theme" \
	"-p demo/sample-he.qcode count"
"$Q" -p "$OUT/sample-he.qcode" count

printf '\nprojects: %s/sample-he.qcode, %s/sample-en.qcode\n' "$OUT" "$OUT"
printf 'quote book: %s/quotes-he.md\nreport: %s/report-he.html\n' "$OUT" "$OUT"
printf 'code them in the browser: build/qcode -p demo/sample-he.qcode serve --open\n'
printf '                      and: build/qcode -p demo/sample-en.qcode serve --open\n'
printf '(the demo codes as coder "demo": "Show codings: all coders'"'"'" shows them)\n'
