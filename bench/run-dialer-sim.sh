#!/usr/bin/env bash
# Predictive pacing on a seeded discrete-event simulation (issue 17, item 2): the real dev.hotline.campaign.Pacing
# drives a campaign over a population (30 % people, 12 % machines of which AMD misses 5 %, 8 % busy, the rest no
# answer; talk 30 s + exponential 150 s, wrap-up 10 s), first progressive, then predictive. One JSON document on
# stdout: calls, person answers, abandons, the overall and worst 24-hour abandon rates, agents' idle share,
# connects per agent-hour, the mean dial level and how often each pacing reason was given.
#   bench/run-dialer-sim.sh               # seed 1, 20 agents, 72 hours
#   bench/run-dialer-sim.sh 7 10 168      # seed 7, 10 agents, a week
set -euo pipefail
cd "$(dirname "$0")/.."
echo "[bench] compiling the server's test classes" >&2
mvn -o -q -B -pl server -am test-compile >&2
java -cp server/target/classes:server/target/test-classes dev.hotline.campaign.DialerSimulation "${1:-1}" "${2:-20}" "${3:-72}"
