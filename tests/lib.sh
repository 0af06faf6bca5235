# Helpers sourced by every tests/cases/*/cmd script.  A case runs in an
# empty temporary directory; $T is the case folder, $SHARED is ../shared.

# qcode under the wrapper of this run (valgrind, or nothing).
qcode() {
	$QCODE_WRAP "$QCODE" "$@"
}

# t CMD...: show the command, its stdout, its stderr (each line marked
# "! "), and its exit code.
t() {
	printf '$ %s\n' "$*"
	"$@" >.t.out 2>.t.err
	_rc=$?
	cat .t.out
	if [ -s .t.err ]; then
		sed 's/^/! /' .t.err
	fi
	echo "[exit $_rc]"
	rm -f .t.out .t.err
}

# snap FILE: a fingerprint of a project (its logical content, not bytes),
# for checking that a failed command changed nothing.
snap() {
	sqlite3 "$1" .dump 2>/dev/null | sha256sum | cut -c1-16 ||
		echo "no sqlite3"
}

# unchanged FILE CMD...: run CMD, then say whether FILE's content changed.
unchanged() {
	_f=$1
	shift
	_before=$(snap "$_f")
	t "$@"
	_after=$(snap "$_f")
	if [ "$_before" = "$_after" ]; then
		echo "(project unchanged)"
	else
		echo "(PROJECT CHANGED)"
	fi
}
