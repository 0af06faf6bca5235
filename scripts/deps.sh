#!/bin/sh
# Install the Debian packages qcode needs when run as root; otherwise name
# the exact apt-get line.  Usage: deps.sh build|test|bench|fuzz
set -u
what=${1:-build}
build_pkgs="build-essential pkg-config libsqlite3-dev libpcre2-dev libxml2-dev libzip-dev libmicrohttpd-dev libxlsxwriter-dev"
test_pkgs="valgrind libxml2-utils chromium chromium-driver python3-selenium python3-openpyxl curl hspell sqlite3 python3 cmark-gfm pandoc zsh poppler-utils libreoffice-writer-nogui"
bench_pkgs="ripgrep sqlite3 python3 time hspell"
fuzz_pkgs="clang libclang-rt-14-dev"

missing=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
case $what in
build) want=$build_pkgs ;;
test) want="$build_pkgs $test_pkgs" ;;
bench) want="$build_pkgs $bench_pkgs" ;;
fuzz) want="$build_pkgs $fuzz_pkgs" ;;
*) echo "usage: deps.sh build|test|bench|fuzz" >&2; exit 2 ;;
esac
if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian: trust pkg-config.
	pkg-config --exists sqlite3 libpcre2-8 libxml-2.0 libzip libmicrohttpd xlsxwriter && exit 0
	echo "qcode needs SQLite 3, PCRE2, libxml2, libzip, libmicrohttpd and libxlsxwriter development files (found with pkg-config)" >&2
	exit 1
fi
for p in $want; do
	have_pkg "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null || {
		echo "qcode: could not install:$missing" >&2; exit 1; }
else
	echo "qcode: missing Debian packages:$missing" >&2
	echo "run:  sudo apt-get install -y$missing" >&2
	exit 1
fi
