# t_console.sh - what rnpack says on standard error (issue 6; README
# "Using it"): one line per case, no personal data unless --verbose, the
# progress line on a terminal only, --quiet.  A terminal is faked with
# script(1) from util-linux.

good="$SAMPLES/complete-red-notice.xml"
DOB=1984-02-30		# not a calendar day: invalid-input quoting it

d=$(scratch)
mkdir "$d/in"
sed "s|<dateOfBirth>1984-03-12</dateOfBirth>|<dateOfBirth>$DOB</dateOfBirth>|;
     s|id=\"HOU-2024-00017\"|id=\"DOB-1\"|" "$good" > "$d/in/a-dob.xml"
cp "$good" "$d/in/b-good.xml"
cp "$SAMPLES/approval-missing.xml" "$d/in/c-partial.xml"

# ---- personal data ------------------------------------------------------

rn --check-only -o "$d/out" "$d/in" "$d/missing.xml"
assert_eq "invalid input: exit status" 2 "$RC"
check "invalid input: summary.json has the reason" \
	grep -qF "$DOB" "$d/out/summary.json"
check "no --verbose: the date of birth is not on stderr" \
	bash -c "! grep -qF '$DOB' '$E2E_TMP/last.stderr'"
check "no --verbose: file, line and code are" \
	grep -qF "$d/in/a-dob.xml:9: invalid — invalid-input: see summary.json" \
	"$E2E_TMP/last.stderr"
check "no --verbose: a file that cannot be read still says why" \
	grep -qF "$d/missing.xml:0: invalid — invalid-input: cannot open the file: no such file" \
	"$E2E_TMP/last.stderr"
rn --check-only --verbose -o "$d/out" "$d/in"
check "--verbose: the reason, date of birth included" \
	grep -qF "$d/in/a-dob.xml:9: invalid — invalid-input: <dateOfBirth>: \"$DOB\"" \
	"$E2E_TMP/last.stderr"

# ---- default output when stderr is not a terminal ------------------------

rn --check-only -o "$d/out" "$d/in"
cp "$E2E_TMP/last.stderr" "$d/piped"
assert_eq "not a terminal: one line per input, then the totals line" 4 "$(wc -l < "$d/piped")"
check "not a terminal: the totals line last" \
	bash -c "tail -n 1 '$d/piped' | grep -q '^rnpack: 3 inputs as of $AS_OF: .*; no print job: check only\$'"
check "not a terminal: no progress line (no CR, no escape)" \
	bash -c "! grep -q \$'[\\r\\033]' '$d/piped'"
check "not a terminal: the complete case's line" grep -qx "HOU-2024-00017: complete" "$d/piped"

# ---- --quiet --------------------------------------------------------------

rn --check-only --quiet -o "$d/out" "$d/in"
assert_eq "--quiet: exit status unchanged" 2 "$RC"
assert_eq "--quiet: the lines of cases that need attention only" \
	"$(grep -v ': complete$' "$d/piped")" "$(cat "$E2E_TMP/last.stderr")"

# ---- on a terminal --------------------------------------------------------

# tty ARGS...: rnpack under script(1), stderr on the fake terminal;
# writes what the terminal got to $d/tty (CR LF made LF).
tty() {
	local q
	printf -v q '%q ' "$RNPACK" --as-of "$AS_OF" "$@"
	TERM=${TTY_TERM:-xterm} script -qec "$q" /dev/null > "$d/tty.raw" \
	    2>/dev/null
	RC=$?
	sed 's/\r$//' "$d/tty.raw" > "$d/tty"
}
# Without the progress text: each "...\r\033[K" erases what was drawn.
strip_progress() { perl -pe 's/[^\r\n]*\r\e\[K//g' "$d/tty"; }

tty --check-only -o "$d/out" "$d/in"
assert_eq "terminal: exit status" 2 "$RC"
check "terminal: a progress line" grep -qE '[0-9]+/3 cases, [0-9.]+/s, ETA [-0-9:]+: [0-9]+ complete, [0-9]+ partial, [0-9]+ blocked, [0-9]+ invalid' "$d/tty"
assert_eq "terminal: case lines whole and in order, progress erased" \
	"$(cat "$d/piped")" "$(strip_progress)"
check "terminal: the progress line is gone at the end" \
	bash -c "tail -c 3 '$d/tty.raw' | od -c | grep -q '\\\\n'"

# A longer run (30 packets): the counts move, 10 redraws a second at most.
mkdir "$d/many"
for i in $(seq -w 1 30); do
	sed "s/id=\"HOU-2024-00017\"/id=\"M-$i\"/" "$good" > "$d/many/m$i.xml"
done
t0=$(date +%s%N)
tty -o "$d/outm" "$d/many"
t1=$(date +%s%N)
assert_eq "terminal, 30 packets: exit status" 0 "$RC"
check "terminal, 30 packets: counts move" grep -qE '[1-9][0-9]*/30 cases, [0-9.]+/s, ETA [0-9:]+: [1-9]' "$d/tty"
assert_eq "terminal, 30 packets: every case line whole" 30 \
	"$(strip_progress | grep -cx 'M-[0-9]*: complete')"
draws=$(grep -o $'\e\\[K' "$d/tty" | wc -l)
ms=$(( (t1 - t0) / 1000000 ))
check "terminal: at most 10 redraws a second ($draws in $ms ms)" \
	test "$draws" -le $((ms / 100 + 3))
tty --check-only --quiet -o "$d/out" "$d/in"
check "terminal, --quiet: no progress line" bash -c "! grep -q 'cases, ' '$d/tty'"
check "terminal, --quiet: no escape sequences" bash -c "! grep -q \$'\\033' '$d/tty'"
TTY_TERM=dumb tty --check-only -o "$d/out" "$d/in"
check "dumb terminal: no progress line" bash -c "! grep -q 'cases, ' '$d/tty'"
check "--help lists --quiet, --verbose and --force" \
	bash -c "'$RNPACK' --help | grep -q -- --quiet && '$RNPACK' --help | grep -q -- --verbose && '$RNPACK' --help | grep -q -- --force"
