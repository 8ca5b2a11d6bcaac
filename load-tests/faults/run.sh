#!/usr/bin/env bash
# The fault campaign of issue 16, one command:
#   load-tests/faults/run.sh              full run (the issue's windows: 30 s outages, 60 s broker outage, 100 changes)
#   FAULTS_SHORT=1 load-tests/faults/run.sh   short run for CI (10 s outages, 20 s broker outage, 20 changes)
# Two gateway replicas and the five services run as separate JVMs (the per-service jars) on the local PostgreSQL,
# Redis and RabbitMQ; the runner (dev.tarifa.loadtests.faults.FaultCampaign) drives a Zipf search load and admin fare
# changes, injects the six faults on a timeline and checks each. The datastores are shared with other work on this
# machine, so they are never stopped: every datastore connection of the campaign goes through a TCP proxy in the
# runner (FaultProxy), and "stop Redis" means the proxy closes every live connection and refuses new ones
# (ECONNREFUSED), which is what a client sees of a stopped server. The campaign's own databases are faults_*, its
# RabbitMQ vhost is "faults", its Redis database index FAULTS_REDIS_DB (11) with a per-run key prefix.
# Knobs (environment): FAULTS_SHORT (0), FAULTS_RATE (searches/s; 30, short 20), FAULTS_PORT_BASE (24000: uses
# base+17..base+672), FAULTS_CATALOGUE (small), FAULTS_REDIS_DB (11), FAULTS_DOC (1 for a full run: write the report
# into docs/RELIABILITY.md between its markers; 0: only load-tests/target/faults/<time>/report.md), FAULTS_ONLY (the
# scenarios to run, e.g. 3 or 1,3; all when empty; a partial run is never written into the document).
# Exit status: 0 every assertion passed, 1 one failed, 2 the campaign could not run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SHORT=${FAULTS_SHORT:-0}
P=${FAULTS_PORT_BASE:-24000}
REDIS_DB=${FAULTS_REDIS_DB:-11}
CATALOGUE=${FAULTS_CATALOGUE:-small}
ONLY=${FAULTS_ONLY:-}
if [ "$SHORT" = 1 ]; then DOC=${FAULTS_DOC:-0}; RATE=${FAULTS_RATE:-20}; else DOC=${FAULTS_DOC:-1}; RATE=${FAULTS_RATE:-30}; fi
[ -n "$ONLY" ] && DOC=0
OUT="$ROOT/load-tests/target/faults/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
say() { echo "faults: $*" >&2; }
die() { say "$*"; exit 2; }
runner=""
cleanup() {
  if [ -n "$runner" ] && kill -0 "$runner" 2>/dev/null; then
    kill -TERM "$runner" 2>/dev/null || true # its shutdown hook stops the platform's JVMs
    for _ in $(seq 1 60); do kill -0 "$runner" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$runner" 2>/dev/null || true
  fi
  rm -rf "$OUT/jars"
  # This run's cache keys (own database index, own prefix); other databases are never touched.
  redis-cli -n "$REDIS_DB" --scan --pattern 'faults*' 2>/dev/null | xargs -r -n 500 redis-cli -n "$REDIS_DB" del >/dev/null 2>&1 || true
}
trap cleanup EXIT

for port in $((P + 17)) $((P + 80)) $((P + 81)) $((P + 82)) $((P + 83)) $((P + 84)) $((P + 85)) $((P + 90)) $((P + 182)) \
  $((P + 183)) $((P + 379)) $((P + 432)) $((P + 672)); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && die "port $port is taken (FAULTS_PORT_BASE=... to move)"
done
for hp in 127.0.0.1/5432 127.0.0.1/6379 127.0.0.1/5672; do
  (exec 3<>"/dev/tcp/$hp") 2>/dev/null || die "nothing listens on ${hp/\//:} (the campaign needs the local PostgreSQL, Redis and RabbitMQ)"
done
mkdir -p "$OUT/jars"
for svc in users flights hotels cars reviews gateway app; do
  jar="verticles/$svc/target/tarifa-$svc-all.jar"
  [ -f "$jar" ] || die "$jar missing: build first (mvn -B -q -DskipTests package)"
  cp "$jar" "$OUT/jars/$svc.jar" # private copies: a rebuild during the run must not replace jars under running JVMs
done

# Own databases and vhost (created when missing; never dropped: reruns reuse the seeded catalogue).
for svc in users flights hotels cars; do
  [ "$(psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname = 'faults_$svc'")" = 1 ] \
    || psql -h 127.0.0.1 -U postgres -qc "create database faults_$svc" || die "creating database faults_$svc failed"
done
rabbitmqctl -q add_vhost faults >/dev/null 2>&1 || true
rabbitmqctl -q set_permissions -p faults guest '.*' '.*' '.*' >/dev/null || die "RabbitMQ vhost faults: rabbitmqctl set_permissions failed"

say "compiling load-tests and resolving its classpath"
mvn -B -q -o -pl load-tests -am compile dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/cp" >"$OUT/mvn.log" 2>&1 \
  || mvn -B -q -pl load-tests -am compile dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/cp" >"$OUT/mvn.log" 2>&1 \
  || die "load-tests build failed: $OUT/mvn.log"
# Private copies of the runner's classes too (a rebuild during the run would swap classes not loaded yet).
cp -r "$ROOT/load-tests/target/classes" "$OUT/jars/load-tests-classes" && cp -r "$ROOT/shared/target/classes" "$OUT/jars/shared-classes" \
  || die "copying the runner's classes failed"
CP="$OUT/jars/load-tests-classes:$OUT/jars/shared-classes:$(cat "$OUT/cp")"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%F %H:%M UTC')
cmd="load-tests/faults/run.sh"; [ "$SHORT" = 1 ] && cmd="FAULTS_SHORT=1 $cmd"; [ -n "$ONLY" ] && cmd="FAULTS_ONLY=$ONLY $cmd"
rc=0
java -Xmx512m -XX:+UseSerialGC -cp "$CP" -Dfaults.root="$ROOT" -Dfaults.out="$OUT" -Dfaults.jars="$OUT/jars" \
  -Dfaults.short="$([ "$SHORT" = 1 ] && echo true || echo false)" -Dfaults.portBase="$P" -Dfaults.catalogue="$CATALOGUE" \
  -Dfaults.rate="$RATE" -Dfaults.redisDb="$REDIS_DB" -Dfaults.only="$ONLY" dev.tarifa.loadtests.faults.FaultCampaign &
runner=$!
wait "$runner" || rc=$?
runner=""
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
[ -f "$OUT/report.md" ] || die "no report (exit $rc); logs in $OUT"
{
  echo "### $([ "$SHORT" = 1 ] && echo "Short" || echo "Full") run, $started"
  echo
  echo "\`$cmd\` ($(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cores shared with other builds; load average" \
    "(1/5/15 min) $load_before before, $load_after after; catalogue $CATALOGUE, $RATE searches/s over both gateways;" \
    "exit status $rc)."
  echo
  cat "$OUT/report.md"
} >"$OUT/section.md"
if [ "$DOC" = 1 ]; then
  doc="$ROOT/docs/RELIABILITY.md"
  marker=$([ "$SHORT" = 1 ] && echo short || echo full)
  if grep -q "<!-- faults:$marker:begin -->" "$doc" 2>/dev/null; then
    awk -v b="<!-- faults:$marker:begin -->" -v e="<!-- faults:$marker:end -->" -v f="$OUT/section.md" '
      $0 == b {print; while ((getline l < f) > 0) print l; skip = 1; next}
      $0 == e {skip = 0}
      !skip {print}' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
    say "report written to docs/RELIABILITY.md ($marker run)"
  else
    say "docs/RELIABILITY.md has no <!-- faults:$marker:begin --> marker; report only in $OUT/section.md"
  fi
fi
say "$([ "$rc" = 0 ] && echo "every assertion passed" || echo "exit $rc: see the assertions above"); raw output in $OUT"
exit "$rc"
