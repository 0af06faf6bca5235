#!/bin/sh
# The team-coding part of 'make bench' (issue 11): a project of 200,000
# survey answers, 200 codes and $N_CODINGS (default 500,000) codings
# split between two coders A and B, built with SQL (deterministic, the
# shape of bench_report.sh); then the CPU time, wall time and peak
# memory of
#   qcode agree --coders A,B --unit document | segment | character | span
#   qcode merge COPY.qcode, COPY holding $N_NEW (default 100,000) codings
#   of a third coder that the project lacks
# Targets: agree --unit document and segment under 1 s, --unit character
# in about the memory of --unit document (it streams: no per-character
# array), merge under 5 s.  The load average is printed with the
# figures: on a shared machine wall time is not the CPU time.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
Q="$ROOT/build/qcode"
N_CODINGS=${N_CODINGS:-500000}
N_NEW=${N_NEW:-100000}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/qcode-bench-team.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
P="$DIR/bench.qcode"

echo "== team coding: agree and merge (issue 11)"
"$Q" init "$P" >/dev/null
sqlite3 "$P" >/dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
  WHERE n < 50000)
INSERT INTO cases(id, name) SELECT n, 'r' || n FROM i;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
  WHERE n < 200000)
INSERT INTO documents(id, name, case_id, question, format, text, chars,
  sha256)
  SELECT n, 'r' || ((n - 1) / 4 + 1) || '/q' || ((n - 1) % 4 + 1),
    (n - 1) / 4 + 1, 'q' || ((n - 1) % 4 + 1), 'csv',
    'an answer of some length, number ' || n || '. About tools.',
    length('an answer of some length, number ' || n || '. About tools.'),
    'sha' || n FROM i;
INSERT INTO segments(doc_id, idx, start, end, kind)
  SELECT id, 1, 0, 26, 'sentence' FROM documents;
INSERT INTO segments(doc_id, idx, start, end, kind)
  SELECT id, 2, 26, chars, 'sentence' FROM documents;
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
INSERT INTO coders(id, name) VALUES (1, 'A'), (2, 'B');
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
  WHERE n < $N_CODINGS)
INSERT INTO codings(doc_id, code_id, coder_id, start, end, origin,
  status)
  SELECT (n * 7919) % 200000 + 1, 21 + (n * 104729) % 180, 1 + n % 2,
    (n * 31) % 20, 20 + (n * 17) % 20, 'manual', 'accepted' FROM i;
COMMIT;
SQL
# The copy a third coder coded: N_NEW codings the project lacks.
cp "$P" "$DIR/copy.qcode"
sqlite3 "$DIR/copy.qcode" >/dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO coders(id, name) VALUES (3, 'C');
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
  WHERE n < $N_NEW)
INSERT INTO codings(doc_id, code_id, coder_id, start, end, origin,
  status, memo)
  SELECT (n * 104729) % 200000 + 1, 21 + (n * 7919) % 180, 3,
    (n * 13) % 20, 20 + (n * 7) % 20, 'manual', 'accepted',
    CASE WHEN n % 100 = 0 THEN 'memo ' || n END FROM i;
COMMIT;
SQL
cp "$P" "$DIR/lead.qcode"
echo "  project: $N_CODINGS codings of A and B over 200,000 answers" \
	"(400,000 segments), 200 codes; copy: $N_NEW new codings of C"

run() { # NAME CMD...: /usr/bin/time -v into NAME.time, output discarded
	_n=$1
	shift
	/usr/bin/time -v -o "$DIR/$_n.time" "$@" >/dev/null
}
field() {
	awk -F': ' -v k="$2" '$1 ~ k { print $2 }' "$DIR/$1.time"
}
cpu() {
	awk -F': ' '/User time/ {u = $2} /System time/ {s = $2}
		END {printf "%.2f", u + s}' "$DIR/$1.time"
}
wall() {
	awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, t, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + t[i]
		printf "%.2f", s }' "$DIR/$1.time"
}
rss() {
	awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' \
		"$DIR/$1.time"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
for u in document segment character span; do
	run "agree_$u" "$Q" -p "$P" agree --coders A,B --unit "$u" \
		--all-documents
done
run merge "$Q" -p "$DIR/lead.qcode" merge "$DIR/copy.qcode"
load1=$(cut -d' ' -f1-3 /proc/loadavg)
added=$(sqlite3 "$DIR/lead.qcode" "SELECT count(*) FROM codings WHERE
	coder_id = (SELECT id FROM coders WHERE name = 'C')")

printf '  %-46s %7s %7s %8s\n' "step" "cpu s" "wall s" "peak MB"
for s in agree_document:"agree --unit document (--all-documents)" \
	agree_segment:"agree --unit segment" \
	agree_character:"agree --unit character" \
	agree_span:"agree --unit span (--overlap 90)" \
	merge:"merge copy.qcode ($N_NEW new codings)"; do
	n=${s%%:*}
	printf '  %-46s %7s %7s %8s\n' "${s#*:}" "$(cpu "$n")" "$(wall "$n")" \
		"$(rss "$n")"
done
echo "  load average before / after: $load0 / $load1 ($(nproc) CPUs)"
echo "  merge added $added codings of C"
[ "$added" = "$N_NEW" ] || { echo "bench: merge added $added, not $N_NEW" >&2; exit 1; }
ok() { awk "BEGIN { exit !($1) }" && echo yes || echo NO; }
echo "  agree document and segment under 1 s CPU: $(ok "$(cpu agree_document) < 1 && $(cpu agree_segment) < 1")"
echo "  agree character streams (peak within 1.5x of document): $(ok "$(rss agree_character) < 1.5 * $(rss agree_document)")"
echo "  merge under 5 s CPU: $(ok "$(cpu merge) < 5")"
