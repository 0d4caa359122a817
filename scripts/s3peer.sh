#!/usr/bin/env bash
# Starts/stops the S3 peer used by the tests. Filled in by the S3 backend work (issue 5).
cmd="${1:-}"; dir="${2:-}"
case "$cmd" in
  start) mkdir -p "$dir"; : > "$dir/env"; exit 0 ;;
  stop) exit 0 ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
