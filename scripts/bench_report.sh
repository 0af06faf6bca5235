#!/bin/sh
# The counting part of 'make bench' (issue 4): a project with 1,000,000
# codings over 200,000 survey answers of 50,000 cases and 200 codes,
# built directly with SQL (deterministic), then the wall time of the
# report commands on it.  Target: a count answers in under a second.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
Q="$ROOT/build/qcode"
N_CODINGS=${N_CODINGS:-1000000}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/qcode-bench-report.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
# BENCH_KEEP=FILE keeps a copy of the generated project.
P="$DIR/bench.qcode"

echo "== counting, crosstabs, quotes (issue 4)"
"$Q" init "$P" >/dev/null
sqlite3 "$P" <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
  WHERE n < 50000)
INSERT INTO cases(id, name) SELECT n, 'r' || n FROM i;
INSERT INTO attributes(id, name) VALUES (1, 'sector'), (2, 'role');
INSERT INTO case_attributes(case_id, attr_id, value)
  SELECT id, 1, CASE id % 4 WHEN 0 THEN 'local' WHEN 1 THEN 'government'
    WHEN 2 THEN 'business' ELSE 'civil society' END FROM cases;
INSERT INTO case_attributes(case_id, attr_id, value)
  SELECT id, 2, 'role ' || (id % 7) FROM cases;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
  WHERE n < 200000)
INSERT INTO documents(id, name, case_id, question, format, text, chars,
  sha256)
  SELECT n, 'r' || ((n - 1) / 4 + 1) || '/q' || ((n - 1) % 4 + 1),
    (n - 1) / 4 + 1, 'q' || ((n - 1) % 4 + 1), 'csv',
    'an answer of some length, number ' || n || ', about tools',
    length('an answer of some length, number ' || n || ', about tools'),
    'sha' || n FROM i;
INSERT INTO segments(id, doc_id, idx, start, end, kind)
  SELECT id, id, 1, 0, chars, 'answer' FROM documents;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
  WHERE n < 20)
INSERT INTO codes(id, parent_id, name, path, ord)
  SELECT n, NULL, 'theme ' || n, 'theme ' || n, n * 10 FROM i;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
  WHERE n < 180)
INSERT INTO codes(id, parent_id, name, path, ord)
  SELECT 20 + n, (n - 1) / 9 + 1, 'sub ' || n,
    'theme ' || ((n - 1) / 9 + 1) || '/sub ' || n,
    ((n - 1) / 9 + 1) * 10 + (n - 1) % 9 + 1 FROM i;
INSERT INTO coders(id, name) VALUES (1, 'auto'), (2, 'noa');
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
  WHERE n < $N_CODINGS)
INSERT INTO codings(doc_id, code_id, coder_id, segment_id, start, end,
  origin, rule, status)
  SELECT (n * 7919) % 200000 + 1, 21 + (n * 104729) % 180, 1 + n % 2,
    (n * 7919) % 200000 + 1, 0, 10, 'auto', 'tool*',
    CASE WHEN n % 10 = 0 THEN 'suggested' ELSE 'accepted' END FROM i;
COMMIT;
SQL
"$Q" -p "$P" info --format csv | sed 's/^/  /'
[ -n "${BENCH_KEEP:-}" ] && cp "$P" "$BENCH_KEEP"

# secs CMD...: run CMD (output discarded), print its wall time in seconds.
secs() {
	s=$(date +%s%N)
	"$@" >/dev/null
	e=$(date +%s%N)
	echo $(((e - s) / 1000000)) | awk '{ printf "%.2f", $1 / 1000 }'
}
t_count=$(secs "$Q" -p "$P" count)
t_all=$(secs "$Q" -p "$P" count --status all --format json)
t_by=$(secs "$Q" -p "$P" count --by sector)
t_q=$(secs "$Q" -p "$P" count --question q2 --where sector=local)
t_co=$(secs "$Q" -p "$P" cooccur --depth 1)
t_quotes=$(secs "$Q" -p "$P" quotes --limit 5)
t_report=$(secs "$Q" -p "$P" report --by sector --limit 3 -o "$DIR/r.html")
printf '  %-44s %6s s\n' \
	"count ($N_CODINGS codings, 200 codes)" "$t_count" \
	"count --status all --format json" "$t_all" \
	"count --by sector (crosstab)" "$t_by" \
	"count --question q2 --where sector=local" "$t_q" \
	"cooccur --depth 1" "$t_co" \
	"quotes --limit 5" "$t_quotes" \
	"report --by sector (4 questions)" "$t_report"
if awk "BEGIN { exit !($t_count < 1.0) }"; then
	echo "  count under one second: yes"
else
	echo "  count under one second: NO ($t_count s)"
fi
