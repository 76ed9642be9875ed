#!/usr/bin/env bash
# Report timings (issue 15, DESIGN.md "Performance": every report over 1 000 000 call records < 1 s): CALLS generated
# inbound queue calls over a year in an H2 file database (or URL, e.g. a PostgreSQL JDBC URL with a fresh schema), then
# each report (summary, by queue, by agent, unanswered) over a day by hour, a month by day and the year by month, timed
# REPEATS times after one warm-up run (median and max). One JSON document on stdout; progress on stderr.
#   bench/run-reports.sh > reports.json
#   CALLS=100000 REPEATS=3 bench/run-reports.sh
#   URL='jdbc:postgresql://127.0.0.1:5432/hotline_test?user=hotline_test&password=hotline_test&currentSchema=bench' bench/run-reports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-1000000}
REPEATS=${REPEATS:-5}
URL=${URL:-}
OUT=$(mktemp -d /tmp/hotline-report-bench.XXXXXX)
echo "[bench] building the server and its test classes (the bench main lives there)" >&2
mvn -q -B -o -pl server -am -DskipTests test-compile >&2
mvn -q -B -o -pl server org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$OUT/cp.txt" >&2
# Copy the classes away: another build in the same tree must not pull them from under the JVM.
cp -r server/target/classes "$OUT/classes" && cp -r server/target/test-classes "$OUT/test-classes"
CP="$OUT/classes:$OUT/test-classes:$(cat "$OUT/cp.txt")"
java -Xms1g -Xmx2g -Dlogback.configurationFile=bench/logback-bench.xml -Dcalls="$CALLS" -Drepeats="$REPEATS" -Durl="$URL" \
  -cp "$CP" dev.hotline.report.ReportBenchMain
rm -rf "$OUT"
