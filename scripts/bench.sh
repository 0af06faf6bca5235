#!/bin/sh
# The autocoding part of 'make bench' (issue 3).  Generates (deterministic
# seed, scripts/bench_gen.py) at least $BENCH_MB (default 100) megabytes of
# Hebrew and English survey answers and interview transcripts and a
# codebook of 200 keyword rules drawn from their vocabulary, then times on
# that same text:
#   qcode import (survey + transcripts)  vs  sqlite3 .import of the survey
#   qcode autocode (imported project -> codings committed)
#                                       vs  rg -o -f KEYWORDS (same hits)
#                                       vs  a Python loop of re.finditer
#                                           per keyword (QualCoder's way)
# and the peak memory (RSS) of each qcode step.  Hit counts must be equal;
# the script fails when they are not.  BENCH_DIR keeps the generated data
# (default: a temporary directory, removed afterwards).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
Q="$ROOT/build/qcode"
MB=${BENCH_MB:-100}
if [ -n "${BENCH_DIR:-}" ]; then
	DIR=$BENCH_DIR
	mkdir -p "$DIR"
else
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/qcode-bench.XXXXXX")
	trap 'rm -rf "$DIR"' EXIT
fi
for tool in rg sqlite3 python3 /usr/bin/time; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: needs $tool ('make bench' installs it as root)" >&2
		exit 1
	}
done

echo "== autocoding and import (issue 3)"
if [ ! -f "$DIR/keywords.rg" ] || [ "$(cat "$DIR/.mb" 2>/dev/null)" != "$MB" ]
then
	python3 "$ROOT/scripts/bench_gen.py" "$DIR" "$MB"
	echo "$MB" >"$DIR/.mb"
fi
cd "$DIR"
rm -f bench.qcode plain.db floor.qcode ./*.time
bytes=$(cat survey.csv transcripts/*.txt | wc -c)
echo "corpus: $(echo "$bytes" | awk '{printf "%.1f", $1 / 1048576}') MB" \
	"($(ls transcripts | wc -l) transcripts, $(($(wc -l <survey.csv) - 1))" \
	"survey rows), 200 keywords in 40 codes"

# run NAME CMD...: time CMD with /usr/bin/time -v into NAME.time.
run() {
	_n=$1
	shift
	/usr/bin/time -v -o "$_n.time" "$@"
}
wall() { # seconds from a /usr/bin/time -v report
	awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, t, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + t[i]
		printf "%.2f", s }' "$1.time"
}
cpu() {
	awk -F': ' '/User time/ {u = $2} /System time/ {s = $2}
		END {printf "%.2f", u + s}' "$1.time"
}
rss() {
	awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' \
		"$1.time"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# Import: the survey, against sqlite3's .import of the same rows; then the
# transcripts.
"$Q" init bench.qcode >/dev/null
run imp_survey "$Q" -p bench.qcode import --text-columns q_he,q_en \
	survey.csv >/dev/null
run sqlite_import sqlite3 plain.db ".import --csv survey.csv answers"
# The floor for qcode's schema: the sqlite3 shell itself loading the same
# rows into a qcode project's tables, set-based (a random blob stands in
# for each answer's sha256).
"$Q" init floor.qcode >/dev/null
cat >floor.sql <<'SQL'
.import --csv survey.csv staged
BEGIN;
INSERT INTO cases(name) SELECT id FROM staged;
INSERT INTO attributes(name) VALUES('sector'), ('gender');
INSERT INTO case_attributes(case_id, attr_id, value)
  SELECT c.id, a.id, CASE a.name WHEN 'sector' THEN s.sector ELSE s.gender END
  FROM staged s JOIN cases c ON c.name = s.id, attributes a;
INSERT INTO documents(name, case_id, question, format, text, chars, sha256)
  SELECT s.id || '/' || q.q, c.id, q.q, 'csv',
         CASE q.q WHEN 'q_he' THEN s.q_he ELSE s.q_en END,
         length(CASE q.q WHEN 'q_he' THEN s.q_he ELSE s.q_en END),
         hex(randomblob(32))
  FROM staged s JOIN cases c ON c.name = s.id,
       (SELECT 'q_he' AS q UNION ALL SELECT 'q_en') q
  WHERE (CASE q.q WHEN 'q_he' THEN s.q_he ELSE s.q_en END) != ''
  ORDER BY c.id, q.q DESC;
INSERT INTO segments(doc_id, idx, start, end, kind)
  SELECT id, 1, 0, chars, 'answer' FROM documents ORDER BY id;
DROP TABLE staged;
COMMIT;
SQL
run sqlite_floor sh -c 'sqlite3 floor.qcode <floor.sql'
run imp_txt "$Q" -p bench.qcode import transcripts/*.txt >/dev/null
run cb_load "$Q" -p bench.qcode codebook load codebook.md >/dev/null

# Autocode, end to end: imported project -> codings committed.
run autocode "$Q" -p bench.qcode autocode --format csv >autocode.csv
qhits=$(awk -F, 'NR > 1 {h += $2} END {print h}' autocode.csv)
qcodings=$(awk -F, 'NR > 1 {c += $3} END {print c}' autocode.csv)

# ripgrep: the same keywords as patterns (Hebrew ones after the prefix
# chains Hebrew allows, bench_gen.py HE_CHAIN), whole words, any case,
# every match printed and counted.
run rg sh -c 'rg -o -i -w --no-filename -f keywords.rg survey.csv \
	transcripts | wc -l >rg.count'
rhits=$(cat rg.count)

# Python: one re.finditer loop per keyword over the same text.
cat >finditer.py <<'PY'
import glob, json, re, sys
text = "\n".join(open(f, encoding="utf-8").read()
                 for f in ["survey.csv"] + sorted(glob.glob("transcripts/*.txt")))
n = 0
for pat in json.load(open("keywords.py.json", encoding="utf-8")):
    for m in re.finditer(pat, text, re.IGNORECASE):
        n += 1
print(n)
PY
run python sh -c 'python3 finditer.py >py.count'
phits=$(cat py.count)

printf '\n%-40s %9s %9s %8s\n' "step" "wall s" "cpu s" "peak MB"
for s in imp_survey:"qcode import survey.csv" \
	sqlite_import:"sqlite3 .import survey.csv" \
	sqlite_floor:"sqlite3 set-based into qcode's tables" \
	imp_txt:"qcode import transcripts/*.txt" \
	cb_load:"qcode codebook load" \
	autocode:"qcode autocode" \
	rg:"rg -o -i -w -f keywords.rg | wc -l" \
	python:"python re.finditer per keyword"; do
	n=${s%%:*}
	printf '%-40s %9s %9s %8s\n' "${s#*:}" "$(wall "$n")" "$(cpu "$n")" \
		"$(rss "$n")"
done
echo
echo "hits: qcode $qhits (in $qcodings codings), rg $rhits, python $phits"
echo "autocode / rg (wall):            $(ratio "$(wall autocode)" "$(wall rg)")  (target <= 2.0)"
echo "autocode / rg (cpu):             $(ratio "$(cpu autocode)" "$(cpu rg)")"
echo "python / autocode (wall):        $(ratio "$(wall python)" "$(wall autocode)")"
echo "import / sqlite3 .import (wall): $(ratio "$(wall imp_survey)" "$(wall sqlite_import)")  (target <= 2.0)"
echo "sqlite3's own load of qcode's tables / .import (wall): $(ratio "$(wall sqlite_floor)" "$(wall sqlite_import)")"
peak=0
for n in imp_survey imp_txt cb_load autocode; do
	m=$(rss $n)
	[ "$m" -gt "$peak" ] && peak=$m
done
echo "peak memory of any qcode step:   $peak MB  (target < 256 MB)"
if [ "$qhits" != "$rhits" ] || [ "$qhits" != "$phits" ]; then
	echo "bench: hit counts differ" >&2
	exit 1
fi

# The web workspace on this project (issue 10): the requests the page
# makes, timed by scripts/bench_serve.py; half the codings accepted
# first, as after a review, so that the code tree has counts.
echo
echo "== qcode serve on this project (issue 10)"
sqlite3 bench.qcode "UPDATE codings SET status = 'accepted' WHERE id % 2 = 0"
python3 "$ROOT/scripts/bench_serve.py" "$Q" bench.qcode
