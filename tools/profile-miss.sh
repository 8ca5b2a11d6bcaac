#!/usr/bin/env bash
# Profiles a unique-key flight-search miss (docs/PERFORMANCE.md, "Miss path, third pass"):
#   tools/profile-miss.sh JAR NAME PORT_BASE      e.g. tools/profile-miss.sh verticles/app/target/tarifa-app-all.jar main 28000
# Starts the all-in-one JAR (full catalogue, local Redis as L2, its own key prefix) on PORT_BASE..PORT_BASE+5, warms it
# with 40 s of unique-key misses (wrk -t1 -c8, the bench's miss script), measures 20 s (req/s, JVM and PostgreSQL CPU
# ms per miss), then records 30 s of JFR (JFR=0 to skip) and prints tools/jfr-miss-categories.py's table.
# Output in load-tests/target/profile/NAME (PROFILE_OUT to move). Needs wrk, jcmd, jfr; build load-tests first.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: tools/profile-miss.sh JAR NAME PORT_BASE" >&2; exit 2; }
JAR=$(realpath "$1"); NAME=$2; P=$3
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${PROFILE_OUT:-load-tests/target/profile}/$NAME"); rm -rf "$OUT"; mkdir -p "$OUT"
pids=()
# shellcheck source=load-tests/bench/lib.sh
source load-tests/bench/lib.sh # cleanup on exit, wait_ready, cpu_ticks, write_miss_lua
cp "$JAR" "$OUT/app.jar"
mvn -B -q -o -pl load-tests dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/cp" >/dev/null
java -cp "load-tests/target/classes:$(cat "$OUT/cp")" -DcatalogueSize=full dev.tarifa.loadtests.QueryMixMain routes >"$OUT/routes.txt"
env -u TARIFA_CACHE_PREFIX TARIFA_RATE_LIMIT_RPS=1000000 TARIFA_RATE_LIMIT_BURST=1000000 TARIFA_LOG_LEVEL=WARN \
  TARIFA_REDIS_URL=redis://127.0.0.1:6379 TARIFA_CACHE_PREFIX="prof$(date +%s)$NAME:" \
  TARIFA_GATEWAY_PORT="$P" TARIFA_USERS_PORT=$((P + 1)) TARIFA_FLIGHTS_PORT=$((P + 2)) TARIFA_HOTELS_PORT=$((P + 3)) \
  TARIFA_CARS_PORT=$((P + 4)) TARIFA_REVIEWS_PORT=$((P + 5)) \
  TARIFA_USERS_URL=http://127.0.0.1:$((P + 1)) TARIFA_FLIGHTS_URL=http://127.0.0.1:$((P + 2)) \
  TARIFA_HOTELS_URL=http://127.0.0.1:$((P + 3)) TARIFA_CARS_URL=http://127.0.0.1:$((P + 4)) \
  TARIFA_REVIEWS_URL=http://127.0.0.1:$((P + 5)) \
  TARIFA_CATALOGUE_SIZE=full java -Xmx1g -jar "$OUT/app.jar" >"$OUT/app.log" 2>&1 &
PID=$!
pids+=("$PID")
wait_ready "http://127.0.0.1:$P" "$PID" 300
start=$((RANDOM * 16))
for n in 1 2 3; do write_miss_lua "$OUT/miss-$n.lua" "$OUT/routes.txt" "$(date -u +%F)" $((start + n)); done
pg() { pgrep -d ' ' -x postgres || true; }
taskset -c 1 wrk -t1 -c8 -d40s -s "$OUT/miss-1.lua" "http://127.0.0.1:$P" >"$OUT/warm.txt"
# shellcheck disable=SC2046 # one pid per word
c0=$(cpu_ticks "$PID"); g0=$(cpu_ticks $(pg))
taskset -c 1 wrk -t1 -c8 -d20s -s "$OUT/miss-2.lua" "http://127.0.0.1:$P" >"$OUT/measure.txt"
# shellcheck disable=SC2046
c1=$(cpu_ticks "$PID"); g1=$(cpu_ticks $(pg))
reqs=$(awk '/requests in/ {print $1}' "$OUT/measure.txt")
tick_ms=$((1000 / $(getconf CLK_TCK)))
echo "measure: $(grep Requests/sec "$OUT/measure.txt")" \
  "jvm ms/req $(awk -v a="$c0" -v b="$c1" -v n="$reqs" -v t="$tick_ms" 'BEGIN{printf "%.3f", (b-a)*t/n}')" \
  "postgres ms/req $(awk -v a="$g0" -v b="$g1" -v n="$reqs" -v t="$tick_ms" 'BEGIN{printf "%.3f", (b-a)*t/n}')"
if [ "${JFR:-1}" = 1 ]; then
  jcmd "$PID" JFR.start name=miss settings=profile filename="$OUT/rec.jfr" >/dev/null
  taskset -c 1 wrk -t1 -c8 -d30s -s "$OUT/miss-3.lua" "http://127.0.0.1:$P" >"$OUT/jfr-run.txt"
  jcmd "$PID" JFR.stop name=miss >/dev/null
  jfr print --events jdk.ExecutionSample --stack-depth 80 "$OUT/rec.jfr" >"$OUT/samples.txt"
  python3 tools/jfr-miss-categories.py <"$OUT/samples.txt"
fi
