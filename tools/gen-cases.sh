#!/bin/sh
# gen-cases.sh - write N synthetic case files for the benchmark and the
# leak check (bench/README, `make leakcheck`).
#
#   tools/gen-cases.sh [--mail-mix] N DIR
#
# Writes DIR/case-000001.xml ... from samples/complete-red-notice.xml,
# each with its own id (BEN-2024-000001 ...), A-number, control number and
# street number, the subject's name rotating through ten people written
# in Latin with diacritics, Vietnamese, Greek and Cyrillic.
#
# Without --mail-mix, the benchmark packet: no <counsel>, English, every
# case complete with one mail piece.  With --mail-mix, a mail room's mix:
# every other case keeps counsel of record (a second piece), every third
# is in Spanish (a longer notice), the subject's ZIP cycles through 50
# codes (the print file's order), and every twentieth is served in person
# (no piece).  One awk process writes them all: 10,000 cases take seconds.
set -eu

mix=0
if [ "${1:-}" = --mail-mix ]; then
	mix=1
	shift
fi
[ $# = 2 ] || { echo "usage: $0 [--mail-mix] N DIR" >&2; exit 64; }
n=$1 dir=$2
case $n in
''|*[!0-9]*|0*) echo "$0: N must be a positive number, not '$n'" >&2; exit 64 ;;
esac
template="$(dirname "$0")/../samples/complete-red-notice.xml"
mkdir -p "$dir"

LC_ALL=C awk -v n="$n" -v dir="$dir" -v mix="$mix" '
	# s with the first from replaced by to (literal strings).
	function rep(s, from, to,   i) {
		i = index(s, from)
		return i ? substr(s, 1, i - 1) to substr(s, i + length(from)) : s
	}
	# s with the content of the first <tag>...</tag> replaced by to.
	function elem(s, tag, to,   a, b) {
		a = index(s, "<" tag ">")
		b = index(s, "</" tag ">")
		if (a == 0 || b < a)
			return s
		return substr(s, 1, a + length(tag) + 1) to substr(s, b)
	}
	BEGIN {
		split("Ramírez Núñez|José Luis|Pepe Ramirez|VE;" \
		    "Nguyễn|Thị Ánh|Nguyen Thi Anh|VN;" \
		    "Παπαδόπουλος|Γεώργιος|Georgios Papadopoulos|GR;" \
		    "Коваленко|Олег Петрович|Oleg Kovalenko|UA;" \
		    "Dvořák Šťastná|Jiřina|Jirina Dvorakova|CZ;" \
		    "Trần|Quốc Việt|Tran Quoc Viet|VN;" \
		    "Οικονόμου|Ευαγγελία|Evangelia Oikonomou|GR;" \
		    "Смирнов|Дмитрий Алексеевич|Dmitry Smirnov|RU;" \
		    "Gonçalves Araújo|João Estêvão|Joao Goncalves|BR;" \
		    "Łukasiewicz|Zofia Małgorzata|Zofia Lukasiewicz|PL",
		    names, ";")
	}
	# The template read whole, with and without its <counsel> element.
	{ all = all $0 "\n" }
	/<counsel>/ { skip = 1 }
	!skip { bare = bare $0 "\n" }
	/<\/counsel>/ { skip = 0 }
	END {
		for (i = 1; i <= n; i++) {
			split(names[i % 10 + 1], p, "|")
			c = mix && i % 2 ? all : bare
			c = rep(c, "HOU-2024-00017", sprintf("BEN-2024-%06d", i))
			c = elem(c, "familyName", p[1])
			c = elem(c, "givenName", p[2])
			c = elem(c, "alias", p[3])
			c = rep(c, "<citizenship>VE<", "<citizenship>" p[4] "<")
			c = rep(c, "A123456789", sprintf("A2%08d", i))
			c = rep(c, "A-1234/5-2023", "A-" i "/5-2023")
			c = rep(c, "1234 Main St", (100 + i) " Main St")
			if (mix) {
				if (i % 3 == 0)
					c = elem(c, "preferredLanguage", "es")
				c = rep(c, "<postalCode>77002-1234<",
				    sprintf("<postalCode>770%02d-1234<", i * 7 % 50))
				if (i % 20 == 0)
					c = rep(c, "<service method=\"mail\"",
					    "<service method=\"personal\"")
			}
			f = sprintf("%s/case-%06d.xml", dir, i)
			printf "%s", c > f
			close(f)
		}
	}' "$template"
