#!/usr/bin/env bash
# A/B of the shared rate limit's cost on the gateway L1-hit path: two stand-alone gateways in front of the same
# all-in-one services (small catalogue), one with TARIFA_REDIS_URL (the shared GCRA budget), one without;
# alternating wrk rounds (3 x 15 s each), then the shared-limit counters. Figures: docs/ARCHITECTURE.md, "Edge and keys".
# Build first: mvn -B -q -DskipTests -pl verticles/app,verticles/gateway -am package. Redis at 127.0.0.1:6379.
# Knobs: BENCH_PORT_BASE (32080; uses base..base+11), WORK (a scratch directory; private copies of the jars go there).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-$ROOT/load-tests/target/rate-limit-ab}; mkdir -p "$WORK"
cp "$ROOT/verticles/app/target/tarifa-app-all.jar" "$ROOT/verticles/gateway/target/tarifa-gateway-all.jar" "$WORK/" || { echo "build the jars first"; exit 1; }
cd "$WORK"
P=${BENCH_PORT_BASE:-32080}; GW=$P; USERS=$((P+1)); FLIGHTS=$((P+2)); HOTELS=$((P+3)); CARS=$((P+4)); REVIEWS=$((P+5)); GWR=$((P+10)); GWN=$((P+11))
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done; sleep 3; for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done; }
trap cleanup EXIT
clean=(); for v in $(compgen -e | grep '^TARIFA_' || true); do clean+=(-u "$v"); done
common=(TARIFA_RATE_LIMIT_RPS=1000000 TARIFA_RATE_LIMIT_BURST=1000000 TARIFA_CACHE_PREFIX="edgebench$(date +%s):" TARIFA_LOG_LEVEL=WARN)
up=(TARIFA_USERS_URL=http://127.0.0.1:$USERS TARIFA_FLIGHTS_URL=http://127.0.0.1:$FLIGHTS TARIFA_HOTELS_URL=http://127.0.0.1:$HOTELS TARIFA_CARS_URL=http://127.0.0.1:$CARS TARIFA_REVIEWS_URL=http://127.0.0.1:$REVIEWS)
ready() { for i in $(seq 1 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' -m 2 "$1/health/ready")" = 200 ] && return 0; sleep 1; done; echo "not ready $1"; exit 1; }
env "${clean[@]}" "${common[@]}" "${up[@]}" TARIFA_GATEWAY_PORT=$GW TARIFA_USERS_PORT=$USERS TARIFA_FLIGHTS_PORT=$FLIGHTS TARIFA_HOTELS_PORT=$HOTELS TARIFA_CARS_PORT=$CARS TARIFA_REVIEWS_PORT=$REVIEWS TARIFA_CATALOGUE_SIZE=small \
  java -Xmx1g -jar tarifa-app-all.jar > app.log 2>&1 & pids+=($!)
ready http://127.0.0.1:$GW
env "${clean[@]}" "${common[@]}" "${up[@]}" TARIFA_GATEWAY_PORT=$GWR TARIFA_REDIS_URL=redis://127.0.0.1:6379 java -Xmx256m -jar tarifa-gateway-all.jar > gw-redis.log 2>&1 & pids+=($!)
env "${clean[@]}" "${common[@]}" "${up[@]}" TARIFA_GATEWAY_PORT=$GWN java -Xmx256m -jar tarifa-gateway-all.jar > gw-noredis.log 2>&1 & pids+=($!)
ready http://127.0.0.1:$GWR; ready http://127.0.0.1:$GWN
PATH_HOT="/api/v1/flights/search?from=FRA&to=JFK&date=$(date -u -d '+30 days' +%F)&adults=1"
for g in $GWR $GWN; do curl -s -o /dev/null "http://127.0.0.1:$g$PATH_HOT"; curl -s -D - -o /dev/null "http://127.0.0.1:$g$PATH_HOT" | grep -i '^x-cache\|^HTTP'; done
for r in 1 2 3; do
  for g in $GWN $GWR; do
    wrk -t1 -c32 -d5s "http://127.0.0.1:$g$PATH_HOT" > /dev/null 2>&1
    wrk -t1 -c32 -d15s --latency "http://127.0.0.1:$g$PATH_HOT" > wrk-$g-r$r.txt 2>&1
    echo "round $r gateway $g ($([ $g = $GWR ] && echo redis || echo no-redis)): $(awk '/^Requests\/sec/{print $2" req/s"}' wrk-$g-r$r.txt) p50 $(awk '$1=="50%"{print $2}' wrk-$g-r$r.txt) p99 $(awk '$1=="99%"{print $2}' wrk-$g-r$r.txt) $(grep -h 'Non-2xx' wrk-$g-r$r.txt)"
  done
done
curl -s http://127.0.0.1:$GWR/metrics | grep '^tarifa_gateway_rate_limit_shared'
echo "redis-cli latency (1 s):"; timeout 3 redis-cli --latency -i 1 2>/dev/null | tail -1 || true
