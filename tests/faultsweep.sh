#!/usr/bin/env bash
# faultsweep.sh - `make faultsweep`: tests/e2e/t_faults.sh with every
# position of every counted call (fsync, rename, write, openat, mkdirat;
# EIO and ENOSPC; and SIGKILL at each), not the sample `make e2e` runs.
set -u
export FAULT_ALL=1
E2E_ONLY=t_faults exec bash "$(dirname "$0")/e2e/run.sh"
