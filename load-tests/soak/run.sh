#!/usr/bin/env bash
# The soak: one command, a steady mix for SOAK_MINUTES, a sample of every process each minute, a verdict.
#   load-tests/soak/run.sh
# Starts the platform as it is deployed, one JVM per service from its -all.jar (users, flights, hotels, cars,
# reviews, gateway: per-process RSS, heap, descriptors and connections are what a leak would show in production;
# the all-in-one would mix them in one process), against the local PostgreSQL (databases soak_<service>, kept
# between runs so the catalogue is seeded once), Redis (database index SOAK_REDIS_DB, key prefix soak:) and
# RabbitMQ (vhost soak, created when missing). This machine has no MongoDB: reviews runs on the in-memory
# MongoDB-wire server the all-in-one embeds, in a process of its own (sampled, not judged: it holds every review).
# Then dev.tarifa.loadtests.Soak drives SOAK_RATE requests/s (flight/hotel/car/trip searches, review reads and
# writes, /me, airports; plus a fare change every 5 s, a login every 30 s, a new user every 5 minutes) and samples
# each process every minute. Output: load-tests/target/soak/<time>/{soak.csv,table.md,*.log}; exit 1 on fail
# (any error, or an upward trend over the second half: see docs/RELIABILITY.md, "Soak").
# Knobs: SOAK_MINUTES (60 judged minutes), SOAK_WARMUP (3 minutes first, the rate ramping up; reported, not
# judged), SOAK_RATE (20), CATALOGUE (full|small, full), SOAK_PORT_BASE (25000),
# SOAK_REDIS_DB (11), SOAK_UPSTREAM_TIMEOUT (10s), PG_URL_BASE (postgresql://postgres@127.0.0.1:5432), AMQP_BASE (amqp://guest:guest@127.0.0.1:5672).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

SOAK_MINUTES=${SOAK_MINUTES:-60}
SOAK_RATE=${SOAK_RATE:-20}
SOAK_WARMUP=${SOAK_WARMUP:-3}
CATALOGUE=${CATALOGUE:-full}
SOAK_REDIS_DB=${SOAK_REDIS_DB:-11}
PG_URL_BASE=${PG_URL_BASE:-postgresql://postgres@127.0.0.1:5432}
AMQP_BASE=${AMQP_BASE:-amqp://guest:guest@127.0.0.1:5672}
P=${SOAK_PORT_BASE:-25000}
GW=$P; USERS=$((P + 1)); FLIGHTS=$((P + 2)); HOTELS=$((P + 3)); CARS=$((P + 4)); REVIEWS=$((P + 5)); MONGO=$((P + 17))

OUT="$ROOT/load-tests/target/soak/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
pids=()
# shellcheck source=load-tests/bench/lib.sh
source "$ROOT/load-tests/bench/lib.sh"
say() { echo "soak: $*" >&2; }

[[ "$SOAK_MINUTES" =~ ^[1-9][0-9]*$ ]] || die "SOAK_MINUTES must be a positive integer, not '$SOAK_MINUTES'"
for tool in psql redis-cli rabbitmqctl ss jcmd openssl; do command -v $tool >/dev/null || die "$tool missing"; done
for port in $GW $USERS $FLIGHTS $HOTELS $CARS $REVIEWS $MONGO; do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && die "port $port is taken (SOAK_PORT_BASE=... to move)"
done
mkdir -p "$OUT/jars"
for svc in users flights hotels cars reviews gateway app; do
  jar="verticles/$svc/target/tarifa-$svc-all.jar"
  [ -f "$jar" ] || die "build first: mvn -B -q -DskipTests package ($jar missing)"
  # Private copies: a rebuild in this checkout must not replace the jars under the running JVMs.
  cp "$jar" "$OUT/jars/$svc.jar"
done
say "compiling load-tests and resolving its classpath"
mvn -B -q -o -pl load-tests -am compile dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/cp" >"$OUT/mvn.log" 2>&1 \
  || mvn -B -q -pl load-tests -am compile dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/cp" >"$OUT/mvn.log" 2>&1 \
  || die "load-tests build failed: $OUT/mvn.log"
CP="$ROOT/load-tests/target/classes:$(cat "$OUT/cp")"

rabbitmqctl -q add_vhost soak >/dev/null 2>&1 || true
rabbitmqctl -q set_permissions -p soak guest '.*' '.*' '.*' >/dev/null || die "cannot grant guest the vhost soak"

# One ES256 key pair for the run: users signs, every service verifies.
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$OUT/jwt.key"
openssl ec -in "$OUT/jwt.key" -pubout -out "$OUT/jwt.pub" 2>/dev/null
ADMIN_PASSWORD="soak-admin-$(date +%s)"
# The admin account is created once per users database: keep its password beside the database, not per run.
PWFILE="$ROOT/load-tests/target/soak/admin-password"
if [ -f "$PWFILE" ]; then
  ADMIN_PASSWORD=$(cat "$PWFILE")
else
  # A users database seeded from another checkout holds an admin whose password is not known here: start it anew
  # (the services create and seed a missing database).
  psql "$PG_URL_BASE/postgres" -qc "drop database if exists soak_users with (force)" >/dev/null || die "dropping soak_users failed"
  mkdir -p "$(dirname "$PWFILE")" && echo "$ADMIN_PASSWORD" >"$PWFILE"
fi

clean_env=()
for v in $(compgen -e | grep '^TARIFA_' || true); do clean_env+=(-u "$v"); done
common=(TARIFA_LOG_LEVEL=WARN TARIFA_AMQP_URL="$AMQP_BASE/soak" TARIFA_JWT_PUBLIC_KEY="$OUT/jwt.pub"
  TARIFA_CATALOGUE_SIZE="$CATALOGUE" TARIFA_USERS_URL=http://127.0.0.1:$USERS TARIFA_FLIGHTS_URL=http://127.0.0.1:$FLIGHTS
  TARIFA_HOTELS_URL=http://127.0.0.1:$HOTELS TARIFA_CARS_URL=http://127.0.0.1:$CARS TARIFA_REVIEWS_URL=http://127.0.0.1:$REVIEWS)
start() { # name heap env...
  local name=$1 heap=$2; shift 2
  env "${clean_env[@]}" "${common[@]}" "$@" java "-Xmx$heap" -jar "$OUT/jars/$name.jar" >>"$OUT/$name.log" 2>&1 &
  pids+=($!)
  eval "PID_$name=$!"
}
# ready <name> <port> <seconds> <heap> env...: waits for /health/ready; a start that fails (on this shared machine a
# start-up can time out under a load average of 40+) is retried twice, the attempts kept in the log.
ready() {
  local name=$1 port=$2 limit=$3 heap=$4 attempt pid deadline; shift 4
  for attempt in 1 2 3; do
    pid=$(eval echo "\$PID_$name")
    deadline=$((SECONDS + limit))
    while [ "$(curl -s -o /dev/null -w '%{http_code}' -m 2 "http://127.0.0.1:$port/health/ready")" != 200 ]; do
      if ! kill -0 "$pid" 2>/dev/null; then
        [ "$attempt" = 3 ] && die "$name exited at start-up three times; log in $OUT/$name.log"
        say "$name exited at start-up (attempt $attempt: $(tail -n 1 "$OUT/$name.log")); starting it again"
        start "$name" "$heap" "$@"
        continue 2
      fi
      [ "$SECONDS" -lt "$deadline" ] || die "$name not ready within $limit s; log in $OUT/$name.log"
      sleep 1
    done
    return 0
  done
}

java -Xmx256m -cp "$OUT/jars/app.jar" "$ROOT/load-tests/soak/MongoWire.java" $MONGO >"$OUT/mongo.log" 2>&1 &
pids+=($!); PID_mongo=$!
for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/127.0.0.1/$MONGO") 2>/dev/null && break; sleep 1; done

say "starting users, flights, hotels, cars ($CATALOGUE catalogue; the first run seeds the soak_* databases)"
t0=$SECONDS
users_env=(TARIFA_USERS_PORT=$USERS TARIFA_USERS_PG_URL="$PG_URL_BASE/soak_users" TARIFA_JWT_PRIVATE_KEY="$OUT/jwt.key"
  TARIFA_ADMIN_PASSWORD="$ADMIN_PASSWORD")
flights_env=(TARIFA_FLIGHTS_PORT=$FLIGHTS TARIFA_FLIGHTS_PG_URL="$PG_URL_BASE/soak_flights")
hotels_env=(TARIFA_HOTELS_PORT=$HOTELS TARIFA_HOTELS_PG_URL="$PG_URL_BASE/soak_hotels")
cars_env=(TARIFA_CARS_PORT=$CARS TARIFA_CARS_PG_URL="$PG_URL_BASE/soak_cars")
reviews_env=(TARIFA_REVIEWS_PORT=$REVIEWS TARIFA_MONGO_URL="mongodb://127.0.0.1:$MONGO" TARIFA_MONGO_DATABASE=soak_reviews)
# A login is 600,000 PBKDF2 rounds: on this shared 2-core machine under load that can outlast the default 2 s
# upstream bound, and the soak looks for leaks, not for timeouts of a saturated CPU.
gateway_env=(TARIFA_UPSTREAM_TIMEOUT="${SOAK_UPSTREAM_TIMEOUT:-10s}" TARIFA_GATEWAY_PORT=$GW
  TARIFA_REDIS_URL="redis://127.0.0.1:6379/$SOAK_REDIS_DB" TARIFA_CACHE_PREFIX="soak:" TARIFA_RATE_LIMIT_RPS=1000000 TARIFA_RATE_LIMIT_BURST=1000000)
start users 256m "${users_env[@]}"
start flights 512m "${flights_env[@]}"
start hotels 256m "${hotels_env[@]}"
start cars 256m "${cars_env[@]}"
ready users $USERS 600 256m "${users_env[@]}"
ready flights $FLIGHTS 900 512m "${flights_env[@]}"
ready hotels $HOTELS 900 256m "${hotels_env[@]}"
ready cars $CARS 900 256m "${cars_env[@]}"
start reviews 256m "${reviews_env[@]}"
ready reviews $REVIEWS 300 256m "${reviews_env[@]}"
start gateway 512m "${gateway_env[@]}"
ready gateway $GW 300 512m "${gateway_env[@]}"
say "platform ready after $((SECONDS - t0)) s; warm-up $SOAK_WARMUP min, then soak for $SOAK_MINUTES min at $SOAK_RATE req/s, output in $OUT"

u() { echo "http://127.0.0.1:$1"; }
rc=0
java -Xmx256m -cp "$CP" -Dwarmup="$SOAK_WARMUP" -Dminutes="$SOAK_MINUTES" -Drate="$SOAK_RATE" -DcatalogueSize="$CATALOGUE" -DadminPassword="$ADMIN_PASSWORD" \
  -DpgDbPrefix=soak_ -DredisDb="$SOAK_REDIS_DB" dev.tarifa.loadtests.Soak "$OUT" "$(u $GW)" \
  "gateway=$PID_gateway=$(u $GW)" "users=$PID_users=$(u $USERS)" "flights=$PID_flights=$(u $FLIGHTS)" \
  "hotels=$PID_hotels=$(u $HOTELS)" "cars=$PID_cars=$(u $CARS)" "reviews=$PID_reviews=$(u $REVIEWS)" "mongo-wire=$PID_mongo" \
  2> >(tee "$OUT/soak.log" >&2) || rc=$?
{ echo "command: SOAK_WARMUP=$SOAK_WARMUP SOAK_MINUTES=$SOAK_MINUTES SOAK_RATE=$SOAK_RATE CATALOGUE=$CATALOGUE load-tests/soak/run.sh"
  echo "ended $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"; } | tee -a "$OUT/table.md"
say "raw output in $OUT"
exit $rc
