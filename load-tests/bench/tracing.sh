#!/usr/bin/env bash
# What tracing costs on the L1-hit path, in one run: the bound (BoundServer replaying the cached answer) against
# three stand-alone gateways that differ only in their OTEL_* settings:
#   off       no OTEL_* (the default: Vert.x has no tracer)
#   unsampled tracing on, OTEL_TRACES_SAMPLER_ARG=0 (every request traced but never sampled: the pure cost of
#             tracing for the 90 % of requests the default leaves unsampled)
#   default   tracing on at the default sampling (parentbased_traceidratio, 0.1), exporting OTLP/HTTP to a local
#             sink that accepts and counts the exports
# after a JIT warm-up of JIT_SECONDS per server (a traced gateway has more code to compile: without it the first
# rounds measure the compiler, not tracing), in BENCH_ROUNDS alternating rounds (bound, off, unsampled, default;
# each wrk run with its own short warm-up). The
# services behind the gateways are the all-in-one (small catalogue, untraced); the gateways run without Redis (an
# L1 hit never touches it). The table gives, per configuration, the median over rounds of gateway req/s / bound
# req/s of the same round, and every round.
#   load-tests/bench/tracing.sh
# Needs the shaded jars (mvn -B -q -pl verticles/app,verticles/gateway,load-tests -am -DskipTests package) and wrk.
# Knobs (environment): BENCH_SECONDS (10), WARM_SECONDS (3), JIT_SECONDS (30), BENCH_ROUNDS (5), WRK_CONNECTIONS (32), WRK_CPU (1: wrk
# pinned to that core; empty: unpinned), BENCH_ROUTE (FRA-JFK), BENCH_PORT_BASE (19080; uses base .. base+24).
# Output: the table on stdout and in load-tests/target/bench/tracing-<time>/table.md, raw wrk output beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

BENCH_SECONDS=${BENCH_SECONDS:-10}
WARM_SECONDS=${WARM_SECONDS:-3}
JIT_SECONDS=${JIT_SECONDS:-30}
BENCH_ROUNDS=${BENCH_ROUNDS:-5}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
WRK_CPU=${WRK_CPU-1}
BENCH_ROUTE=${BENCH_ROUTE:-FRA-JFK}
P=${BENCH_PORT_BASE:-19080}
APP=$P; USERS=$((P + 1)); FLIGHTS=$((P + 2)); HOTELS=$((P + 3)); CARS=$((P + 4)); REVIEWS=$((P + 5))
GW_OFF=$((P + 20)); GW_UNSAMPLED=$((P + 21)); GW_DEFAULT=$((P + 22)); SINK=$((P + 23)); BOUND=$((P + 24))

OUT="$ROOT/load-tests/target/bench/tracing-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
pids=()
# shellcheck source=load-tests/bench/lib.sh
source "$ROOT/load-tests/bench/lib.sh"

require_bench_preconditions $APP $USERS $FLIGHTS $HOTELS $CARS $REVIEWS $GW_OFF $GW_UNSAMPLED $GW_DEFAULT $SINK $BOUND
APP_JAR=verticles/app/target/tarifa-app-all.jar
GW_JAR=verticles/gateway/target/tarifa-gateway-all.jar
[ -f "$APP_JAR" ] && [ -f "$GW_JAR" ] && [ -d load-tests/target/classes ] \
  || die "build first: mvn -B -q -pl verticles/app,verticles/gateway,load-tests -am -DskipTests package"
# Private copies: a rebuild while the bench runs would replace the jars under the running JVMs.
mkdir -p "$OUT/jars"
cp "$APP_JAR" "$OUT/jars/app.jar" && cp "$GW_JAR" "$OUT/jars/gateway.jar" || die "copying the platform jars failed"
APP_JAR="$OUT/jars/app.jar"; GW_JAR="$OUT/jars/gateway.jar"
# BoundServer needs only Vert.x core, which the gateway jar holds.
CP="$ROOT/load-tests/target/classes:$GW_JAR"

clean_env=()
for v in $(compgen -e | grep -E '^(TARIFA|OTEL)_' || true); do clean_env+=(-u "$v"); done
common=(TARIFA_RATE_LIMIT_RPS=1000000 TARIFA_RATE_LIMIT_BURST=1000000 TARIFA_LOG_LEVEL=WARN)
upstreams=(TARIFA_USERS_URL=http://127.0.0.1:$USERS TARIFA_FLIGHTS_URL=http://127.0.0.1:$FLIGHTS TARIFA_HOTELS_URL=http://127.0.0.1:$HOTELS
  TARIFA_CARS_URL=http://127.0.0.1:$CARS TARIFA_REVIEWS_URL=http://127.0.0.1:$REVIEWS)


# The OTLP/HTTP sink: answers every export 200 with an empty ExportTraceServiceResponse and counts them.
cat >"$OUT/sink.py" <<'PY'
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Sink(BaseHTTPRequestHandler):
    exports = 0
    received = 0
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        self.rfile.read(n)
        Sink.exports += 1
        Sink.received += n
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def do_GET(self):
        body = f"{Sink.exports} {Sink.received}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
python3 "$OUT/sink.py" $SINK >"$OUT/sink.log" 2>&1 &
pids+=($!)

say "starting the all-in-one platform (small catalogue, untraced)"
env "${clean_env[@]}" "${common[@]}" "${upstreams[@]}" TARIFA_GATEWAY_PORT=$APP TARIFA_USERS_PORT=$USERS TARIFA_FLIGHTS_PORT=$FLIGHTS \
  TARIFA_HOTELS_PORT=$HOTELS TARIFA_CARS_PORT=$CARS TARIFA_REVIEWS_PORT=$REVIEWS TARIFA_CATALOGUE_SIZE=small \
  java -Xmx1g -jar "$APP_JAR" >"$OUT/app.log" 2>&1 &
pids+=($!); app=$!
wait_ready "http://127.0.0.1:$APP" "$app" 600

start_gateway() { # name port [OTEL_*=...]
  local name=$1 port=$2; shift 2
  env "${clean_env[@]}" "${common[@]}" "${upstreams[@]}" TARIFA_GATEWAY_PORT=$port "$@" \
    java -Xmx256m -jar "$GW_JAR" >"$OUT/gateway-$name.log" 2>&1 &
  pids+=($!); wait_ready "http://127.0.0.1:$port" "$!" 120
}
otel=(OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$SINK OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)
start_gateway off $GW_OFF
start_gateway unsampled $GW_UNSAMPLED "${otel[@]}" OTEL_SERVICE_NAME=gateway-unsampled OTEL_TRACES_SAMPLER_ARG=0
start_gateway default $GW_DEFAULT "${otel[@]}" OTEL_SERVICE_NAME=gateway-default

day() { date -u -d "$(date -u +%F) + $1 days" +%F; }
FROM=${BENCH_ROUTE%-*}; TO=${BENCH_ROUTE#*-}
PATH_HOT="/api/v1/flights/search?from=$FROM&to=$TO&date=$(day 30)&adults=1"
for port in $GW_OFF $GW_UNSAMPLED $GW_DEFAULT; do
  curl -s -o /dev/null "http://127.0.0.1:$port$PATH_HOT"
  curl -s -D "$OUT/hot-$port.headers" -o "$OUT/hot-$port.body" "http://127.0.0.1:$port$PATH_HOT"
  grep -qi '^x-cache: HIT-L1' "$OUT/hot-$port.headers" || die "second fetch of the hot key on :$port was not HIT-L1"
done
java -Xmx256m -cp "$CP" dev.tarifa.loadtests.BoundServer $BOUND "$OUT/hot-$GW_OFF.body" "$OUT/hot-$GW_OFF.headers" >"$OUT/bound.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$BOUND/" && break; sleep 0.2; done

pin=(); [ -n "$WRK_CPU" ] && command -v taskset >/dev/null && pin=(taskset -c "$WRK_CPU")
run_wrk() { # label url -> req/s
  "${pin[@]}" wrk -t1 -c"$WRK_CONNECTIONS" -d"${WARM_SECONDS}s" "$2" >"$OUT/wrk-$1-warm.txt" 2>&1 || true
  "${pin[@]}" wrk -t1 -c"$WRK_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency "$2" >"$OUT/wrk-$1.txt" 2>&1 || die "wrk $1 failed"
  grep -q "Non-2xx" "$OUT/wrk-$1.txt" && die "$1: non-2xx answers (see $OUT/wrk-$1.txt)"
  awk '/^Requests\/sec/{print $2}' "$OUT/wrk-$1.txt"
}

say "JIT warm-up: $JIT_SECONDS s per server"
for port in $BOUND $GW_OFF $GW_UNSAMPLED $GW_DEFAULT; do
  "${pin[@]}" wrk -t1 -c"$WRK_CONNECTIONS" -d"${JIT_SECONDS}s" "http://127.0.0.1:$port$PATH_HOT" >"$OUT/wrk-jit-$port.txt" 2>&1 || true
done
say "$BENCH_ROUNDS rounds of bound, off, unsampled, default ($BENCH_SECONDS s each after $WARM_SECONDS s warm-up; wrk -t1 -c$WRK_CONNECTIONS${pin[*]:+, pinned to CPU $WRK_CPU})"
rows=()
for r in $(seq 1 "$BENCH_ROUNDS"); do
  b=$(run_wrk "bound-r$r" "http://127.0.0.1:$BOUND$PATH_HOT")
  off=$(run_wrk "off-r$r" "http://127.0.0.1:$GW_OFF$PATH_HOT")
  uns=$(run_wrk "unsampled-r$r" "http://127.0.0.1:$GW_UNSAMPLED$PATH_HOT")
  def=$(run_wrk "default-r$r" "http://127.0.0.1:$GW_DEFAULT$PATH_HOT")
  row=$(awk -v b="$b" -v o="$off" -v u="$uns" -v d="$def" 'BEGIN{printf "%s %s %s %s %.1f %.1f %.1f", b, o, u, d, 100*o/b, 100*u/b, 100*d/b}')
  say "round $r: bound / off / unsampled / default req/s: $b / $off / $uns / $def"
  rows+=("$r $row")
done
median() { # column index (1-based) of the ratio in rows
  printf '%s\n' "${rows[@]}" | awk -v c="$1" '{print $c}' | LC_ALL=C sort -n | sed -n "$(( (BENCH_ROUNDS + 1) / 2 ))p"
}
m_off=$(median 6); m_uns=$(median 7); m_def=$(median 8)
exports=$(curl -s "http://127.0.0.1:$SINK/" || echo "? ?")

{
  echo "## Tracing on the L1-hit path ($(date -u '+%F %H:%M') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "wrk -t1 -c$WRK_CONNECTIONS, $JIT_SECONDS s JIT warm-up per server, then $BENCH_ROUNDS alternating rounds of $BENCH_SECONDS s per run after $WARM_SECONDS s warm-up; hot key $PATH_HOT"
  echo
  echo "| gateway | median L1-hit / bound |"
  echo "|---|---|"
  echo "| tracing off | $m_off % |"
  echo "| tracing on, every request unsampled (ratio 0) | $m_uns % |"
  echo "| tracing on, default sampling (parentbased_traceidratio 0.1, OTLP export) | $m_def % |"
  echo
  echo "| round | bound req/s | off req/s | unsampled req/s | default req/s | off % | unsampled % | default % |"
  echo "|---|---|---|---|---|---|---|---|"
  for row in "${rows[@]}"; do echo "| ${row// / | } |"; done
  echo
  echo "OTLP exports received by the sink (requests, bytes): $exports"
} | tee "$OUT/table.md"
