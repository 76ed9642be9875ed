#!/usr/bin/env bash
# Runs the whole test suite: unit tests, store tests on H2 and PostgreSQL, HTTP API, SIPp and Chromium tests.
# As root it first installs and starts what the tests need (scripts/test-deps.sh: SIPp, Chromium,
# chromium-driver, espeak-ng, PostgreSQL 15). Extra arguments go to Maven (e.g. -Dtest=AuthApiTest).
set -euo pipefail
cd "$(dirname "$0")"
if [ "$(id -u)" = 0 ]; then
  bash scripts/test-deps.sh
else
  echo "not root: assuming the test tools are installed (see scripts/test-deps.sh)"
fi
export HOTLINE_TEST_PG_URL="${HOTLINE_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/hotline_test?user=hotline_test&password=hotline_test}"
exec mvn -B -ntp verify "$@"
