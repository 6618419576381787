#!/usr/bin/env bash
# bench/cases.sh N DIR - write the benchmark's N cases into DIR (which
# must exist): the complete reference case without counsel, in English,
# with the subject's name rotating through Latin with diacritics,
# Vietnamese, Greek and Cyrillic; ids, A-numbers, control numbers and
# street numbers unique per case.  Used by bench/run.sh and
# bench/percase.sh.
set -euo pipefail

cd "$(dirname "$0")/.."
die() { echo "bench/cases.sh: $*" >&2; exit 1; }
[[ $# -eq 2 && $1 =~ ^[1-9][0-9]*$ && -d $2 ]] || die "usage: cases.sh N DIR"
n=$1
out=$2
template=samples/complete-red-notice.xml

names=(
	"Ramírez Núñez|José Luis|Pepe Ramirez|VE"
	"Nguyễn|Thị Ánh|Nguyen Thi Anh|VN"
	"Παπαδόπουλος|Γεώργιος|Georgios Papadopoulos|GR"
	"Коваленко|Олег Петрович|Oleg Kovalenko|UA"
	"Dvořák Šťastná|Jiřina|Jirina Dvorakova|CZ"
	"Trần|Quốc Việt|Tran Quoc Viet|VN"
	"Οικονόμου|Ευαγγελία|Evangelia Oikonomou|GR"
	"Смирнов|Дмитрий Алексеевич|Dmitry Smirnov|RU"
	"Gonçalves Araújo|João Estêvão|Joao Goncalves|BR"
	"Łukasiewicz|Zofia Małgorzata|Zofia Lukasiewicz|PL"
)

# The template without its <counsel> element, read once.
pattern=$(sed '/<counsel>/,/<\/counsel>/d' "$template")
grep -q '<preferredLanguage>en</preferredLanguage>' <<<"$pattern" ||
    die "$template: expected preferredLanguage en"

for ((i = 1; i <= n; i++)); do
	IFS='|' read -r family given alias country <<<"${names[i % ${#names[@]}]}"
	c=$pattern
	c=${c//HOU-2024-00017/$(printf 'BEN-2024-%06d' "$i")}
	c=${c//<familyName>*<\/familyName>/<familyName>$family</familyName>}
	c=${c//<givenName>*<\/givenName>/<givenName>$given</givenName>}
	c=${c//<alias>*<\/alias>/<alias>$alias</alias>}
	c=${c//<citizenship>VE</<citizenship>$country<}
	c=${c//A123456789/$(printf 'A2%08d' "$i")}
	c=${c//A-1234\/5-2023/A-$i\/5-2023}
	c=${c//1234 Main St/$((100 + i)) Main St}
	printf '%s\n' "$c" >"$out/case-$(printf '%06d' "$i").xml"
done
