# bash completion for qcode (installed as
# PREFIX/share/bash-completion/completions/qcode).  Everything comes from
# qcode itself, so it cannot drift from the program: the commands from
# 'qcode help', a command's options from 'qcode help CMD', code paths
# from 'qcode codebook show --format csv' and document names from 'qcode
# docs --format csv' of the project, formats from the command's own
# answer to an unknown --format (-p FILE on the line, else
# $QCODE_PROJECT, else ./project.qcode).

# The first column of CSV on standard input, one value a line (quoted
# fields unquoted; a value with a line break is left out).
_qcode_col1() {
	awk -v col="$1" 'NR > 1 {
		line = $0; n = 0; out = ""
		while (length(line) > 0 || n < col) {
			n++
			if (substr(line, 1, 1) == "\"") {
				v = ""; line = substr(line, 2)
				while (1) {
					i = index(line, "\"")
					if (i == 0) { v = v line; line = ""; break }
					v = v substr(line, 1, i - 1)
					line = substr(line, i + 1)
					if (substr(line, 1, 1) == "\"") {
						v = v "\""; line = substr(line, 2)
					} else break
				}
				if (substr(line, 1, 1) == ",") line = substr(line, 2)
			} else {
				i = index(line, ",")
				if (i == 0) { v = line; line = "" }
				else { v = substr(line, 1, i - 1); line = substr(line, i + 1) }
			}
			if (n == col) { out = v; break }
			if (length(line) == 0) break
		}
		if (n == col) print out
	}'
}

_qcode() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= sub= cmdi=0 i
	local -a proj=()
	local IFS=$'\n'

	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-p | --project)
			proj=(-p "${COMP_WORDS[i + 1]}")
			((i++))
			;;
		-*) ;;
		*)
			if [ -z "$cmd" ]; then
				cmd=${COMP_WORDS[i]}
				cmdi=$i
			elif [ "$i" -eq $((cmdi + 1)) ]; then
				sub=${COMP_WORDS[i]}
			fi
			;;
		esac
	done
	case $prev in
	-p | --project | -o | --output)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--format)
		# The formats the command takes, from its own error message.
		COMPREPLY=($(compgen -W "$(qcode "$cmd" --format '?' 2>&1 |
			sed -n 's/.*(choose from: \(.*\))$/\1/p' |
			sed 's/, /\n/g')" -- "$cur"))
		return
		;;
	esac
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$(qcode help 2>/dev/null |
			sed -n '/^commands:/,$p' | awk 'NR > 1 { print $1 }')
help" -- "$cur"))
		return
	fi
	if [ "$cmd" = help ]; then
		COMPREPLY=($(compgen -W "$(qcode help 2>/dev/null |
			sed -n '/^commands:/,$p' | awk 'NR > 1 { print $1 }')" \
			-- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(qcode help "$cmd" 2>/dev/null |
			grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
		return
	fi
	# A subcommand: those the synopsis of 'qcode help CMD' names (as
	# scripts/manpage.sh reads them).
	if [ "$COMP_CWORD" -eq $((cmdi + 1)) ]; then
		local subs
		subs=$(qcode help "$cmd" 2>/dev/null | sed -n '1,/^$/p' |
			sed -n "s/^\(usage:\)\{0,1\} *qcode $cmd \([a-z][a-z]*\)\( .*\)\{0,1\}$/\2/p")
		if [ -n "$subs" ]; then
			COMPREPLY=($(compgen -W "$subs" -- "$cur"))
			return
		fi
	fi
	case $cmd:$sub:$prev in
	quotes:* | count:*:--code | cooccur:*:--code | report:*:--code | \
		codings:*:--code | code:* | codebook:rename:* | codebook:merge:*)
		COMPREPLY=($(compgen -W "$(qcode "${proj[@]}" codebook show \
			--format csv 2>/dev/null | _qcode_col1 1)" -- "$cur"))
		;;
	show:* | codings:*:--doc)
		COMPREPLY=($(compgen -W "$(qcode "${proj[@]}" docs \
			--format csv 2>/dev/null | _qcode_col1 2)" -- "$cur"))
		;;
	*)
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	esac
}
complete -F _qcode qcode
