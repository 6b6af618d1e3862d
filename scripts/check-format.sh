#!/usr/bin/env bash
# Fails when clang-format would change a tracked C++ file.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.hpp' '*.cpp')
[ -n "$files" ] || exit 0
if ! clang-format --dry-run -Werror $files; then
  echo "check-format: run 'make format'" >&2
  exit 1
fi
echo "check-format: $(echo "$files" | wc -w) files formatted"
