#!/usr/bin/env bash
# Report timings (issue 15, DESIGN.md "Performance": every report over 1 000 000 call records < 1 s): CALLS generated
# inbound queue calls (and a tenth as many outbound) over 2026 in an H2 file database, or on PostgreSQL with URL, then
# every report under /api/v1/reports/* over a day by hour, a month by day, the year by month and by day and a quarter by
# week in UTC: the first run (cold: the database just reopened) and the median and max of REPEATS more. JSON lines on
# stdout (the machine and the data, one line per report and period, a summary); progress on stderr.
#   bench/run-reports.sh > reports.jsonl
#   CALLS=100000 REPEATS=3 bench/run-reports.sh
#   URL='jdbc:postgresql://127.0.0.1:5432/hotline_test?user=hotline_test&password=hotline_test' bench/run-reports.sh
# To time again without generating (e.g. later, on a quiet machine), keep the database and name it in URL: a database that
# already holds the bench's enterprise is timed as it is.
#   H2:  H2_FILE=/var/tmp/rpt/bench bench/run-reports.sh   (the first run generates into that file, later runs re-time it)
#   PostgreSQL: KEEP=1 URL='jdbc:postgresql://…/db?…' bench/run-reports.sh prints the schema kept (bench_<millis>); then
#        URL='jdbc:postgresql://…/db?…&currentSchema=bench_<millis>' bench/run-reports.sh
# ONLY='agents:year_by_day,summary:year_by_month' times only these report:period runs (in the bench's order).
# An H2 database (temporary or H2_FILE) runs in PostgreSQL mode without query cache (a repeated report does its work
# again) with a 512 MB page cache.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-1000000}
H2_OPTS='MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=0;CACHE_SIZE=524288'
if [ -z "${URL:-}" ]; then
  if [ -n "${H2_FILE:-}" ]; then mkdir -p "$(dirname "$H2_FILE")"; URL="jdbc:h2:file:$H2_FILE;$H2_OPTS"
  else H2_DIR=$(mktemp -d /tmp/hotline-report-h2.XXXXXX); URL="jdbc:h2:file:$H2_DIR/bench;$H2_OPTS"; fi
fi
REPEATS=${REPEATS:-5}
OUT=$(mktemp -d /tmp/hotline-report-bench.XXXXXX)
. bench/lib.sh
trap 'rm -rf "$OUT" ${H2_DIR:+"$H2_DIR"}' EXIT
build_test_classpath
run_bench_main dev.hotline.report.ReportBenchMain
