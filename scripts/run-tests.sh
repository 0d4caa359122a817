#!/usr/bin/env bash
# Runs the whole suite: the lint step (ruff, ruff format --check, mypy), then starts the S3 peer
# (Ceph RADOS Gateway) and the PostgreSQL peer (scripts/pgpeer.sh), runs pytest, stops what it started. The tests run even after lint findings
# (so one run shows everything); the exit is 1 on lint findings, else pytest's status; "no tests
# collected" (5) counts as a failure.
# SOHOA_SKIP_LINT=1 skips the lint step (for a quick local run of a few tests only).
# SOHOA_TEST_WORKERS=N sets the pytest-xdist workers (default 2; 0 = one process).
set -uo pipefail
cd "$(dirname "$0")/.."
lint_rc=0
if [ "${SOHOA_SKIP_LINT:-}" != "1" ]; then
  bash scripts/lint.sh || lint_rc=1
fi
PEER_DIR="${SOHOA_S3_PEER_DIR:-$(mktemp -d /tmp/sohoa-s3peer.XXXXXX)}"
PG_DIR="$(mktemp -d /tmp/sohoa-pgpeer.XXXXXX)"
stop_peer() {
  bash scripts/s3peer.sh stop "$PEER_DIR" || true
  bash scripts/pgpeer.sh stop "$PG_DIR" || true
}
trap stop_peer EXIT
trap 'exit 143' INT TERM  # so an interrupted run still stops the peer (EXIT trap)
if bash scripts/s3peer.sh start "$PEER_DIR"; then
  # The peer writes the endpoint and keys the S3 tests read.
  set -a; . "$PEER_DIR/env"; set +a
else
  echo "S3 peer failed to start: the S3 tests will fail (they never skip)." >&2
  export SOHOA_S3_PEER_FAILED=1
fi
if bash scripts/pgpeer.sh start "$PG_DIR"; then
  # SOHOA_PG_URL: the state contract and multi-node tests use it (they fail, never skip, without it).
  set -a; . "$PG_DIR/env"; set +a
else
  echo "PostgreSQL peer failed to start: the PostgreSQL tests will fail (they never skip)." >&2
fi
# Two pytest-xdist workers, a test file each (--dist loadfile keeps a file's module fixtures in one
# process). Tests that stop an S3 gateway (test_outage, test_s3_fault) start a peer of their own,
# so the shared peer stays up for the other worker. SOHOA_TEST_WORKERS=0 runs one process.
workers="${SOHOA_TEST_WORKERS:-2}"
if [ "$workers" = "0" ]; then
  .venv/bin/python -m pytest "$@"
else
  .venv/bin/python -m pytest -n "$workers" --dist loadfile "$@"
fi
rc=$?
[ "$rc" -eq 5 ] && { echo "pytest collected no tests" >&2; rc=1; }
[ "$lint_rc" -ne 0 ] && { echo "lint findings (see above): the run fails" >&2; rc=1; }
exit "$rc"
