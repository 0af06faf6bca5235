#!/bin/sh
# The growth table of 'make bench' (issue 9): each step at 1x, 2x and 4x
# its input, by CPU time (user + sys from /usr/bin/time: less noisy than
# wall time on a shared machine).  Inputs come from scripts/bench_gen.py
# (fixed seed) at the sizes $BENCH_GROWTH_MB (default "2 4 8" megabytes of
# survey answers and transcripts together).  Steps:
#   survey import        qcode import --text-columns q_he,q_en survey.csv
#   transcript import    qcode import transcripts/*.txt
#   autocode segment     the 200-keyword codebook, unit: segment (default)
#   autocode sentence    the same codebook with unit: sentence
#   autocode match+excl  the same with unit: match and an exclude per code
#   count                qcode count (the segment-coded project)
#   agree                qcode agree --coders A,B (half the codings given
#                        to a second coder)
#   qdpx export          qcode export --format qdpx (codings accepted)
#   qdpx import          qcode import of that .qdpx into a fresh project
#
# The criterion: with n the bytes of the smallest input and k the ratio of
# the largest to it (about 4), a step fails when
#     time(kx) / time(1x)  >  k * log2(k n) / log2(n) * BENCH_GROWTH_TOL
# (BENCH_GROWTH_TOL default 1.5), that is when it grows faster than
# n log n with room for noise; a quadratic step gives k^2 = 16.  Steps
# whose largest time is under BENCH_GROWTH_MIN seconds (default 0.2) are
# shown but not judged: their ratio is mostly process start and noise.
# The exponent column is log(time(kx)/time(1x)) / log(k): 1 for linear,
# 2 for quadratic.  Exit 1 when a step fails.  BENCH_DIR keeps the data.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
Q="$ROOT/build/qcode"
SIZES=${BENCH_GROWTH_MB:-2 4 8}
TOL=${BENCH_GROWTH_TOL:-1.5}
MIN=${BENCH_GROWTH_MIN:-0.2}
if [ -n "${BENCH_DIR:-}" ]; then
	DIR=$BENCH_DIR/growth
	mkdir -p "$DIR"
else
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/qcode-growth.XXXXXX")
	trap 'rm -rf "$DIR"' EXIT
fi
for tool in sqlite3 python3 /usr/bin/time; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: needs $tool ('make bench' installs it as root)" >&2
		exit 1
	}
done
[ -x "$Q" ] || { echo "bench: build $Q first (make build/qcode)" >&2; exit 1; }

STEPS="survey transcripts auto_segment auto_sentence auto_match count agree
qdpx_export qdpx_import"
label() {
	case $1 in
	survey) echo "survey import" ;;
	transcripts) echo "transcript import" ;;
	auto_segment) echo "autocode unit: segment" ;;
	auto_sentence) echo "autocode unit: sentence" ;;
	auto_match) echo "autocode unit: match + exclude" ;;
	count) echo "count" ;;
	agree) echo "agree --coders A,B" ;;
	qdpx_export) echo "export --format qdpx" ;;
	qdpx_import) echo "import .qdpx" ;;
	esac
}

# cpu FILE CMD...: run CMD (output discarded), its user+sys seconds into
# FILE; fails the script when CMD fails.
cpu() {
	_f=$1
	shift
	if ! /usr/bin/time -f '%U %S' -o "$_f.t" "$@" >"$_f.out" 2>"$_f.err"
	then
		echo "bench: failed: $*" >&2
		cat "$_f.err" >&2
		exit 1
	fi
	awk '{printf "%.2f\n", $1 + $2}' "$_f.t" >"$_f"
}

# The codebook with every code's unit set to UNIT, and with EXCLUDE an
# exclude item added to each code.
variant() {
	awk -v unit="$2" -v excl="$3" '
		/^## / && !done { print "- unit: " unit "\n"; done = 1 }
		{ print }
		/^- keywords:/ && excl != "" { print "- exclude: " excl }
	' "$1"
}

measure() { # SIZE: every step on the input of SIZE megabytes
	_s=$1
	_d=$DIR/mb$_s
	if [ ! -f "$_d/codebook.md" ]; then
		python3 "$ROOT/scripts/bench_gen.py" "$_d" "$_s" >/dev/null
	fi
	cd "$_d"
	rm -rf run && mkdir run && cd run
	cat ../survey.csv ../transcripts/*.txt | wc -c >../bytes
	"$Q" init p.qcode >/dev/null
	cpu survey "$Q" -p p.qcode import --text-columns q_he,q_en \
		../survey.csv
	cpu transcripts "$Q" -p p.qcode import ../transcripts/*.txt
	for u in segment sentence match; do
		cp p.qcode "$u.qcode"
		case $u in
		match) variant ../codebook.md match "also, שם" >"$u.md" ;;
		*) variant ../codebook.md "$u" "" >"$u.md" ;;
		esac
		"$Q" -p "$u.qcode" codebook load "$u.md" >/dev/null
		cpu "auto_$u" "$Q" -p "$u.qcode" autocode
	done
	cpu count "$Q" -p segment.qcode count
	# A second coder: every other coding is theirs.
	sqlite3 segment.qcode "insert into coders(name) values('bench_b');
		update codings set coder_id =
		  (select id from coders where name = 'bench_b') where id % 2 = 0;
		update codings set status = 'accepted'"
	_a=$(sqlite3 segment.qcode "select name from coders where name !=
		'bench_b' and id in (select coder_id from codings) limit 1")
	cpu agree "$Q" -p segment.qcode agree --coders "$_a,bench_b"
	sqlite3 segment.qcode "select count(*) from codings" >../codings
	cpu qdpx_export "$Q" -p segment.qcode export --format qdpx \
		-o p.qdpx
	"$Q" init back.qcode >/dev/null
	cpu qdpx_import "$Q" -p back.qcode import p.qdpx
	for st in $STEPS; do
		echo "$st $(cat "$st")"
	done >../times
}

# shellcheck disable=SC2086 # SIZES is a list
[ "$(echo $SIZES | wc -w)" -ge 2 ] || {
	echo "bench: BENCH_GROWTH_MB needs at least two sizes" >&2
	exit 2
}
echo "== growth of each step with its input (issue 9), CPU seconds"
for s in $SIZES; do
	measure "$s"
done
# shellcheck disable=SC2086 # SIZES is a list
set -- $SIZES
first=$1
last=$1
for s in "$@"; do last=$s; done
n1=$(cat "$DIR/mb$first/bytes")
nk=$(cat "$DIR/mb$last/bytes")

printf '\n%-32s' "step"
for s in $SIZES; do
	printf ' %9s' "$(awk -v b="$(cat "$DIR/mb$s/bytes")" \
		'BEGIN {printf "%.1f MB", b / 1048576}')"
done
printf ' %8s %8s %8s %s\n' "ratio" "limit" "exponent" ""
status=0
for st in $STEPS; do
	printf '%-32s' "$(label "$st")"
	for s in $SIZES; do
		printf ' %9s' "$(awk -v st="$st" '$1 == st {print $2}' \
			"$DIR/mb$s/times")"
	done
	t1=$(awk -v st="$st" '$1 == st {print $2}' "$DIR/mb$first/times")
	tk=$(awk -v st="$st" '$1 == st {print $2}' "$DIR/mb$last/times")
	verdict=$(awk -v t1="$t1" -v tk="$tk" -v n1="$n1" -v nk="$nk" \
		-v tol="$TOL" -v min="$MIN" 'BEGIN {
		k = nk / n1
		lim = k * log(nk) / log(n1) * tol
		if (t1 < 0.01) t1 = 0.01
		r = tk / t1
		e = log(r) / log(k)
		v = tk < min ? "(too short to judge)" : \
			(r > lim ? "FAIL: faster than n log n" : "ok")
		printf "%8.2f %8.2f %8.2f %s", r, lim, e, v }')
	printf ' %s\n' "$verdict"
	case $verdict in *FAIL*) status=1 ;; esac
done
echo
for s in $SIZES; do
	awk -v s="$s" -v c="$(cat "$DIR/mb$s/codings")" \
		'$1 == "qdpx_export" {e = $2} $1 == "qdpx_import" {i = $2}
		END {printf "%s MB: %d codings; .qdpx import / export (CPU): %.2f (target <= 3)\n",
			s, c, (e > 0 ? i / e : 0)}' "$DIR/mb$s/times"
done
if [ "$status" != 0 ]; then
	echo "bench: a step grows faster than n log n" >&2
fi
exit "$status"
