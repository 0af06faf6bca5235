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
# lists the slowest cases.
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
	plain) bin=$ROOT/build/qcode unit=$ROOT/build/unit-tests wrap= ;;
	asan) bin=$ROOT/build-asan/qcode unit=$ROOT/build-asan/unit-tests wrap= ;;
	valgrind)
		bin=$ROOT/build/qcode unit=$ROOT/build/unit-tests
		wrap="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --smc-check=all-non-file"
		;;
	*) echo "unknown run '$run'" >&2; exit 2 ;;
	esac
	mkdir -p "$OUT/$run"
	# Unit tests: one line per test, "ok NAME" or "FAIL NAME: why".
	ASAN_OPTIONS=detect_leaks=1 $wrap "$unit" >"$OUT/$run/unit.log" 2>&1
	urc=$?
	grep -q '^FAIL' "$OUT/$run/unit.log" && urc=1
	sed "s/^/[$run] unit: /" "$OUT/$run/unit.log" | grep -v ': ok ' >&2
	grep -c '^ok ' "$OUT/$run/unit.log" >"$OUT/$run/unit.pass"
	if [ $urc -ne 0 ]; then
		n=$(grep -c '^FAIL' "$OUT/$run/unit.log")
		[ "$n" -eq 0 ] && n=1
		echo "$n" >"$OUT/$run/unit.fail"
	else
		echo 0 >"$OUT/$run/unit.fail"
	fi
	# Cases, in parallel.
	# Each pattern of CASES (space-separated) names cases in tests/cases.
	(
		set -f
		for pat in $CASES; do
			set +f
			for d in "$ROOT"/tests/cases/$pat/; do
				[ -f "$d/cmd" ] && basename "$d"
			done
		done
	) | sort -u | RUN=$run QCODE=$bin QCODE_WRAP=$wrap \
		xargs -P "$JOBS" -n 1 sh "$ROOT/tests/run-one.sh"
done

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
	echo "slowest cases (ms, run, case):" >&2
	cat "$OUT"/*/*.ms 2>/dev/null | sort -rn | head -15 >&2
fi
skip=$(cat "$OUT"/*/*.result 2>/dev/null | grep -c '^skip' || true)
rm -rf "$OUT"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
