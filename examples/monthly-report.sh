#!/bin/sh
# The monthly report by cron: on the 1st, write last month's report as
# Markdown and CSV into OUTDIR, and exit 1 (so cron's mail goes out) when
# anything is overdue.
#
#   # m h dom mon dow  command
#   30 7 1 * *  RECTIFY_DB=/srv/整改/ledger.db /usr/local/share/rectify/monthly-report.sh /srv/整改/月报
#
# The reports are files to share: they are created with your umask (the
# shell's redirection below, like `rectify export --out`, which also keeps
# the mode of a file it replaces). The ledger, its directory and backups
# stay private (0600/0700). On an office share, `umask 002` before this
# script lets the group open them.
#
# RECTIFY names the binary (default: rectify on PATH). RECTIFY_TODAY, if
# set, stands in for today, as it does for rectify itself.
set -eu

outdir=${1:?usage: monthly-report.sh OUTDIR}
rectify=${RECTIFY:-rectify}
today=${RECTIFY_TODAY:-$(date +%F)}
# Last month: the day before the first of this month.
month=$(date -d "$(date -d "$today" +%Y-%m-01) -1 day" +%Y-%m)

mkdir -p "$outdir"
# Write beside the final name and rename, so a half-written report never
# sits under the name someone may be mailing.
for format in markdown csv; do
    ext=$([ "$format" = markdown ] && echo md || echo csv)
    final="$outdir/rectify-$month.$ext"
    "$rectify" --lang zh --today "$today" report month "$month" --format "$format" >"$final.tmp"
    mv "$final.tmp" "$final"
done

# check exits 1 when something is overdue; its list goes to cron's mail.
if "$rectify" --lang zh --today "$today" check --color never; then
    echo "rectify: $month report written to $outdir; nothing overdue"
else
    status=$?
    [ "$status" -eq 1 ] || exit "$status"
    echo "rectify: $month report written to $outdir; overdue items above" >&2
    exit 1
fi
