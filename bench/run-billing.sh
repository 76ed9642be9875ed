#!/usr/bin/env bash
# Billing timings (issue 15 "every report over 1 000 000 call records < 1 s", RPT-5): CALLS generated charges over 2026
# in an H2 file database (or URL, e.g. a PostgreSQL JDBC URL with a fresh schema), the day roll-up built from them, then
# the totals by enterprise, department, agent and trunk over a day, a month (whole days, and with partial days at both
# ends) and the year, the bill's first page and a CSV export of 50 000 rows, timed REPEATS times after a first run
# (median and max). One JSON document on stdout; progress on stderr.
#   bench/run-billing.sh > billing.json
#   CALLS=100000 REPEATS=3 bench/run-billing.sh
#   URL='jdbc:postgresql://127.0.0.1:5432/hotline_test?user=hotline_test&password=hotline_test&currentSchema=bench' bench/run-billing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-1000000}
REPEATS=${REPEATS:-5}
URL=${URL:-}
OUT=$(mktemp -d /tmp/hotline-billing-bench.XXXXXX)
echo "[bench] building the server and its test classes (the bench main lives there)" >&2
mvn -q -B -o -pl server -am -DskipTests test-compile >&2
mvn -q -B -o -pl server org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$OUT/cp.txt" >&2
# Copy the classes away: another build in the same tree must not pull them from under the JVM.
cp -r server/target/classes "$OUT/classes" && cp -r server/target/test-classes "$OUT/test-classes"
CP="$OUT/classes:$OUT/test-classes:$(cat "$OUT/cp.txt")"
java -Xms1g -Xmx2g -Dlogback.configurationFile=bench/logback-bench.xml -Dcalls="$CALLS" -Drepeats="$REPEATS" -Durl="$URL" \
  -cp "$CP" dev.hotline.billing.BillingBenchMain
rm -rf "$OUT"
