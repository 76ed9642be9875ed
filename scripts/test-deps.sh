#!/usr/bin/env bash
# Installs and starts what the test suite needs on Debian: SIPp, Chromium + driver, espeak-ng, sox with MP3,
# a CJK font for screenshots, coturn (the TURN tests start their own turnserver; never the system service), Kamailio
# with its utils modules (OPS-3; likewise its own), and
# PostgreSQL 15 with the test database. Idempotent; run as root.
set -euo pipefail

need=()
command -v sipp >/dev/null || need+=(sip-tester)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v sox >/dev/null || need+=(sox)
# MP3 prompt and greeting uploads are converted by sox, which reads MP3 only with this format library.
sox -h 2>/dev/null | grep -q 'AUDIO FILE FORMATS:.*\bmp3\b' || need+=(libsox-fmt-mp3)
[ -d /usr/share/fonts/truetype/wqy ] || need+=(fonts-wqy-zenhei)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
# MEDIA-6: Coturn.java (server tests) runs /usr/bin/turnserver on loopback with a temporary config.
[ -x /usr/bin/turnserver ] || need+=(coturn)
# OPS-3: KamailioNodesPostgresTest runs /usr/sbin/kamailio (dispatcher, and http_client from the utils modules) on loopback.
[ -x /usr/sbin/kamailio ] || need+=(kamailio)
[ -e /usr/lib/x86_64-linux-gnu/kamailio/modules/http_client.so ] || need+=(kamailio-utils-modules)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt-get update -qq
  # No service starts during the install (coturn's would listen on 3478); PostgreSQL is started below.
  own_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
fi
# The Debian package may enable and start coturn as a system service: the tests want none listening on 3478.
if [[ " ${need[*]} " == *" coturn "* ]]; then
  if command -v systemctl >/dev/null && systemctl is-enabled coturn >/dev/null 2>&1; then
    systemctl disable --now coturn >/dev/null 2>&1 || true
  fi
  if [ -x /etc/init.d/coturn ]; then /etc/init.d/coturn stop >/dev/null 2>&1 || true; fi
fi
# Likewise Kamailio: the test starts its own on a free port; the system service would listen on 5060.
if [[ " ${need[*]} " == *" kamailio "* ]]; then
  if command -v systemctl >/dev/null && systemctl is-enabled kamailio >/dev/null 2>&1; then
    systemctl disable --now kamailio >/dev/null 2>&1 || true
  fi
  if [ -x /etc/init.d/kamailio ]; then /etc/init.d/kamailio stop >/dev/null 2>&1 || true; fi
fi

# PostgreSQL for the store tests: cluster 15/main on 127.0.0.1:5432, user/db hotline_test.
if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 *main'; then
  pg_createcluster 15 main >/dev/null
fi
if ! pg_lsclusters -h | grep -q '^15 *main.*online'; then
  pg_ctlcluster 15 main start
fi
for i in $(seq 1 30); do
  su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='hotline_test'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"create role hotline_test login password 'hotline_test'\""
su postgres -c "psql -qtAc \"select 1 from pg_database where datname='hotline_test'\"" | grep -q 1 \
  || su postgres -c "psql -qc 'create database hotline_test owner hotline_test'"
echo "test dependencies ready (PostgreSQL on 127.0.0.1:5432, database hotline_test)"
