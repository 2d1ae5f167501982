#!/usr/bin/env bash
# Writes link/hot-functions.txt: the functions a clerk's everyday commands
# run, for the linker to lay side by side (build.rs passes the list to
# lld as --symbol-ordering-file on x86_64 Linux).
#
# A command starts by mapping the code it runs; spread over rectify's
# 8 MB of code, an `add`'s functions fell in 73 blocks of 64 KiB; packed
# they fall in 20, and a one-row write takes 0.3-0.6 ms less (README,
# "Speed"). Names missing from a later build are skipped, so a stale list
# costs speed, never a build: rerun this after large changes, or when
# `link/hot-functions.sh --check` says the list no longer packs.
#
#   link/hot-functions.sh            profile with callgrind, rewrite the list
#   link/hot-functions.sh --check [BINARY]
#                                    how tightly the release build (or
#                                    BINARY) packs it; exit 1 if loosely
#
# Needs valgrind (callgrind) and nm.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
list="$root/link/hot-functions.txt"

# rectify on its own, as a clerk builds it: built beside the example, it
# would take its dev-dependencies' features, and other symbol names.
build() {
    (cd "$root" && cargo build --release --quiet --message-format=json-render-diagnostics "$@") |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p'
}
rectify=$(build --bin rectify)

# The listed functions' addresses in the binary: how many 64 KiB blocks
# they fall in, against the fewest their sizes could fill.
check() {
    [ -s "$list" ] || { echo "link/hot-functions.sh: no $list" >&2; return 1; }
    nm -S -t d --defined-only "$1" | awk -v list="$list" '
        BEGIN { while ((getline name < list) > 0) want[name] = 1 }
        NF == 4 && ($3 == "t" || $3 == "T" || $3 == "W" || $3 == "w") && ($4 in want) && !($4 in seen) {
            seen[$4] = 1; n++; bytes += $2
            block[int($1 / 65536)] = 1
        }
        END {
            for (b in block) blocks++
            least = int((bytes + 65535) / 65536)
            printf "%d of the %d listed functions in the build, %d KiB, in %d 64 KiB blocks (%d at the least)\n", n, length(want), bytes / 1024, blocks, least
            # Stale names (a dependency upgraded) or the order not applied.
            exit (5 * n < 4 * length(want) || blocks > 2 * least + 2)
        }'
}
if [ "${1:-}" = --check ]; then
    check "${2:-$rectify}" && exit 0
    echo "link/hot-functions.sh: the build does not pack the list; rerun link/hot-functions.sh" >&2
    exit 1
fi

command -v valgrind >/dev/null || { echo "link/hot-functions.sh: needs valgrind" >&2; exit 1; }
gen=$(build --example bench-gen)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RECTIFY_TODAY=2024-01-15 RECTIFY_NOW=2024-01-15T08:00:00Z RECTIFY_USER=profile
export RECTIFY_DB="$work/ledger.db"
unset RECTIFY_LANG LANG LC_ALL LC_MESSAGES NO_COLOR
"$gen" 1000 "$work" >/dev/null
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    "$rectify" campaign new "C$m" --name "2023年${m}月专项" --start "2023-$m-01" --days 28 >/dev/null
done
"$rectify" import "$work/ledger.csv" >/dev/null

: >"$work/names"
profile() {
    local status=0
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.out" \
        "$rectify" "$@" >/dev/null 2>"$work/cg.err" || status=$?
    # check exits 1 when something is overdue, as it is here.
    if [ $status -gt 1 ]; then
        echo "link/hot-functions.sh: rectify $* failed ($status):" >&2
        grep -v '^==' "$work/cg.err" >&2
        exit 1
    fi
    # Sorted within each command, so a rerun on the same code writes the
    # same list; callgrind's own order follows the code's addresses.
    sed -n 's/^c\{0,1\}fn=([0-9]*) \(.*\)$/\1/p' "$work/cg.out" | grep -v '^0x' | LC_ALL=C sort -u >>"$work/names"
}
# One-item writes first: they are the commands where starting up is most
# of the time.
profile add measure --problem P2 --raised 2023-01-01 --due 2023-02-01 新增措施
profile close M508 --on 2024-01-10
profile assign M509 --owner 新责任人
profile extend M518 --to 2024-03-01 --reason 延期
RECTIFY_LANG=zh profile add measure --problem P3 --raised 2023-01-01 --due 2023-02-01 新增措施
profile log --head
profile show M509
profile list --status overdue --kind measure
profile check
profile report campaign C06
profile report month 2023-06
profile export --out "$work/export.csv"
profile verify
awk '!seen[$0]++' "$work/names" >"$list"
echo "$(wc -l <"$list") functions written to link/hot-functions.txt" >&2
# build.rs gives the new list to the linker.
build --bin rectify >/dev/null
check "$rectify"
