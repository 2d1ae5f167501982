#!/usr/bin/env bash
# The benchmark: rectify against the sqlite3 CLI and Taskwarrior on the same
# generated ledgers, timing whole processes (median, min and max of several
# runs) and the peak memory of import and export.
#
#   bench/run.sh                 N = 10k, 100k, 1M; writes bench/results.md
#   bench/run.sh --sizes "1000 20000"
#   bench/run.sh --smoke         N = 1k, one run each, results to a temp file
#
# Beside rectify's import runs the floor program (bench/floor.rs): the same
# final rows and events written by prepared INSERTs with no reads, checks,
# JSON or hashing; the "÷ floor" column is rectify's import over it.
#
# Installs sqlite3, taskwarrior and GNU time from Debian's packages when
# they are missing and apt-get is there; a tool that cannot be had is
# left out of the table, marked n/a.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sizes="10000 100000 1000000"
runs=5        # fast operations
slow_runs=3   # import, export and verify at 1M
# One-row writes, rectify's and sqlite3's in turn: each is a few ms, and
# two runs in five could swing a median by a fifth, as much as the gap
# being measured. With 21, two full runs of the same code back to back
# gave the three writes 1.02-1.19 and 1.03-1.15 of sqlite3: a median of
# 21 runs spread over 2-4 ms moves by about a tenth. A pair takes about
# 10 ms, so 101 cost seconds.
write_runs=101
# Reports at 1M take 0.1-0.5 s a run, so they can have more runs: three,
# minutes apart from sqlite3's, put the campaign report as of its middle
# at 0.99 of sqlite3 in one full run and 1.33 in the next.
report_runs=11
task_max=100000
out="$root/bench/results.md"
smoke=0
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=1; sizes=1000; runs=1; slow_runs=1; write_runs=1; report_runs=1; out=$(mktemp --suffix=.md) ;;
        --sizes) sizes=$2; shift ;;
        --runs) runs=$2; slow_runs=$2; write_runs=$2; report_runs=$2; shift ;;
        --out) out=$2; shift ;;
        *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

have() { command -v "$1" >/dev/null 2>&1; }
if ! have sqlite3 || ! have task || [ ! -x /usr/bin/time ]; then
    if have apt-get; then
        sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get install -y -qq sqlite3 taskwarrior time >/dev/null 2>&1 ||
            { $sudo apt-get update -qq >/dev/null 2>&1 &&
              $sudo apt-get install -y -qq sqlite3 taskwarrior time >/dev/null 2>&1; } || true
    fi
fi

echo "building rectify (release)..." >&2
# Cargo says where it put each binary (target/<host>/release/, see
# .cargo/config.toml).
# rectify is built on its own: built with the examples, it would take the
# features their dev-dependencies turn on in shared crates, and differ
# from the binary a clerk installs.
build() {
    (cd "$root" && cargo build --release --quiet --message-format=json-render-diagnostics "$@") |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p'
}
built=$(build --bin rectify && build --example bench-gen --example bench-floor --example bench-verify-parts)
built_path() { printf '%s\n' "$built" | grep "/$1\$"; }
rectify=$(built_path rectify)
gen=$(built_path bench-gen)
floor=$(built_path bench-floor)
verify_parts=$(built_path bench-verify-parts)

# Every tool timed runs as it would after a reboot: read back from disk by
# the kernel as it executes. How a binary came into the page cache changes
# how fast it starts. The same bytes of rectify took 0.3-0.4 ms more an
# `add` as the linker left them than as just copied (1.11 against 0.99 of
# sqlite3; the copy maps its code in fewer faults), and as read back from
# disk they ran like the linker's. Dropping each file's cached pages
# (written out first) gives every tool the state it has on a clerk's
# machine the day after it was installed.
as_after_reboot() {
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        sync "$f"
        dd if="$f" iflag=nocache count=0 status=none
    done
}
as_after_reboot "$rectify" "$gen" "$floor" "$verify_parts"
for tool in sqlite3 task; do
    if have "$tool"; then
        bin=$(command -v "$tool")
        as_after_reboot "$bin" $(ldd "$bin" 2>/dev/null | awk '/libsqlite3/ { print $3 }')
    fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
raw="$work/raw.tsv"
: >"$raw"

export RECTIFY_TODAY=2024-01-15 RECTIFY_NOW=2024-01-15T08:00:00Z RECTIFY_USER=bench
unset RECTIFY_LANG LANG LC_ALL LC_MESSAGES NO_COLOR

# time_op OP N TOOL RUNS COMMAND: COMMAND is a shell string; $run counts 1..RUNS
# (from $run_from, when set) so each run of a write can touch a different item.
# Timed by bash's own clock around the command alone. Each `$(date +%s%N)`
# forked a shell and ran date(1), and a subshell ran each command: 1.7-1.8
# ms a run (the median of 200 runs of /bin/true: 2.45 ms timed that way,
# 0.72 ms this way), added to both tools alike, which pulled every ratio
# of a few-millisecond operation towards 1.
time_op() {
    local op=$1 n=$2 tool=$3 count=$4 cmd=$5 t0 t1 samples=() from=${run_from:-1}
    local -x run
    for run in $(seq "$from" $((from + count - 1))); do
        t0=$EPOCHREALTIME
        if ! eval "$cmd" >/dev/null 2>"$work/err"; then
            echo "bench: $tool $op (N=$n) failed:" >&2
            cat "$work/err" >&2
            exit 1
        fi
        t1=$EPOCHREALTIME
        samples+=($(( ${t1//[!0-9]/} - ${t0//[!0-9]/} )))
    done
    local sorted
    sorted=$(printf '%s\n' "${samples[@]}" | sort -n)
    local min max med
    min=$(echo "$sorted" | head -1)
    max=$(echo "$sorted" | tail -1)
    med=$(echo "$sorted" | sed -n "$(((${#samples[@]} + 1) / 2))p")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$op" "$n" "$tool" "$med" "$min" "$max" >>"$raw"
    awk -v op="$op" -v tool="$tool" -v n="$n" -v med="$med" -v min="$min" -v max="$max" 'BEGIN {
        printf "  %-16s %-8s N=%-8s median %9.1f ms  (min %.1f, max %.1f)\n", op, tool, n, med / 1000, min / 1000, max / 1000 }' >&2
}

# peak_mem OP N TOOL COMMAND: peak RSS in KiB by GNU time, one run.
peak_mem() {
    local op=$1 n=$2 tool=$3 cmd=$4
    [ -x /usr/bin/time ] || return 0
    /usr/bin/time -f '%M' -o "$work/mem" bash -c "$cmd" >/dev/null 2>&1
    printf '%s\t%s\t%s\t%s\n' "$op" "$n" "$tool" "$(tail -1 "$work/mem")" >>"$work/mem.tsv"
}
: >"$work/mem.tsv"
: >"$work/parts.tsv"

# Fold single-run rows of OP N TOOL into one row: median, min, max.
median_of() {
    local op=$1 n=$2 tool=$3
    awk -F'\t' -v op="$op" -v n="$n" -v t="$tool" '$1==op && $2==n && $3==t {print $4}' "$raw" | sort -n >"$work/fold"
    awk -F'\t' -v op="$op" -v n="$n" -v t="$tool" '!($1==op && $2==n && $3==t)' "$raw" >"$work/rest"
    mv "$work/rest" "$raw"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$op" "$n" "$tool" \
        "$(sed -n "$((($(wc -l <"$work/fold") + 1) / 2))p" "$work/fold")" \
        "$(head -1 "$work/fold")" "$(tail -1 "$work/fold")" >>"$raw"
}

# time_in_turn OP N RUNS RECTIFY_COMMAND SQLITE3_COMMAND: the two in turn,
# run by run, each row then folded into its median, min and max. Timed one
# tool after the other, minutes apart, this machine's drift between them
# was as large as the gaps being measured. Without sqlite3, rectify alone.
time_in_turn() {
    local op=$1 n=$2 count=$3 r
    if ! have sqlite3; then
        time_op "$op" "$n" rectify "$count" "$4"
        return
    fi
    for r in $(seq "$count"); do
        run_from=$r time_op "$op" "$n" rectify 1 "$4"
        run_from=$r time_op "$op" "$n" sqlite3 1 "$5"
    done
    median_of "$op" "$n" rectify
    median_of "$op" "$n" sqlite3
}

new_campaigns() {
    local db=$1
    for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
        RECTIFY_DB=$db "$rectify" campaign new "C$m" --name "2023年${m}月专项" \
            --start "2023-$m-01" --days 28 >/dev/null
    done
}

for n in $sizes; do
    echo "N = $n" >&2
    d="$work/$n"
    mkdir -p "$d"
    task_here=0
    if have task && [ "$n" -le "$task_max" ]; then task_here=1; fi
    if [ $task_here = 1 ]; then "$gen" "$n" "$d" --task; else "$gen" "$n" "$d"; fi
    heavy=$runs
    [ "$n" -ge 1000000 ] && heavy=$slow_runs

    # --- rectify ---
    db="$d/ledger.db"
    export RECTIFY_DB=$db
    # Each import goes into a fresh ledger holding only the 12 campaigns;
    # only the import itself is timed.
    rm -f "$db"*
    new_campaigns "$db"
    # Each of the two starts once the other's writes are on disk: at 1M
    # each writes gigabytes, and whichever ran second waited on the
    # other's write-back (the floor ran from 27 to 35 s on one machine).
    for run in $(seq "$heavy"); do
        rm -f "$d"/imp.db*; new_campaigns "$d/imp.db"
        sync
        RECTIFY_DB="$d/imp.db" time_op import "$n" rectify 1 "$rectify import $d/ledger.csv"
        # The floor writes what this import wrote into the ledger it began
        # from, and times only the writing.
        rm -f "$d"/floor.db*; new_campaigns "$d/floor.db"
        sync
        us=$("$floor" "$d/imp.db" "$d/floor.db")
        printf 'import\t%s\tfloor\t%s\t%s\t%s\n' "$n" "$us" "$us" "$us" >>"$raw"
        echo "  import           floor    N=$n median $((us / 1000)) ms" >&2
    done
    rm -f "$d"/floor.db*
    median_of import "$n" rectify
    median_of import "$n" floor
    mv "$d/imp.db" "$db"; rm -f "$d"/imp.db-*
    rm -f "$d"/mem.db*; new_campaigns "$d/mem.db"
    peak_mem import "$n" rectify "RECTIFY_DB=$d/mem.db $rectify import $d/ledger.csv"
    rm -f "$d"/mem.db*

    # sqlite3's table of the same rows: its schema, and the indexes made
    # after its import.
    cat >"$d/schema.sql" <<'SQL'
CREATE TABLE m(campaign TEXT NOT NULL, problem_id TEXT NOT NULL, problem TEXT NOT NULL,
  scope TEXT, measure TEXT NOT NULL, department TEXT, owner TEXT, raised_on TEXT,
  due_original TEXT, status TEXT NOT NULL, closed_on TEXT);
SQL
    cat >"$d/index.sql" <<'SQL'
CREATE INDEX m_due ON m(status, due_original);
CREATE INDEX m_dept ON m(department);
CREATE INDEX m_campaign ON m(campaign);
SQL
    s="$d/plain.db"
    w="$d/plain-writes.db"
    if have sqlite3; then
        for run in $(seq "$heavy"); do
            rm -f "$s"; sqlite3 "$s" <"$d/schema.sql"
            sync
            time_op import "$n" sqlite3 1 "sqlite3 $s -cmd '.mode csv' '.import --skip 1 $d/ledger.csv m' '.read $d/index.sql'"
        done
        median_of import "$n" sqlite3
        rm -f "$s"; sqlite3 "$s" <"$d/schema.sql"
        peak_mem import "$n" sqlite3 "sqlite3 $s -cmd '.mode csv' '.import --skip 1 $d/ledger.csv m' '.read $d/index.sql'"
        # A second table for the writes, so the reads below see the rows
        # both tools started from.
        cp "$s" "$w"
        # The imports just made leave the disk busy writing back; a write
        # that syncs would wait on that.
        sync
    fi

    # From here on each operation times rectify and sqlite3 in turn, run by
    # run (time_in_turn).
    open1=$((n / 2 + 8))   # i % 10 >= 7 is open; M(i+1) for i = 7, 17, ...
    # close and assign take every tenth measure from the middle on.
    writes=$write_runs
    [ "$writes" -gt $(((n - open1) / 10 - 1)) ] && writes=$(((n - open1) / 10 - 1))
    time_in_turn add "$n" "$writes" \
        "$rectify add measure --problem P2 --raised 2023-01-01 --due 2023-02-01 新增措施\$run" \
        "sqlite3 $w \"INSERT INTO m VALUES('C01','P2','问题','个人','新增措施\$run','办公室','王伟0','2023-01-01','2023-02-01','正在整改','')\""
    time_in_turn close "$n" "$writes" \
        "$rectify close M\$(( $open1 + 10 * run )) --on 2024-01-10" \
        "sqlite3 $w \"UPDATE m SET status='已完成', closed_on='2024-01-10' WHERE rowid = $open1 + 10 * \$run\""
    time_in_turn assign "$n" "$writes" \
        "$rectify assign M\$(( $open1 + 10 * run + 1 )) --owner 新责任人" \
        "sqlite3 $w \"UPDATE m SET owner='新责任人' WHERE rowid = $open1 + 10 * \$run + 1\""
    rm -f "$w"

    overdue="SELECT rowid, campaign, problem_id, measure, owner, department, due_original FROM m WHERE status = '正在整改' AND due_original < '2024-01-15' ORDER BY due_original, rowid"
    time_in_turn "list overdue" "$n" "$runs" \
        "$rectify list --status overdue --kind measure" "sqlite3 $s \"$overdue\""
    # check prints the overdue measures, then the problems whose measures
    # are all done but which are not closed out (none is, here). It exits 1
    # when something is overdue, as it is here.
    awaiting="SELECT campaign, problem_id, min(problem), min(owner), min(department) FROM m GROUP BY campaign, problem_id HAVING sum(status = '正在整改') = 0 ORDER BY min(rowid)"
    time_in_turn check "$n" "$runs" "$rectify check || [ \$? = 1 ]" "sqlite3 $s \"$overdue; $awaiting\""
    # The campaign report as of D: its GROUP BY and its overdue list, from
    # the rows' columns (C06 ends on 2023-06-28). As of its middle, most of
    # its measures' states come from their history, not their columns.
    as_of_sql() {
        local d=$1 open_then="(status = '正在整改' OR closed_on > '$1')"
        echo "SELECT department, count(*), sum(status = '已完成' AND closed_on <= '$d'),
                sum(status = '已完成' AND closed_on <= '$d' AND closed_on <= due_original),
                sum($open_then AND due_original < '$d')
              FROM m WHERE campaign = 'C06' AND raised_on <= '$d' GROUP BY department;
              SELECT rowid, measure, owner, department, due_original FROM m
               WHERE campaign = 'C06' AND raised_on <= '$d' AND $open_then AND due_original < '$d'
               ORDER BY due_original, rowid"
    }
    reports=$runs
    [ "$n" -ge 1000000 ] && reports=$report_runs
    time_in_turn "report campaign" "$n" "$reports" \
        "$rectify report campaign C06 --format json" "sqlite3 $s \"$(as_of_sql 2023-06-28)\""
    time_in_turn "report campaign mid" "$n" "$reports" \
        "$rectify report campaign C06 --as-of 2023-06-14 --format json" "sqlite3 $s \"$(as_of_sql 2023-06-14)\""
    summary="SELECT department, count(*), sum(status = '已完成'), sum(status = '已完成' AND closed_on <= due_original), sum(status <> '已完成' AND due_original < '2024-01-15') FROM m"
    time_in_turn "report month" "$n" "$reports" "$rectify report month 2023-06" \
        "sqlite3 $s \"$summary WHERE (closed_on BETWEEN '2023-06-01' AND '2023-06-30') OR (due_original BETWEEN '2023-06-01' AND '2023-06-30') GROUP BY department\""
    # export: sqlite3 writes the same 24 columns from the same join of
    # rectify's ledger (all but the 版本 hash), as CSV.
    join="SELECT m.id, c.code, 'P' || p.id, p.source, p.scope, p.subject, p.title, p.cause,
                 p.raised_on, 'M' || m.id, m.title, m.leader, m.department, m.owner,
                 m.due_original, m.due_current, m.progress, m.status, m.closed_on, m.evidence,
                 CASE WHEN m.status = 'open' AND m.due_current < '2024-01-15'
                      THEN CAST(julianday('2024-01-15') - julianday(m.due_current) AS INTEGER) END,
                 m.close_note, p.uuid, m.uuid
            FROM problem p JOIN measure m ON m.problem_id = p.id
            LEFT JOIN campaign c ON c.id = p.campaign_id
           WHERE p.voided_on IS NULL AND m.voided_on IS NULL ORDER BY p.id, m.id"
    time_in_turn export "$n" "$heavy" "$rectify export --out $d/export.csv" \
        "sqlite3 -readonly -csv -header $db \"$join\" > $d/plain.csv"
    peak_mem export "$n" rectify "RECTIFY_DB=$db $rectify export --out $d/export.csv"
    time_op verify "$n" rectify "$heavy" "$rectify verify"
    # Where verify's time goes (bench/verify_parts.rs), in one process.
    "$verify_parts" "$db" | awk -v n="$n" '{ printf "%s\t%s\t%s\n", n, $1, $2 }' >>"$work/parts.tsv"

    # --- sqlite3 alone ---
    if have sqlite3; then
        time_op "report by dept" "$n" sqlite3 "$heavy" "sqlite3 $s \"$summary GROUP BY department\""
        peak_mem export "$n" sqlite3 "sqlite3 -readonly -csv -header $db \"$join\" > $d/plain.csv"
        # One measure row written by sqlite3 into rectify's own ledger (WAL,
        # the five indexes a live measure's row goes into (uuid's unique one
        # included; the partial one of voided measures takes no live row),
        # foreign keys; no event, no checks): what the schema alone costs a
        # one-row write, beside the plain table's row above. Last, since it
        # leaves rows no event explains.
        own="INSERT INTO measure (uuid, problem_id, title, department, owner, raised_on,
                                 due_original, due_current, recorded_at)
             VALUES ('bench-\$run', 2, '新增措施\$run', '办公室', '王伟0', '2023-01-01',
                     '2023-02-01', '2023-02-01', '2024-01-15T08:00:00Z')"
        time_op "add, rectify's schema" "$n" sqlite3 "$runs" "sqlite3 $db \"PRAGMA foreign_keys = ON; BEGIN IMMEDIATE; $own; COMMIT\""
    fi

    # --- Taskwarrior, up to 100k ---
    if [ $task_here = 1 ]; then
        tw="$d/task"
        rc="$d/taskrc"
        printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nrecurrence=off\nhooks=off\n' "$tw" >"$rc"
        tk="task rc:$rc"
        time_op import "$n" task 1 "rm -rf $tw; mkdir -p $tw; $tk import $d/tasks.json"
        peak_mem import "$n" task "rm -rf $tw.m; mkdir -p $tw.m; task rc:$rc rc.data.location=$tw.m import $d/tasks.json"
        rm -rf "$tw.m"
        time_op add "$n" task "$runs" "$tk add 新增措施\$run project:C01 due:2023-02-01"
        # A pending task by uuid, as the generator numbers them.
        # uuid: says what the argument is. Bare, Taskwarrior did not take
        # 0000022d-0000-... (measure 557 of 1k) for a uuid and failed with
        # "Cannot subtract strings", so `--sizes 1000` stopped there.
        time_op close "$n" task "$runs" "$tk uuid:\$(printf '%08x-0000-4000-8000-%012x' \$(( $open1 + 10 * run - 1 )) \$(( $open1 + 10 * run - 1 ))) done"
        time_op assign "$n" task "$runs" "$tk uuid:\$(printf '%08x-0000-4000-8000-%012x' \$(( $open1 + 10 * run )) \$(( $open1 + 10 * run ))) modify project:C02"
        time_op "list overdue" "$n" task "$runs" "$tk +OVERDUE list"
        time_op check "$n" task "$runs" "$tk +OVERDUE count"
        # Taskwarrior's nearest to a campaign summary.
        time_op "report campaign" "$n" task "$runs" "$tk summary"
        time_op export "$n" task 1 "$tk export > $d/task.json"
        peak_mem export "$n" task "task rc:$rc export > $d/task.json"
    fi
    rm -rf "$d"
done

# --- the table ---
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
    echo "# rectify benchmark"
    echo
    echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, $(free -g | awk '/Mem:/{print $2}') GiB;"
    echo "$(uname -sr); sqlite3 $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo n/a);"
    echo "Taskwarrior $(task --version 2>/dev/null || echo n/a); rectify $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')."
    echo "Run on $(date -u +%Y-%m-%d) by \`bench/run.sh\`. Whole processes; median of"
    echo "$runs runs ($slow_runs for import, export and verify at 1M, $report_runs for the reports"
    echo "at 1M; $write_runs for add, close and assign), min–max"
    echo "in brackets, milliseconds. ratio = rectify / sqlite3; floor: the import's"
    echo "floor program (bench/floor.rs), and rectify / floor. Every operation from"
    echo "add on times rectify and sqlite3 in turn, run by run, as import and floor."
    echo "Each tool's executable is dropped from the page cache before the first"
    echo "run, so it runs as it would after a reboot (see the script)."
    echo '`list overdue` is `list --status overdue --kind measure`, the rows the'
    echo 'sqlite3 SELECT prints; `check` prints the overdue problems as well, and'
    echo 'the problems whose measures are all done (sqlite3: a GROUP BY). sqlite3'
    echo "exports the same 24-column join of rectify's ledger (all but 版本)."
    echo "\`add, rectify's schema\`: sqlite3 inserting one measure row into"
    echo "rectify's own ledger (WAL, its indexes, foreign keys; no event)."
    echo
    echo "| operation | N | rectify | sqlite3 | ratio | floor | ÷ floor | Taskwarrior | TW / rectify |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' '
        function fmt(us) { return sprintf("%.1f", us / 1000) }
        { key = $1 SUBSEP $2; med[key, $3] = $4; lo[key, $3] = $5; hi[key, $3] = $6
          if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
        END {
          for (i = 1; i <= k; i++) {
            key = order[i]; split(key, p, SUBSEP)
            r = med[key, "rectify"]; s = med[key, "sqlite3"]; t = med[key, "task"]; f = med[key, "floor"]
            cell_r = (r == "") ? "n/a" : fmt(r) " (" fmt(lo[key, "rectify"]) "–" fmt(hi[key, "rectify"]) ")"
            cell_s = (s == "") ? "n/a" : fmt(s)
            cell_t = (t == "") ? "–" : fmt(t)
            ratio = (r != "" && s != "" && s > 0) ? sprintf("%.2f", r / s) : "–"
            tw = (r != "" && t != "" && r > 0) ? sprintf("%.1f×", t / r) : "–"
            cell_f = (f == "") ? "–" : fmt(f)
            over_f = (r != "" && f != "" && f > 0) ? sprintf("%.2f", r / f) : "–"
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p[1], p[2], cell_r, cell_s, ratio, cell_f, over_f, cell_t, tw
          }
        }' "$raw"
    echo
    echo "Peak memory (max RSS, MiB):"
    echo
    echo "| operation | N | rectify | sqlite3 | Taskwarrior |"
    echo "|---|---:|---:|---:|---:|"
    awk -F'\t' '
        { key = $1 SUBSEP $2; v[key, $3] = sprintf("%.0f", $4 / 1024)
          if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
        END { for (i = 1; i <= k; i++) { key = order[i]; split(key, p, SUBSEP)
              r = v[key, "rectify"]; s = v[key, "sqlite3"]; t = v[key, "task"]
              printf "| %s | %s | %s | %s | %s |\n", p[1], p[2], (r == "" ? "n/a" : r), (s == "" ? "n/a" : s), (t == "" ? "–" : t) } }' \
        "$work/mem.tsv"
    echo
    echo "Where verify's time goes (bench/verify_parts.rs, one run, milliseconds):"
    echo "reading the history in order; recomputing its hash chain, which"
    echo "verify does on a second thread alongside the rest (so it is not part"
    echo "of the total); and the rest: parsing each payload, replaying it into"
    echo "a scratch ledger and comparing the tables."
    echo
    echo "| N | read | hash (second thread) | replay and compare | total |"
    echo "|---:|---:|---:|---:|---:|"
    awk -F'\t' '{ v[$1, $2] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
        END { for (i = 1; i <= k; i++) { n = order[i]
              printf "| %s | %s | %s | %s | %s |\n", n, v[n, "read"], v[n, "hash"], v[n, "replay"], v[n, "total"] } }' \
        "$work/parts.tsv"
} >"$out"
cat "$out"
[ $smoke = 1 ] && echo "(smoke run: written to $out, not bench/results.md)" >&2
exit 0
