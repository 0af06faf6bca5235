#!/bin/sh
# Run one case ($2) for the run $1 (plain, asan or valgrind); write
# $OUT/$1/$2.result, its wall time (.ms) and CPU time (.cpu).  The case
# "--unit" is the unit tests.
set -u
RUN=$1
name=$2
case $RUN in
plain) QCODE=$ROOT/build/qcode unit=$ROOT/build/unit-tests QCODE_WRAP= ;;
asan) QCODE=$ROOT/build-asan/qcode unit=$ROOT/build-asan/unit-tests QCODE_WRAP= ;;
valgrind)
	QCODE=$ROOT/build/qcode unit=$ROOT/build/unit-tests
	QCODE_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --smc-check=all-non-file"
	;;
esac
# CPU time (user+sys, ms) of this shell's finished children between two
# outputs of `times` (run in this shell, not in a subshell: the second
# line is the children's user and system time, as 0m1.230000s).
cpu_ms() {
	cat "$1" "$2" | awk -v tail="$RUN $name" '
		NR % 2 == 0 {
			n = 0
			for (i = 1; i <= 2; i++) {
				split($i, a, "m"); sub("s", "", a[2]); n += a[1] * 60 + a[2]
			}
			c[NR] = n
		}
		END { printf "%d %s\n", (c[4] - c[2]) * 1000, tail }'
}
if [ "$name" = --unit ]; then
	# One line per test, "ok NAME" or "FAIL NAME: why".
	t0=$(date +%s%N)
	times >"$OUT/$RUN/unit.t0"
	ASAN_OPTIONS=detect_leaks=1 $QCODE_WRAP "$unit" >"$OUT/$RUN/unit.log" 2>&1
	urc=$?
	echo "$(( ($(date +%s%N) - t0) / 1000000 )) $RUN $name" >"$OUT/$RUN/unit.ms"
	times >"$OUT/$RUN/unit.t1"
	cpu_ms "$OUT/$RUN/unit.t0" "$OUT/$RUN/unit.t1" >"$OUT/$RUN/unit.cpu"
	grep -q '^FAIL' "$OUT/$RUN/unit.log" && urc=1
	sed "s/^/[$RUN] unit: /" "$OUT/$RUN/unit.log" | grep -v ': ok ' >&2
	grep -c '^ok ' "$OUT/$RUN/unit.log" >"$OUT/$RUN/unit.pass"
	if [ $urc -ne 0 ]; then
		n=$(grep -c '^FAIL' "$OUT/$RUN/unit.log")
		[ "$n" -eq 0 ] && n=1
		echo "$n" >"$OUT/$RUN/unit.fail"
	else
		echo 0 >"$OUT/$RUN/unit.fail"
	fi
	exit 0
fi
T=$ROOT/tests/cases/$name
work=$(mktemp -d "${TMPDIR:-/tmp}/qcode-case.XXXXXX")
result=$OUT/$RUN/$name.result
# "# runs: plain" limits a slow case to the named runs.
runs=$(sed -n 's/^# runs: //p' "$T/cmd")
if [ -n "$runs" ] && ! echo " $runs " | grep -q " $RUN "; then
	echo na >"$result"
	rm -rf "$work"
	exit 0
fi
# A case may declare what it needs: "# needs: chromium xmllint"; "shared"
# is the shared data ($SHARED), needed too by every case that names it.
needs=$(sed -n 's/^# needs: //p' "$T/cmd")
grep -q 'SHARED' "$T/cmd" && needs="$needs shared"
for tool in $needs; do
	if [ "$tool" = shared ]; then
		if [ ! -d "$SHARED" ]; then
			echo "[$RUN] $name: skipped (needs the shared data: no folder '$SHARED'; set SHARED=DIR)" >&2
			echo skip >"$result"
			rm -rf "$work"
			exit 0
		fi
		continue
	fi
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "[$RUN] $name: skipped (needs $tool)" >&2
		echo skip >"$result"
		rm -rf "$work"
		exit 0
	fi
done
# "# needs-in-ci: soffice": a tool the case is skipped without here, but
# never in CI: with QCODE_CI=1 (.ci/run, which installs it) its absence
# fails the case.
for tool in $(sed -n 's/^# needs-in-ci: //p' "$T/cmd"); do
	command -v "$tool" >/dev/null 2>&1 && continue
	if [ "${QCODE_CI:-}" = 1 ]; then
		echo "[$RUN] FAIL $name: needs $tool, which CI must install" >&2
		echo fail >"$result"
	else
		echo "[$RUN] $name: skipped (needs $tool; CI runs it)" >&2
		echo skip >"$result"
	fi
	rm -rf "$work"
	exit 0
done
# "# needs-python: selenium": a module python3 (or Debian's
# /usr/bin/python3, when python3 is another one) must import.
for mod in $(sed -n 's/^# needs-python: //p' "$T/cmd"); do
	if ! python3 -c "import $mod" >/dev/null 2>&1 &&
		! /usr/bin/python3 -c "import $mod" >/dev/null 2>&1; then
		echo "[$RUN] $name: skipped (needs python module $mod)" >&2
		echo skip >"$result"
		rm -rf "$work"
		exit 0
	fi
done
# lib.sh's t keeps each command's output in QC_T_DIR, beside the case's
# folder rather than in it.
QC_T_DIR=$work.t
mkdir "$QC_T_DIR"
times >"$OUT/$RUN/$name.t0"
t0=$(date +%s%N)
(
	cd "$work" || exit 1
	export T SHARED QCODE QCODE_WRAP RUN QC_T_DIR
	export LC_ALL=C.UTF-8 TZ=UTC QCODE_CODER=tester HOME=$work
	export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
	unset QCODE_PROJECT
	bash -c ". '$ROOT/tests/lib.sh'; . '$T/cmd'"
) >"$work/.actual" 2>&1 </dev/null
echo "$(( ($(date +%s%N) - t0) / 1000000 )) $RUN $name" >"$OUT/$RUN/$name.ms"
times >"$OUT/$RUN/$name.t1"
cpu_ms "$OUT/$RUN/$name.t0" "$OUT/$RUN/$name.t1" >"$OUT/$RUN/$name.cpu"
# Where the shared data lives differs between machines (CI clones into
# another directory): transcripts show it as the literal "$SHARED".
awk -v s="$SHARED" '{
	out = ""
	while ((i = index($0, s)) > 0) {
		out = out substr($0, 1, i - 1) "$SHARED"
		$0 = substr($0, i + length(s))
	}
	print out $0
}' "$work/.actual" >"$work/.norm" && mv "$work/.norm" "$work/.actual"
if [ "${UPDATE:-}" = 1 ] && [ "$RUN" = plain ]; then
	cp "$work/.actual" "$T/expected"
fi
if [ -f "$T/expected" ] && cmp -s "$T/expected" "$work/.actual"; then
	echo pass >"$result"
else
	echo fail >"$result"
	echo "[$RUN] FAIL $name" >&2
	if [ -f "$T/expected" ]; then
		diff -u "$T/expected" "$work/.actual" | head -40 >&2
	else
		echo "  (no expected file; UPDATE=1 creates it)" >&2
	fi
fi
rm -rf "$work" "$QC_T_DIR"
