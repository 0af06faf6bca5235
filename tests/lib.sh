# Helpers sourced by every tests/cases/*/cmd script.  A case runs in an
# empty temporary directory; $T is the case folder, $SHARED is ../shared.

# qcode under the wrapper of this run (valgrind, or nothing).
qcode() {
	$QCODE_WRAP "$QCODE" "$@"
}

# t CMD...: show the command, its stdout, its stderr (each line marked
# "! "), and its exit code.  The output goes to two files outside the
# case's folder ($QC_T_DIR, made by run-one.sh, so that no listing of the
# folder shows them) and is shown by the shell itself: cases call t some
# 1,300 times a run, and cat, sed and rm were three processes each time.
t() {
	printf '$ %s\n' "$*"
	"$@" >"${QC_T_DIR:-.}/.t.out" 2>"${QC_T_DIR:-.}/.t.err"
	_rc=$?
	_show "${QC_T_DIR:-.}/.t.out" ''
	_show "${QC_T_DIR:-.}/.t.err" '! '
	echo "[exit $_rc]"
	if [ -z "${QC_T_DIR:-}" ]; then
		rm -f .t.out .t.err
	fi
}

# _show FILE PREFIX: FILE's bytes with PREFIX before each line, as sed
# 's/^/PREFIX/' (cat when PREFIX is empty) prints them: a last line
# without its newline stays without.  A file with a NUL byte, which a
# shell variable cannot hold, goes to sed itself.
_show() {
	if IFS= read -r -d '' _t_s <"$1"; then
		sed "s/^/$2/" "$1"
		return
	fi
	if [ -z "$2" ] || [ -z "$_t_s" ]; then
		printf '%s' "$_t_s"
		return
	fi
	_t_b=${_t_s%$'\n'}
	_t_b=$2${_t_b//$'\n'/$'\n'$2}
	if [ "${_t_s%$'\n'}" != "$_t_s" ]; then
		printf '%s\n' "$_t_b"
	else
		printf '%s' "$_t_b"
	fi
}

# snap FILE: a fingerprint of a project (its logical content, not bytes),
# for checking that a failed command changed nothing.
snap() {
	sqlite3 "$1" .dump 2>/dev/null | sha256sum | cut -c1-16 ||
		echo "no sqlite3"
}

# unchanged FILE CMD...: run CMD, then say whether FILE's content changed.
# A file whose bytes are the same (and no write-ahead log or journal
# beside it) has the same content: cp before, cmp after, two small
# processes; else (the usual case only for a command that wrote) the two
# dumps, as snap reads them, are compared whole.
unchanged() {
	_f=$1
	shift
	_d=${QC_T_DIR:-.}
	if [ ! -s "$_f-wal" ] && [ ! -s "$_f-journal" ] &&
		cp "$_f" "$_d/.t.before.db" 2>/dev/null; then
		_copied=1
	else
		_copied=
		sqlite3 "$_f" .dump >"$_d/.t.before" 2>/dev/null
	fi
	t "$@"
	if [ -n "$_copied" ] && [ ! -s "$_f-wal" ] && [ ! -s "$_f-journal" ] &&
		cmp -s "$_f" "$_d/.t.before.db"; then
		echo "(project unchanged)"
	else
		if [ -n "$_copied" ]; then
			sqlite3 "$_d/.t.before.db" .dump >"$_d/.t.before" 2>/dev/null
		fi
		sqlite3 "$_f" .dump >"$_d/.t.after" 2>/dev/null
		if cmp -s "$_d/.t.before" "$_d/.t.after"; then
			echo "(project unchanged)"
		else
			echo "(PROJECT CHANGED)"
		fi
	fi
	if [ -z "${QC_T_DIR:-}" ]; then
		rm -f .t.before .t.after .t.before.db .t.before.db-wal \
			.t.before.db-shm
	fi
}
