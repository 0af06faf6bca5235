#!/bin/sh
# manpage.sh [QCODE]: the man page qcode.1 (groff -man) on standard
# output, made from the help texts themselves ('qcode help', 'qcode help
# CMD', 'qcode help CMD SUB' for a sub-command with a help of its own), so
# the page and --help cannot drift apart.  The Makefile runs it
# at build time (build/qcode.1); check: groff -ww -man -Tutf8 build/qcode.1
set -eu
q=${1:-build/qcode}
version=$("$q" --version | sed 's/^qcode //')
tmp=$(mktemp "${TMPDIR:-/tmp}/qcode-man.XXXXXX")
trap 'rm -f "$tmp"' EXIT
# Help text as literal groff: backslashes as \e, a line starting with '.'
# or "'" guarded with \&, '-' as \- (an ASCII minus, to copy and paste
# options), characters beyond ASCII as \[uXXXX] (the page
# is ASCII: no preconv needed).
lit() {
	sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" |
		perl -CS -pe 's/([^\x00-\x7f])/sprintf("\\[u%04X]", ord($1))/ge'
}
cat <<END
.TH QCODE 1 "" "qcode $version" "User Commands"
.SH NAME
qcode \\- qualitative coding of interviews, surveys and transcripts
.SH SYNOPSIS
.B qcode
.RB [ \\-p
.IR FILE ]
.I COMMAND
.RI [ ARGS ...]
.br
.B qcode help
.RI [ COMMAND " [" SUBCOMMAND ]]
.SH DESCRIPTION
.nf
END
"$q" help | sed '/^commands:/,$d' | lit
echo ".fi"
echo ".SH COMMANDS"
"$q" help | sed -n '/^commands:/,$p' | sed 1d |
	while read -r name summary; do
		printf '.SS %s\n' "$name"
		printf '%s\n' "$summary" | lit
		echo ".PP"
		echo ".nf"
		"$q" help "$name" | lit
		echo ".fi"
		# A sub-command with a help of its own (qcode help codings
		# import) gets its own subsection after its command's.
		"$q" help "$name" | sed -n '1,/^$/p' |
			sed -n "s/^\(usage:\)\{0,1\} *qcode $name \([a-z][a-z]*\)\( .*\)\{0,1\}$/\2/p" |
			while read -r sub; do
				"$q" help "$name" "$sub" >"$tmp"
				"$q" help "$name" | cmp -s - "$tmp" && continue
				printf '.SS "%s %s"\n' "$name" "$sub"
				echo ".nf"
				lit <"$tmp"
				echo ".fi"
			done
	done
rm -f "$tmp"
cat <<'END'
.SH ENVIRONMENT
.TP
.B QCODE_PROJECT
the project file when \-p is not given (default ./project.qcode)
.TP
.B QCODE_CODER
the coder recorded for changes (default: the login name)
.TP
.B QCODE_CSV_BOM
1: CSV output begins with a UTF\-8 byte\-order mark (\-\-bom)
.SH EXIT STATUS
0 success; 1 ran but found problems or had nothing to do; 2 usage
error; 3 bad input; 4 project error; 5 output could not be written;
6 not found; 70 internal error.
.SH FILES
.TP
.I PREFIX/share/qcode/codebooks/
sample codebooks (English and Hebrew)
END
