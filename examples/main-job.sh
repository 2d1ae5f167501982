#!/usr/bin/env bash
# The main job on the shipped example: the 2023 campaign (56 problems, 310
# measures) imported into a fresh ledger, then its 80-day report.
# Extra arguments go to `rectify report campaign` (try --format text, --chart).
set -euo pipefail
cd "$(dirname "$0")/.."
# Cargo says where it put the binary (target/<host>/release/, see
# .cargo/config.toml).
bin=$(cargo build --release --quiet --message-format=json-render-diagnostics --bin rectify |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p')
db="$(mktemp -d)/zt2023.db"
rectify() { "$bin" --db "$db" "$@"; }
rectify campaign new ZT2023 --name 主题教育检视问题整改 --start 2023-05-08 --source 主题教育 >/dev/null
rectify import examples/zt2023.csv >&2
rectify --lang "${RECTIFY_LANG:-zh}" report campaign "$@"
