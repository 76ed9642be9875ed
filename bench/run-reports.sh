#!/usr/bin/env bash
# Report timings (issue 15, DESIGN.md "Performance": every report over 1 000 000 call records < 1 s): CALLS generated
# inbound queue calls (and a tenth as many outbound) over 2026 in an H2 file database, or on PostgreSQL with URL, then
# every report under /api/v1/reports/* over a day by hour, a month by day, the year by month and by day and a quarter by
# week in UTC: the first run (cold: the database just reopened) and the median and max of REPEATS more. JSON lines on
# stdout (the machine and the data, one line per report and period, a summary); progress on stderr.
#   bench/run-reports.sh > reports.jsonl
#   CALLS=100000 REPEATS=3 bench/run-reports.sh
#   URL='jdbc:postgresql://127.0.0.1:5432/hotline_test?user=hotline_test&password=hotline_test' bench/run-reports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-1000000}
REPEATS=${REPEATS:-5}
OUT=$(mktemp -d /tmp/hotline-report-bench.XXXXXX)
. bench/lib.sh
trap 'rm -rf "$OUT"' EXIT
build_test_classpath
run_bench_main dev.hotline.report.ReportBenchMain
