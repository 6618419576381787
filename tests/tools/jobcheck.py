#!/usr/bin/env python3
"""jobcheck.py OUT EXPECTED: the print-job invariant over an output folder.

EXPECTED lists the pieces that must be issued, one "CASE RECIPIENT" a
line.  Checks: every expected piece is `new` in exactly one job under
OUT/mail/jobs (never printed twice as new); the mail state OUT/.mail-state
records exactly those pieces, each with the job that holds it (no piece
recorded without a job); no intent is pending; no job temporary is left.
Prints each problem and exits 1 if there is any.
"""
import csv
import os
import sys


def main():
    out, expected_file = sys.argv[1], sys.argv[2]
    expected = set()
    with open(expected_file) as f:
        for line in f:
            if line.strip():
                c, r = line.split()
                expected.add((c, r))
    problems = []
    jobs_dir = os.path.join(out, "mail", "jobs")
    new_in = {}
    names = sorted(os.listdir(jobs_dir)) if os.path.isdir(jobs_dir) else []
    for name in names:
        if name.startswith("."):
            problems.append("temporary left: mail/jobs/" + name)
            continue
        man = os.path.join(jobs_dir, name, "manifest.csv")
        if not os.path.isfile(man):
            problems.append("job without manifest: " + name)
            continue
        for f in ("letters.pdf", "ticket.txt"):
            if not any(x.startswith("letters") for x in os.listdir(
                    os.path.join(jobs_dir, name))) or not os.path.isfile(
                    os.path.join(jobs_dir, name, "ticket.txt")):
                problems.append("job incomplete: " + name)
                break
        with open(man, newline="") as f:
            for row in csv.DictReader(f):
                if row["status"] == "new":
                    new_in.setdefault((row["case"], row["recipient"]),
                                      []).append(name)
    for p in sorted(expected):
        jobs = new_in.get(p, [])
        if len(jobs) != 1:
            problems.append("%s %s is new in %d jobs %s" % (p + (len(jobs),
                            jobs)))
    for p in sorted(set(new_in) - expected):
        problems.append("%s %s printed but not expected" % p)
    state = {}
    with open(os.path.join(out, ".mail-state")) as f:
        for line in f:
            w = line.split()
            if w[0] == "piece":
                state[(w[1], w[2])] = w[6] if len(w) > 6 else "-"
            elif w[0] in ("intent", "ipiece", "ivoid"):
                problems.append("pending in the state: " + line.strip())
    for p in sorted(expected):
        if p not in state:
            problems.append("%s %s printed but not in the state" % p)
        elif new_in.get(p) and state[p] != new_in[p][0]:
            problems.append("%s %s: state says job %s, printed in %s" %
                            (p + (state[p], new_in[p][0])))
    for p in sorted(set(state) - expected):
        problems.append("%s %s in the state but not expected" % p)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
