#!/usr/bin/env bash
# The habits the suite enforces before any test runs: ruff's rules, ruff's formatting, and mypy
# over the packages ([tool.mypy] in pyproject.toml). Any finding fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
.venv/bin/ruff check . || rc=1
.venv/bin/ruff format --check . || rc=1
.venv/bin/mypy || rc=1
[ "$rc" -eq 0 ] || echo "lint: findings above (ruff check, ruff format --check, mypy); fix them" >&2
exit "$rc"
