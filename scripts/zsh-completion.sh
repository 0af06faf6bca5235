#!/bin/sh
# zsh-completion.sh BASH-COMPLETION: the zsh completion for qcode (the
# file _qcode in zsh's $fpath) on standard output, made from the bash
# completion itself, so the two cannot drift apart: zsh's bashcompinit
# runs the bash function, renamed _qcode_bash, with KSH_ARRAYS (bash's
# arrays count from 0).  The Makefile runs it at build time.
set -eu
cat <<'END'
#compdef qcode
# zsh completion for qcode, generated from scripts/qcode-completion.bash
# by scripts/zsh-completion.sh: do not edit.
autoload -U +X bashcompinit && bashcompinit
END
sed -e 's/\b_qcode\b/_qcode_bash/g' -e '/^complete -F/d' "$1"
cat <<'END'
_qcode_zsh() {
	setopt localoptions ksharrays
	_qcode_bash "$@"
}
complete -F _qcode_zsh qcode
# This first call (autoloaded as _qcode); later ones go straight to
# bashcompinit's _bash_complete.
_bash_complete -F _qcode_zsh
END
