#!/bin/sh
# Peak memory of .qdpx import (issue 9): the bench corpus of
# scripts/bench_gen.py at each size in $BENCH_QDPX_MB (default "4 20"
# megabytes), coded with its codebook, codings accepted and exported to a
# .qdpx (as scripts/bench_growth.sh does), and a project holding one large
# plain-text source ($BENCH_QDPX_SOURCE_MB, default 60, Hebrew and English
# paragraphs) exported the same way; that source is also imported as the
# plain .txt it was made from and as a .docx of the same paragraphs.  Each
# input is imported into a new project under /usr/bin/time: peak RSS
# (KB), user and system CPU seconds, wall seconds.  QCODE names the binary (default build/qcode); BENCH_DIR
# keeps the data (the inputs are made once and reused).  Not part of
# 'make bench' (the 20 MB step takes a minute of CPU).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
Q=${QCODE:-$ROOT/build/qcode}
case $Q in /*) ;; *) Q=$PWD/$Q ;; esac
SIZES=${BENCH_QDPX_MB:-4 20}
BIG=${BENCH_QDPX_SOURCE_MB:-60}
if [ -n "${BENCH_DIR:-}" ]; then
	DIR=$BENCH_DIR/qdpx-memory
	mkdir -p "$DIR"
else
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/qcode-qdpxmem.XXXXXX")
	trap 'rm -rf "$DIR"' EXIT
fi
[ -x "$Q" ] || { echo "bench: build $Q first (make build/qcode)" >&2; exit 1; }
for tool in sqlite3 python3 /usr/bin/time; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: needs $tool" >&2
		exit 1
	}
done

# measure NAME QDPX: import QDPX into a new project, print the figures.
measure() {
	rm -f "$DIR/in.qcode"
	"$Q" init "$DIR/in.qcode" >/dev/null
	/usr/bin/time -f '%M %U %S %e' -o "$DIR/time" \
		"$Q" -p "$DIR/in.qcode" import "$2" >/dev/null 2>"$DIR/err" || {
		echo "bench: import of $2 failed" >&2
		cat "$DIR/err" >&2
		exit 1
	}
	_c=$(sqlite3 "$DIR/in.qcode" "select count(*) from codings")
	_d=$(sqlite3 "$DIR/in.qcode" "select count(*) from documents")
	awk -v n="$1" -v c="$_c" -v d="$_d" -v s="$(wc -c <"$2")" '{
		printf "%-22s %9d %8d %8d %8.0f MB %7.2f %7.2f\n", n, s / 1024,
		       d, c, $1 / 1024, $2 + $3, $4 }' "$DIR/time"
}

printf '%-22s %9s %8s %8s %11s %7s %7s\n' input "input KB" documents \
	codings "peak RSS" "CPU s" "wall s"
for s in $SIZES; do
	d=$DIR/mb$s
	if [ ! -f "$d/p.qdpx" ]; then
		python3 "$ROOT/scripts/bench_gen.py" "$d" "$s" >/dev/null
		(
			cd "$d"
			rm -f p.qcode
			"$Q" init p.qcode >/dev/null
			"$Q" -p p.qcode import --text-columns q_he,q_en \
				survey.csv >/dev/null 2>&1
			"$Q" -p p.qcode import transcripts/*.txt >/dev/null 2>&1
			"$Q" -p p.qcode codebook load codebook.md >/dev/null
			"$Q" -p p.qcode autocode >/dev/null
			sqlite3 p.qcode "update codings set status = 'accepted'"
			"$Q" -p p.qcode export --format qdpx -o p.qdpx >/dev/null
		)
	fi
	measure "bench corpus ${s} MB" "$d/p.qdpx"
done
d=$DIR/source$BIG
if [ ! -f "$d/big.qdpx" ]; then
	mkdir -p "$d"
	python3 - "$d/big.txt" "$BIG" <<'PY'
import random, sys
rng = random.Random(3)
w = ["תקציב", "שקיפות", "מערכת", "budget", "data", "transparency",
     "הממשלה", "report", "נתונים", "open"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    while f.tell() < int(sys.argv[2]) * 2**20:
        f.write(" ".join(rng.choice(w) for _ in range(rng.randrange(20, 80)))
                + ".\n\n")
PY
	rm -f "$d/p.qcode"
	"$Q" init "$d/p.qcode" >/dev/null
	"$Q" -p "$d/p.qcode" import "$d/big.txt" >/dev/null
	"$Q" -p "$d/p.qcode" export --format qdpx -o "$d/big.qdpx" >/dev/null
fi
if [ ! -f "$d/big.docx" ]; then
	python3 - "$d/big.txt" "$d/big.docx" <<'PY'
import sys, zipfile
from xml.sax.saxutils import escape
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
paras = open(sys.argv[1], encoding="utf-8").read().split("\n\n")
body = "".join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>'
               % escape(p) for p in paras if p)
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?>'
               '\n<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>'
               % (W, body))
PY
fi
measure "one ${BIG} MB source" "$d/big.qdpx"
measure "the same, .txt" "$d/big.txt"
measure "the same, .docx" "$d/big.docx"
