#!/bin/sh
# Run every test: the unit tests and each case in tests/cases/ (a folder
# with a `cmd` script and its `expected` transcript), once per run:
#   plain     build/qcode
#   asan      build-asan/qcode (AddressSanitizer + UBSan)
#   valgrind  build/qcode under valgrind (make check-valgrind)
# RUNS="plain asan" (the default: make check) chooses the runs;
# CASES="pattern ..." the cases (shell patterns, space-separated).  A case that needs the shared data
# ($SHARED, default ../shared) is skipped with a message when it is
# missing.
# UPDATE=1 rewrites the expected files from the plain run; TIMES=1
# lists the slowest cases and the CPU time of each run; KEEPOUT=DIR
# keeps the records of the run (each job's times and result) in DIR.
# Ends with "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/.." && pwd)/shared}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
RUNS=${RUNS:-plain asan}
case " $RUNS " in
*" valgrind "*)
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "qcode: valgrind is not installed (apt-get install valgrind)" >&2
		exit 2
	fi ;;
esac
if [ ! -d "$SHARED" ]; then
	echo "note: no shared data at '$SHARED' (set SHARED=DIR); the cases that need it are skipped" >&2
fi
CASES=${CASES:-*}
# The cases work in a memory file system when there is one with room
# (2 GB: the memory cases write files of 40-60 MB, several at once; a
# container's /dev/shm is often 64 MB): SQLite syncs each commit to disk,
# and on a disk a case's thousand commits wait for it (TMPDIR=DIR
# chooses another place).
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
	[ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge 2097152 ] 2>/dev/null; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
OUT=$(mktemp -d "${TMPDIR:-/tmp}/qcode-test.XXXXXX")
export ROOT SHARED OUT
# The cases run the system's python3 when there is one: it has the Debian
# modules they use (python3-selenium, python3-openpyxl), and it starts in
# some 30 ms where a version manager's shim (pyenv) takes ten times that,
# which made python the largest cost of the suite.
if [ -x /usr/bin/python3 ] && [ "$(command -v python3)" != /usr/bin/python3 ]; then
	mkdir -p "$OUT/bin"
	ln -s /usr/bin/python3 "$OUT/bin/python3"
	PATH=$OUT/bin:$PATH
	export PATH
fi

for run in $RUNS; do
	case $run in
	plain | asan | valgrind) mkdir -p "$OUT/$run" ;;
	*) echo "unknown run '$run'" >&2; rm -rf "$OUT"; exit 2 ;;
	esac
done
# The jobs: the unit tests of each run ("--unit") and each case of
# CASES (shell patterns, space-separated, naming cases in tests/cases),
# once per run.  They all share one pool of JOBS processes, longest
# first (longest-processing-time-first), so that no core waits for a
# run to finish and the last jobs are short ones.  How long a job takes
# comes from the last run that ran it ($TIMES_FILE, default
# build/test-times: wall ms, run, case; rewritten after each run), else
# from a guess made from its cmd file: the qcode, python and browser
# lines in it, weighted by run.
(
	set -f
	for pat in $CASES; do
		set +f
		for d in "$ROOT"/tests/cases/$pat/; do
			[ -f "$d/cmd" ] && basename "$d"
		done
	done
) | sort -u >"$OUT/cases"
TIMES_FILE=${TIMES_FILE:-$ROOT/build/test-times}
for run in $RUNS; do
	echo "$run --unit"
	sed "s/^/$run /" "$OUT/cases"
done | awk -v times="$TIMES_FILE" -v cases="$ROOT/tests/cases" '
	BEGIN {
		while ((getline line < times) > 0) {
			split(line, f, " ")
			known[f[2] " " f[3]] = f[1]
		}
		factor["plain"] = 1; factor["asan"] = 3; factor["valgrind"] = 20
	}
	{
		key = $1 " " $2
		if (key in known) {
			print known[key], key
			next
		}
		w = 5000
		if ($2 != "--unit") {
			w = 0
			cmd = cases "/" $2 "/cmd"
			while ((getline line < cmd) > 0) {
				if (line ~ /^#/) {
					if (line ~ /^# *needs.*(chromium|soffice|openpyxl)/)
						w += 5000
					continue
				}
				if (line ~ /qcode|QCODE/) w += 60 * factor[$1]
				if (line ~ /python|\$PY/) w += 150
			}
			close(cmd)
		}
		print w, key
	}' | sort -k1,1rn | cut -d' ' -f2- >"$OUT/jobs"
xargs -P "$JOBS" -n 2 sh "$ROOT/tests/run-one.sh" <"$OUT/jobs"
# Remember how long each job took, for the order of the next run.
if [ -d "$(dirname "$TIMES_FILE")" ]; then
	{
		cat "$OUT"/*/*.ms 2>/dev/null
		cat "$TIMES_FILE" 2>/dev/null
	} | awk '!seen[$2 " " $3]++' >"$TIMES_FILE.$$" &&
		mv "$TIMES_FILE.$$" "$TIMES_FILE"
fi

pass=0
fail=0
for run in $RUNS; do
	pass=$((pass + $(cat "$OUT/$run/unit.pass")))
	fail=$((fail + $(cat "$OUT/$run/unit.fail")))
	for f in "$OUT/$run"/*.result; do
		[ -f "$f" ] || continue
		case $(cat "$f") in
		pass) pass=$((pass + 1)) ;;
		skip | na) ;;
		*) fail=$((fail + 1)) ;;
		esac
	done
done
if [ "${TIMES:-}" = 1 ]; then
	echo "slowest jobs (wall ms, run, case):" >&2
	cat "$OUT"/*/*.ms 2>/dev/null | sort -rn | head -15 >&2
	echo "most CPU (user+sys ms, run, case):" >&2
	cat "$OUT"/*/*.cpu 2>/dev/null | sort -rn | head -15 >&2
	cat "$OUT"/*/*.cpu 2>/dev/null |
		awk '{ s[$2] += $1; t += $1 }
		END { for (r in s) printf "CPU of the %s run: %.1f s\n", r, s[r] / 1000
		      printf "CPU in all: %.1f s\n", t / 1000 }' >&2
fi
skip=$(cat "$OUT"/*/*.result 2>/dev/null | grep -c '^skip' || true)
[ -n "${KEEPOUT:-}" ] && cp -r "$OUT" "$KEEPOUT"
rm -rf "$OUT"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
