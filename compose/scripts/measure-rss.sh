#!/usr/bin/env bash
# Measures each service's resident memory (RSS) running alone from its fat jar, as compose runs it (own database,
# full catalogue, Redis L2 for the gateway, JSON logs), to size the memory limits in compose.yaml.
# The JVM is told the container's memory the way the image's flags do (-XX:MaxRAM=<limit> -XX:MaxRAMPercentage=75),
# so the heap grows as it would under that limit.
#
# Needs: the six fat jars (mvn -B -q -DskipTests package -pl verticles/users,...,verticles/gateway -am), PostgreSQL
# on 127.0.0.1:5432 (user postgres, trust), Redis on 127.0.0.1:6379, a MongoDB-wire server for reviews (MONGO_URL,
# default: mongo-java-server started here from ~/.m2), curl and openssl. RabbitMQ is left out on purpose (a shared
# broker on this machine): the services use the in-process event bus, a difference of a few MB.
# Knobs: MAX_RAM (512m), BASE_PORT (18180), REQUESTS (600), PG (postgresql://postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/../.."
MAX_RAM=${MAX_RAM:-512m}
BASE=${BASE_PORT:-18180}
REQUESTS=${REQUESTS:-600}
PG=${PG:-postgresql://postgres@127.0.0.1:5432}
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$WORK/jwt.key"
openssl ec -in "$WORK/jwt.key" -pubout -out "$WORK/jwt.pub" 2>/dev/null

port() { echo $((BASE + $1)); }
declare -A OFFSET=([gateway]=0 [users]=1 [flights]=2 [hotels]=3 [cars]=4 [reviews]=5)

if [ -z "${MONGO_URL:-}" ]; then
  M2=${HOME}/.m2/repository/de/bwaldvogel
  cat > "$WORK/MongoStub.java" <<'JAVA'
public class MongoStub {
  public static void main(String[] a) throws Exception {
    var s = new de.bwaldvogel.mongo.MongoServer(new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
    s.bind("127.0.0.1", Integer.parseInt(a[0]));
    Thread.currentThread().join();
  }
}
JAVA
  java -Xmx256m -cp "verticles/reviews/target/tarifa-reviews-all.jar:$M2/mongo-java-server-core/1.47.0/mongo-java-server-core-1.47.0.jar:$M2/mongo-java-server-memory-backend/1.47.0/mongo-java-server-memory-backend-1.47.0.jar" \
    "$WORK/MongoStub.java" "$(port 37)" > "$WORK/mongo.log" 2>&1 &
  PIDS+=($!)
  MONGO_URL="mongodb://127.0.0.1:$(port 37)"
fi

common=(TARIFA_CATALOGUE_SIZE=full TARIFA_LOG_FORMAT=json TARIFA_JWT_PUBLIC_KEY="$WORK/jwt.pub"
  TARIFA_USERS_URL=http://127.0.0.1:$(port 1) TARIFA_FLIGHTS_URL=http://127.0.0.1:$(port 2)
  TARIFA_HOTELS_URL=http://127.0.0.1:$(port 3) TARIFA_CARS_URL=http://127.0.0.1:$(port 4)
  TARIFA_REVIEWS_URL=http://127.0.0.1:$(port 5))

start() { # service, extra env...
  local s=$1; shift
  local upper; upper=$(echo "$s" | tr a-z A-Z)
  env "${common[@]}" "TARIFA_${upper}_PORT=$(port "${OFFSET[$s]}")" "$@" \
    java -XX:MaxRAM="$MAX_RAM" -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError \
    -jar "verticles/$s/target/tarifa-$s-all.jar" > "$WORK/$s.log" 2>&1 &
  PIDS+=($!)
  echo "$!" > "$WORK/$s.pid"
}
ready() { # service: wait (bounded) for /health/ready
  local s=$1 deadline=$((SECONDS + 300))
  until curl -fsS -o /dev/null "http://127.0.0.1:$(port "${OFFSET[$s]}")/health/ready"; do
    if [ $SECONDS -gt $deadline ]; then echo "$s not ready after 300 s" >&2; tail -20 "$WORK/$s.log" >&2; exit 1; fi
    sleep 1
  done
}

for s in users flights hotels cars; do
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS compose_$s" >/dev/null
done
start users TARIFA_USERS_PG_URL="$PG/compose_users" TARIFA_JWT_PRIVATE_KEY="$WORK/jwt.key" TARIFA_ADMIN_PASSWORD=measure-only-$RANDOM$RANDOM
start flights TARIFA_FLIGHTS_PG_URL="$PG/compose_flights"
start hotels TARIFA_HOTELS_PG_URL="$PG/compose_hotels"
start cars TARIFA_CARS_PG_URL="$PG/compose_cars"
for s in users flights hotels cars; do ready "$s"; done
start reviews TARIFA_MONGO_URL="$MONGO_URL" TARIFA_MONGO_DATABASE=compose_reviews
ready reviews
start gateway TARIFA_REDIS_URL=redis://127.0.0.1:6379 TARIFA_CACHE_PREFIX=compose-measure: \
  TARIFA_RATE_LIMIT_RPS=1000000 TARIFA_RATE_LIMIT_BURST=1000000
ready gateway

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$(cat "$WORK/$1.pid")/status"; }
report() {
  printf '%-8s' "$1"
  for s in gateway users flights hotels cars reviews; do printf ' %s=%sMiB' "$s" "$(rss "$s")"; done
  echo
}
report idle

# A little load through the gateway: distinct dates make misses (origin loads), repeats make cache hits.
G="http://127.0.0.1:$(port 0)"
routes=(FRA-JFK LHR-CDG AMS-BCN JFK-LAX MUC-MAD CDG-FCO LHR-DXB FRA-SIN)
cities=(London Paris Berlin Madrid Rome)
airports=(FRA LHR CDG AMS MUC)
for i in $(seq 1 "$REQUESTS"); do
  d=$(date -u -d "+$((i % 60 + 1)) days" +%F)
  r=${routes[$((i % ${#routes[@]}))]}
  case $((i % 4)) in
    0|1) url="$G/api/v1/flights/search?from=${r%-*}&to=${r#*-}&date=$d" ;;
    2) url="$G/api/v1/hotels/search?city=${cities[$((i % 5))]}&checkIn=$d&checkOut=$(date -u -d "$d +3 days" +%F)" ;;
    3) a=${airports[$((i % 5))]}; url="$G/api/v1/cars/search?location=$a&pickUp=${d}T10:00&dropOff=$(date -u -d "$d +4 days" +%F)T10:00" ;;
  esac
  curl -s -o /dev/null -w '%{http_code}\n' "$url" &
  if (( i % 8 == 0 )); then wait_jobs=$(jobs -p | grep -v -x -F -f <(printf '%s\n' "${PIDS[@]}") || true); [ -n "$wait_jobs" ] && wait $wait_jobs; fi
done > "$WORK/codes.txt"
sleep 1
echo "answers: $(sort "$WORK/codes.txt" | uniq -c | tr '\n' ' ')"
report loaded
for s in gateway users flights hotels cars reviews; do
  printf '%-8s heap after GC: ' "$s"
  jcmd "$(cat "$WORK/$s.pid")" GC.run >/dev/null 2>&1 || true
  jcmd "$(cat "$WORK/$s.pid")" GC.heap_info 2>/dev/null | awk '/used/ && !done {for(i=1;i<=NF;i++) if ($i=="used") print $(i+1); done=1}'
done
report after-gc
for s in users flights hotels cars; do psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS compose_$s WITH (FORCE)" >/dev/null 2>&1 || true; done
redis-cli --scan --pattern 'compose-measure:*' | xargs -r redis-cli del >/dev/null
