# comp.zsh: load ./_qcode's functions (all but its last line, the first
# completion call, which needs zsh's line editor) and ask them what
# zsh's _bash_complete asks: COMP_WORDS and COMP_CWORD as it sets them,
# the function through bashcompinit's compgen -F.
autoload -U +X compinit && compinit -u -D
autoload -U +X bashcompinit && bashcompinit
eval "$(sed '$d' ./_qcode)"
comp() {
	local -a out
	words=("$@")
	CURRENT=$#
	COMP_WORDS=("${words[@]}")
	COMP_CWORD=$((CURRENT - 1))
	out=("${(@f)$(compgen -F _qcode_zsh -- ${words[CURRENT]})}")
	out=(${(M)out:#${words[CURRENT]}*})
	print -r -- "[$*] -> ${#out}:${out:+ <${(j:> <:)out}>}"
}
comp qcode co
comp qcode help cod
comp qcode count --fo
comp qcode quotes --b
comp qcode count --format ''
comp qcode docs --format ''
comp qcode quotes Pr
comp qcode quotes חשיפה
comp qcode count --code 'חי'
comp qcode show r1
comp qcode -p other.qcode show r2/
comp qcode -p nosuch.qcode quotes ''
