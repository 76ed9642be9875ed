#!/usr/bin/env bash
# Billing timings (issue 15 "every report over 1 000 000 call records < 1 s", RPT-5): CALLS generated charges over 2026
# in an H2 file database, or on PostgreSQL with URL, the day and month roll-ups built from them, then the totals by enterprise,
# department, agent and trunk over a day, a month (whole days, and with partial days at both ends) and the year, the
# bill's first page and a later page (by cursor, as "next" reaches it), and the bill's CSV and xlsx exports of 50 000 rows streamed: the first run (cold: the database just
# reopened) and the median and max of REPEATS more. JSON lines on stdout; progress on stderr.
#   bench/run-billing.sh > billing.jsonl
#   CALLS=100000 REPEATS=3 bench/run-billing.sh
#   URL='jdbc:postgresql://127.0.0.1:5432/hotline_test?user=hotline_test&password=hotline_test' bench/run-billing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-1000000}
REPEATS=${REPEATS:-5}
OUT=$(mktemp -d /tmp/hotline-billing-bench.XXXXXX)
. bench/lib.sh
trap 'rm -rf "$OUT"' EXIT
build_test_classpath
run_bench_main dev.hotline.billing.BillingBenchMain
