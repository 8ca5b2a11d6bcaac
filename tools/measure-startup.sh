#!/usr/bin/env bash
# Measures the all-in-one start-up: seconds from `java -jar` to gateway /health/ready = 200, then the time a
# SIGTERM takes to stop it. Usage: tools/measure-startup.sh [label]  (extra TARIFA_* settings via the environment)
set -euo pipefail
jar="$(dirname "$0")/../verticles/app/target/tarifa-app-all.jar"
port="${TARIFA_GATEWAY_PORT:-8080}"
log=$(mktemp /tmp/tarifa-startup.XXXX.log)
t0=$(date +%s.%N)
java -jar "$jar" >"$log" 2>&1 &
pid=$!
status=000
for _ in $(seq 1 600); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready" || true)
  [ "$status" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
t1=$(date +%s.%N)
kill -TERM "$pid"
wait "$pid" || true
t2=$(date +%s.%N)
printf '%s: ready=%s in %.1f s; stopped %.1f s after SIGTERM; log %s\n' "${1:-run}" "$status" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$log"
