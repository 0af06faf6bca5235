#!/bin/sh
# Run the libFuzzer harnesses (build-fuzz/fuzz_*) one after another, each
# for $FUZZ_SECONDS, and print executions, executions per second and
# coverage.  Usage: sh tests/fuzz/run.sh [NAME...]  (default: all).
# The corpus of each is seeded into a temporary folder from
# tests/fuzz/seeds/NAME, files of its kind under tests/, codebooks/,
# transcripts/ and $SHARED (../shared).  A crash or hang is saved as
# build-fuzz/crashes/NAME-crash-*; the run then fails.  Not part of
# 'make check'.  With FUZZ_CORPUS=DIR the corpus of each harness is kept
# in DIR/NAME between runs (so runs accumulate; seeds are added anew).
# With FUZZ_RUNS=N each harness also stops once it has run N inputs.
set -u
secs=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:-0}
shared=${SHARED:-../shared}
names=${*:-$(ls build-fuzz/fuzz_* 2>/dev/null | sed 's,.*/fuzz_,,')}
work=$(mktemp -d "${TMPDIR:-/tmp}/qcode-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p build-fuzz/crashes
failed=0

# The file name patterns whose files seed harness $1.
kinds() {
	case $1 in
	segment|txt) echo '*.txt *.md' ;;
	csv|survey) echo '*.csv *.tsv' ;;
	codebook_md) echo '*.md' ;;
	codebook_csv) echo '*.csv' ;;
	codebook_json) echo '*.json' ;;
	qdc) echo '*.qdc *.qde' ;;
	zip|qdpx) echo '*.qdpx' ;;
	vtt) echo '*.vtt' ;;
	srt) echo '*.srt' ;;
	docx) echo '*.docx' ;;
	odt) echo '*.odt' ;;
	xlsx) echo '*.xlsx' ;;
	*) echo '' ;;
	esac
}

printf '%-14s %12s %9s %7s %7s  %s\n' harness executions exec/s cov ft result
for n in $names; do
	bin=build-fuzz/fuzz_$n
	[ -x "$bin" ] || { echo "no harness $bin (make fuzz-build)" >&2; failed=1; continue; }
	corpus=${FUZZ_CORPUS:-$work}/$n
	mkdir -p "$corpus" || exit 1
	[ -d tests/fuzz/seeds/$n ] && cp tests/fuzz/seeds/$n/* "$corpus"/ 2>/dev/null
	for k in $(kinds "$n"); do
		find tests codebooks transcripts "$shared" -type f -name "$k" \
			-size -512k 2>/dev/null | head -200 |
		while read -r f; do
			cp "$f" "$corpus/$(printf '%s' "$f" | tr '/' '_')"
		done
	done
	# The importers die() on most bad inputs and leave what they
	# allocated (the real command exits): no leak checks there.
	# Inputs up to 4 KiB (larger seeds are cut there): the parsers'
	# cost is per byte, and in equal time 4 KiB inputs reached more
	# coverage than 64 KiB ones at ten times the executions (README
	# "Fuzzing").  Zip formats need their central directory, at the
	# end: whole seeds up to 1 MiB.  FUZZ_MAX_LEN overrides both.
	maxlen=4096
	case $n in zip|qdpx|docx|odt|xlsx) maxlen=1048576 ;; esac
	maxlen=${FUZZ_MAX_LEN:-$maxlen}
	leaks=1
	case $n in
	vtt|srt|docx|odt|xlsx|qdpx|txt|survey|codebook_csv|codebook_json|codings) leaks=0 ;;
	esac
	# The harnesses whose parsers die() leak what those allocated, and
	# in a long run reach the memory limit: they run in chunks of
	# FUZZ_CHUNK inputs (at least four times the corpus), one process
	# after another on the same corpus, until FUZZ_SECONDS are up.
	chunk=
	if [ $leaks = 0 ]; then
		c=$(ls "$corpus" | wc -l)
		# 20,000 refused .qdpx files (the most per input) peaked at
		# 550 MB.
		chunk=${FUZZ_CHUNK:-50000}
		[ $chunk -ge $((4 * c)) ] || chunk=$((4 * c))
		chunk=-runs=$chunk
	fi
	: >"$work/$n.log"
	start=$(date +%s)
	execs=0
	while :; do
		left=$((secs - ($(date +%s) - start)))
		[ $left -gt 0 ] || break
		this=$chunk
		if [ "$runs" -gt 0 ]; then
			[ $execs -lt "$runs" ] || break
			n_left=$((runs - execs))
			if [ -z "$chunk" ] || [ $n_left -lt ${chunk#-runs=} ]; then
				this=-runs=$n_left
			fi
		fi
		# A hang is an input running over 60 s of wall time: under
		# nice -n 19 on a busy machine a fuzzer waits for the processor
		# for seconds (a 45 KB .qdpx that runs in 0.4 s timed out at
		# 10 s while three builds ran).
		# A small quarantine: the importers' 64 KiB buffers otherwise
		# cost a page fault each (several times fewer executions per
		# second).
		ASAN_OPTIONS=detect_leaks=$leaks:quarantine_size_mb=16:${ASAN_OPTIONS:-} \
		TMPDIR=$work "$bin" "$corpus" -max_total_time="$left" $this \
			-timeout=60 -rss_limit_mb=2048 -max_len=$maxlen \
			-close_fd_mask=3 -detect_leaks=$leaks -print_final_stats=1 \
			-artifact_prefix=build-fuzz/crashes/$n- >"$work/$n.run" 2>&1
		rc=$?
		cat "$work/$n.run" >>"$work/$n.log"
		e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$n.run" | head -1)
		execs=$((execs + ${e:-0}))
		[ $rc -eq 0 ] && [ -n "$this" ] || break
	done
	rate=$((execs / ($(date +%s) - start + 1)))
	cov=$(grep -o 'cov: [0-9]*' "$work/$n.log" | tail -1 | sed 's/cov: //')
	ft=$(grep -o 'ft: [0-9]*' "$work/$n.log" | tail -1 | sed 's/ft: //')
	if [ $rc -eq 0 ]; then
		res=ok
	else
		res="FAILED (exit $rc; see build-fuzz/crashes/$n-*)"
		cp "$work/$n.log" build-fuzz/crashes/$n.log
		failed=1
	fi
	printf '%-14s %12s %9s %7s %7s  %s\n' "$n" "${execs:-?}" "${rate:-?}" \
		"${cov:-?}" "${ft:-?}" "$res"
done
exit $failed
