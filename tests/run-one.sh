#!/bin/sh
# Run one case ($1) for the run $RUN; write $OUT/$RUN/$1.result.
set -u
name=$1
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
t0=$(date +%s%N)
(
	cd "$work" || exit 1
	export T SHARED QCODE QCODE_WRAP
	export LC_ALL=C.UTF-8 TZ=UTC QCODE_CODER=tester HOME=$work
	export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
	unset QCODE_PROJECT
	bash -c ". '$ROOT/tests/lib.sh'; . '$T/cmd'"
) >"$work/.actual" 2>&1 </dev/null
echo "$(( ($(date +%s%N) - t0) / 1000000 )) $RUN $name" >"$OUT/$RUN/$name.ms"
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
rm -rf "$work"
