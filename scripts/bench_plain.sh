#!/bin/sh
# Autocode against ripgrep's fastest mode that finds the same hits (part
# of 'make bench', issue 9 item 16).  The corpus is bench_gen.py's at
# $BENCH_PLAIN_MB megabytes (default 53: a 24 MB survey export, 114,837
# answers); the codebook is its 200 keywords as plain whole words (no
# stems, no languages: codebook_plain.md), which ripgrep's fixed-string
# mode finds too:
#   rg -o -i -w -F -f keywords_plain.txt survey.csv | wc -l
# ripgrep searches one file on one thread; qcode scans documents on every
# processor (QCODE_THREADS).  Timed, each the best wall time of five runs
# on a fresh copy of the imported project:
#   autocode             imported project -> codings committed
#   autocode --dry-run   the same reading and scanning, nothing written
# and the ratios to ripgrep by wall and CPU time.  Hit counts must be
# equal, or the script fails.  BENCH_DIR keeps the generated data.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
Q="$ROOT/build/qcode"
MB=${BENCH_PLAIN_MB:-53}
if [ -n "${BENCH_DIR:-}" ]; then
	DIR=$BENCH_DIR/plain
	mkdir -p "$DIR"
else
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/qcode-bench-plain.XXXXXX")
	trap 'rm -rf "$DIR"' EXIT
fi
for tool in rg /usr/bin/time; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: needs $tool ('make bench' installs it as root)" >&2
		exit 1
	}
done

echo "== autocode against ripgrep -F, plain keywords (issue 9)"
if [ ! -f "$DIR/keywords_plain.txt" ] ||
	[ "$(cat "$DIR/.mb" 2>/dev/null)" != "$MB" ]; then
	python3 "$ROOT/scripts/bench_gen.py" "$DIR" "$MB" >/dev/null
	echo "$MB" >"$DIR/.mb"
fi
cd "$DIR"
rm -f plain.qcode* run.qcode* ./*.time
"$Q" init plain.qcode >/dev/null
"$Q" -p plain.qcode import --text-columns q_he,q_en survey.csv \
	>/dev/null 2>&1
"$Q" -p plain.qcode codebook load codebook_plain.md >/dev/null

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

# best NAME CMD...: the run of CMD with the least wall time of five into
# NAME.time; each run on a fresh copy of plain.qcode (run.qcode), made
# and written out to the disk before the clock starts ('sync'): the
# project of a researcher is at rest when autocode begins, while a copy
# just made is 53 MB of dirty pages that the project's fdatasync at the
# end of the run would otherwise write out, and the deletion of the copy
# before it is pending file-system work that that fdatasync would wait
# for (0.28 s with 'sync', 0.34 to 0.42 s without, the same binary).
best() {
	_b=$1
	shift
	for _i in 1 2 3 4 5; do
		rm -f run.qcode run.qcode-wal run.qcode-shm
		cp plain.qcode run.qcode
		sync
		/usr/bin/time -v -o "$_b.try.time" "$@"
		if [ ! -f "$_b.time" ] || [ "$(awk -v a="$(wall "$_b.try")" \
			-v b="$(wall "$_b")" 'BEGIN {print a < b}')" = 1 ]; then
			mv "$_b.try.time" "$_b.time"
		fi
	done
}

echo "load before: $(uptime | sed 's/.*load average/load average/')"
best scan sh -c "'$Q' -p run.qcode autocode --dry-run --format csv \
	>scan.csv"
best auto sh -c "'$Q' -p run.qcode autocode --format csv >auto.csv"
best rg sh -c 'rg -o -i -w -F --no-filename -f keywords_plain.txt \
	survey.csv | wc -l >rg.count'
echo "load after:  $(uptime | sed 's/.*load average/load average/')"
# hits and codings from autocode's CSV (no code path holds a comma)
hits=$(awk -F, 'NR > 1 {h += $2} END {print h}' auto.csv)
codings=$(awk -F, 'NR > 1 {c += $3} END {print c}' auto.csv)
shits=$(awk -F, 'NR > 1 {h += $2} END {print h}' scan.csv)
rhits=$(cat rg.count)

echo "survey.csv: $(wc -c <survey.csv | awk '{printf "%.1f", $1 / 1048576}')" \
	"MB, $(($(wc -l <survey.csv) - 1)) respondents; $(nproc) processors," \
	"QCODE_THREADS=${QCODE_THREADS:-(every processor)}"
printf '\n%-40s %9s %9s %8s\n' "step (best of 5 by wall time)" "wall s" \
	"cpu s" "peak MB"
for s in auto:"qcode autocode" scan:"qcode autocode --dry-run" \
	rg:"rg -o -i -w -F -f keywords_plain.txt"; do
	n=${s%%:*}
	printf '%-40s %9s %9s %8s\n' "${s#*:}" "$(wall "$n")" "$(cpu "$n")" \
		"$(rss "$n")"
done
echo
echo "hits: qcode $hits (in $codings codings), --dry-run $shits, rg -F $rhits"
echo "autocode / rg -F (wall):   $(ratio "$(wall auto)" "$(wall rg)")  (target <= 1.5)"
echo "autocode / rg -F (cpu):    $(ratio "$(cpu auto)" "$(cpu rg)")"
echo "--dry-run / rg -F (wall):  $(ratio "$(wall scan)" "$(wall rg)")"
echo "--dry-run / rg -F (cpu):   $(ratio "$(cpu scan)" "$(cpu rg)")"
if [ "$hits" != "$rhits" ] || [ "$shits" != "$rhits" ]; then
	echo "bench: hit counts differ (autocode $hits, --dry-run $shits," \
		"rg -F $rhits)" >&2
	exit 1
fi
