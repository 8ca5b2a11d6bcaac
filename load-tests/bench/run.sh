#!/usr/bin/env bash
# The benchmark harness: one command, one machine, one table with ratios.
#   load-tests/bench/run.sh
# Starts the all-in-one platform (full catalogue by default) plus two stand-alone gateways on the same services
# and Redis (one with L1 shrunk to 1 byte, so every hit comes from L2; one ordinary, the second replica of the
# stampede), a minimal Vert.x server replaying the bytes of a cached flight search (the bound), then measures:
#   1. bound vs gateway L1-hit (BENCH_ROUNDS alternating rounds: bound, L1 hit, bound, L1 hit...; the table shows
#      the round with the median L1/bound ratio, every round listed under it), then L2-hit and miss (unique keys),
#      one run each, with wrk;
#   2. cold stampedes of STAMPEDE_N identical searches against 1 and 2 gateways (origin calls, leader's latency,
#      waiters' added latency; Stampede: one Vert.x event loop, a keep-alive connection per request warmed on the
#      hot key; the same burst against the bound server gives the floor);
#   3. a Zipf campaign at a fixed arrival rate (Gatling, open model): throughput, p50/p95/p99, hit ratio per layer.
# After 1: bytes per answer identity vs gzip, and L1 hits with and without Accept-Encoding: gzip (alternating rounds).
# Knobs (environment): BENCH_SECONDS (15), WARM_SECONDS (5), BENCH_ROUNDS (3: bound/L1-hit rounds; the machine is
# shared and noisy, one run each is not a comparison), WRK_CONNECTIONS (32), MISS_CONNECTIONS (8),
# WRK_CPU (1: wrk pinned to that core with taskset; empty: unpinned), CATALOGUE (full|small), STAMPEDE_N (burst sizes, "100 20"),
# STAMPEDE_REPEATS (3), ZIPF_RATE (40: the all-in-one on 2 cores answers about 125 unique flight searches/s, and
# the Zipf mix is mostly misses, so 150/s saturates it: 503/504 from the origin's timeouts and breakers), ZIPF_SECONDS (60), BENCH_ROUTE (FRA-JFK), REDIS_URL
# (redis://127.0.0.1:6379; L2 and the second-gateway rows need it), BENCH_PORT_BASE (19080).
# Output: the table on stdout and in load-tests/target/bench/<time>/table.md, raw tool output beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

BENCH_SECONDS=${BENCH_SECONDS:-15}
WARM_SECONDS=${WARM_SECONDS:-5}
BENCH_ROUNDS=${BENCH_ROUNDS:-3}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
MISS_CONNECTIONS=${MISS_CONNECTIONS:-8}
WRK_CPU=${WRK_CPU-1}
CATALOGUE=${CATALOGUE:-full}
STAMPEDE_N=${STAMPEDE_N:-"100 20"}
STAMPEDE_REPEATS=${STAMPEDE_REPEATS:-3}
ZIPF_RATE=${ZIPF_RATE:-40}
ZIPF_SECONDS=${ZIPF_SECONDS:-60}
BENCH_ROUTE=${BENCH_ROUTE:-FRA-JFK}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
P=${BENCH_PORT_BASE:-19080}
GW1=$P; USERS=$((P + 1)); FLIGHTS=$((P + 2)); HOTELS=$((P + 3)); CARS=$((P + 4)); REVIEWS=$((P + 5))
GW2=$((P + 10)); GW3=$((P + 11)); BOUND=$((P + 19))

OUT="$ROOT/load-tests/target/bench/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
pids=()
# shellcheck source=load-tests/bench/lib.sh
source "$ROOT/load-tests/bench/lib.sh"

require_bench_preconditions $GW1 $USERS $FLIGHTS $HOTELS $CARS $REVIEWS $GW2 $GW3 $BOUND
APP_JAR=verticles/app/target/tarifa-app-all.jar
GW_JAR=verticles/gateway/target/tarifa-gateway-all.jar
[ -f "$APP_JAR" ] && [ -f "$GW_JAR" ] || die "build first: mvn -B -q -DskipTests install"
# Run private copies: a rebuild in this checkout while the bench runs replaces the jars under the running JVMs
# (classes not loaded yet then fail with NoClassDefFoundError). Removed on exit.
mkdir -p "$OUT/jars"
cp "$APP_JAR" "$OUT/jars/app.jar" && cp "$GW_JAR" "$OUT/jars/gateway.jar" || die "copying the platform jars failed"
APP_JAR="$OUT/jars/app.jar"; GW_JAR="$OUT/jars/gateway.jar"
say "compiling load-tests and resolving its classpath"
mvn -B -q -o -pl load-tests compile dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/cp" >"$OUT/mvn.log" 2>&1 \
  || mvn -B -q -pl load-tests compile dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/cp" >"$OUT/mvn.log" 2>&1 \
  || die "load-tests build failed: $OUT/mvn.log"
CP="$ROOT/load-tests/target/classes:$(cat "$OUT/cp")"

redis_ok=false
rhost=$(echo "$REDIS_URL" | sed -E 's#^rediss?://([^@/]*@)?([^:/]+).*#\2#'); rport=$(echo "$REDIS_URL" | sed -nE 's#.*:([0-9]+)/?.*$#\1#p'); rport=${rport:-6379}
(exec 3<>"/dev/tcp/$rhost/$rport") 2>/dev/null && redis_ok=true
PREFIX="bench$(date +%s):"

clean_env=()
for v in $(compgen -e | grep '^TARIFA_' || true); do clean_env+=(-u "$v"); done
common=(TARIFA_RATE_LIMIT_RPS=1000000 TARIFA_RATE_LIMIT_BURST=1000000 TARIFA_CACHE_PREFIX="$PREFIX" TARIFA_LOG_LEVEL=WARN)
$redis_ok && common+=(TARIFA_REDIS_URL="$REDIS_URL")
upstreams=(TARIFA_USERS_URL=http://127.0.0.1:$USERS TARIFA_FLIGHTS_URL=http://127.0.0.1:$FLIGHTS TARIFA_HOTELS_URL=http://127.0.0.1:$HOTELS
  TARIFA_CARS_URL=http://127.0.0.1:$CARS TARIFA_REVIEWS_URL=http://127.0.0.1:$REVIEWS)


say "starting the all-in-one platform ($CATALOGUE catalogue, Redis: $redis_ok)"
env "${clean_env[@]}" "${common[@]}" "${upstreams[@]}" TARIFA_GATEWAY_PORT=$GW1 TARIFA_USERS_PORT=$USERS TARIFA_FLIGHTS_PORT=$FLIGHTS \
  TARIFA_HOTELS_PORT=$HOTELS TARIFA_CARS_PORT=$CARS TARIFA_REVIEWS_PORT=$REVIEWS TARIFA_CATALOGUE_SIZE=$CATALOGUE \
  java -Xmx1g -jar "$APP_JAR" >"$OUT/app.log" 2>&1 &
pids+=($!); app=$!
t0=$SECONDS
wait_ready "http://127.0.0.1:$GW1" "$app" 900
say "platform ready after $((SECONDS - t0)) s"
if $redis_ok; then
  env "${clean_env[@]}" "${common[@]}" "${upstreams[@]}" TARIFA_GATEWAY_PORT=$GW2 TARIFA_CACHE_L1_MAX_BYTES=1 \
    java -Xmx256m -jar "$GW_JAR" >"$OUT/gateway-l2only.log" 2>&1 &
  pids+=($!); wait_ready "http://127.0.0.1:$GW2" "$!" 120
  env "${clean_env[@]}" "${common[@]}" "${upstreams[@]}" TARIFA_GATEWAY_PORT=$GW3 \
    java -Xmx256m -jar "$GW_JAR" >"$OUT/gateway-2.log" 2>&1 &
  pids+=($!); wait_ready "http://127.0.0.1:$GW3" "$!" 120
fi

BASE_DATE=$(date -u +%F)
day() { date -u -d "$BASE_DATE + $1 days" +%F; }
FROM=${BENCH_ROUTE%-*}; TO=${BENCH_ROUTE#*-}
PATH_HOT="/api/v1/flights/search?from=$FROM&to=$TO&date=$(day 30)&adults=1"
curl -s -o /dev/null "http://127.0.0.1:$GW1$PATH_HOT"
curl -s -D "$OUT/hot.headers" -o "$OUT/hot.body" "http://127.0.0.1:$GW1$PATH_HOT"
grep -qi '^x-cache: HIT-L1' "$OUT/hot.headers" || say "warning: second fetch of the hot key was not HIT-L1: $(grep -i '^x-cache' "$OUT/hot.headers" || echo no X-Cache)"
grep -q '^HTTP/1.1 200' "$OUT/hot.headers" || die "hot search did not answer 200: $(head -c 300 "$OUT/hot.body")"
say "hot key $PATH_HOT: $(wc -c <"$OUT/hot.body") bytes"
java -Xmx256m -cp "$CP" dev.tarifa.loadtests.BoundServer $BOUND "$OUT/hot.body" "$OUT/hot.headers" >"$OUT/bound.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$BOUND/" && break; sleep 0.2; done

pin=(); [ -n "$WRK_CPU" ] && command -v taskset >/dev/null && pin=(taskset -c "$WRK_CPU")
# wrk LABEL CONNECTIONS URL [LUA]: warm-up, then the measured run; prints "rps p50 p99" (ms).
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}'; }
run_wrk() {
  local label=$1 conns=$2 url=$3 lua=${4:-}
  local args=(-t1 -c"$conns" --latency)
  [ -n "$lua" ] && args+=(-s "$lua")
  "${pin[@]}" wrk "${args[@]}" -d"${WARM_SECONDS}s" "$url" >"$OUT/wrk-$label-warm.txt" 2>&1 || true
  "${pin[@]}" wrk "${args[@]}" -d"${BENCH_SECONDS}s" "$url" >"$OUT/wrk-$label.txt" 2>&1 || die "wrk $label failed"
  local rps p50 p99 errs
  rps=$(awk '/^Requests\/sec/{print $2}' "$OUT/wrk-$label.txt")
  p50=$(awk '$1=="50%"{print $2}' "$OUT/wrk-$label.txt" | to_ms)
  p99=$(awk '$1=="99%"{print $2}' "$OUT/wrk-$label.txt" | to_ms)
  errs=$(awk '/Non-2xx|Socket errors/{printf "%s ", $0}' "$OUT/wrk-$label.txt")
  [ -n "$errs" ] && say "$label: $errs"
  if [ "$(awk -v r="${rps:-0}" 'BEGIN{print (r > 0) ? 1 : 0}')" = 0 ]; then say "warning: $label: no request completed (see $OUT/wrk-$label.txt)"; fi
  echo "$rps $p50 $p99"
}

say "1/3 bound vs L1 hit ($BENCH_ROUNDS rounds), L2 hit, miss ($BENCH_SECONDS s each after $WARM_SECONDS s warm-up; wrk -t1 ${pin[*]:+pinned to CPU $WRK_CPU})"
# Alternating rounds, each run with its own warm-up; per round "ratio round b_rps b_p50 b_p99 l1_rps l1_p50 l1_p99".
rounds=()
for r in $(seq 1 "$BENCH_ROUNDS"); do
  read -r rb_rps rb_p50 rb_p99 < <(run_wrk "bound-r$r" "$WRK_CONNECTIONS" "http://127.0.0.1:$BOUND$PATH_HOT")
  read -r rl_rps rl_p50 rl_p99 < <(run_wrk "l1-hit-r$r" "$WRK_CONNECTIONS" "http://127.0.0.1:$GW1$PATH_HOT")
  ratio=$(awk -v a="$rl_rps" -v b="$rb_rps" 'BEGIN{printf "%.1f", (b > 0) ? 100*a/b : 0}')
  say "round $r: bound $rb_rps req/s, L1 hit $rl_rps req/s, $ratio %"
  rounds+=("$ratio $r $rb_rps $rb_p50 $rb_p99 $rl_rps $rl_p50 $rl_p99")
done
# The median-ratio round (an even count: the lower of the two middle ones).
median_round=$(printf '%s\n' "${rounds[@]}" | LC_ALL=C sort -n -k1,1 | sed -n "$(( (BENCH_ROUNDS + 1) / 2 ))p")
read -r l1_ratio b_round b_rps b_p50 b_p99 l1_rps l1_p50 l1_p99 <<<"$median_round"
rounds_line=""
for r in $(seq 1 "$BENCH_ROUNDS"); do
  for entry in "${rounds[@]}"; do
    read -r e_ratio e_r e_b _ _ e_l1 _ _ <<<"$entry"
    if [ "$e_r" = "$r" ]; then rounds_line+="${rounds_line:+; }round $r: $e_b / $e_l1 / $e_ratio %"; fi
  done
done
l2_row="| gateway, L2 hit (L1 1 byte) | n/a: no Redis at $REDIS_URL | | | |"
if $redis_ok; then
  curl -s -m 30 -D "$OUT/l2.headers" -o /dev/null "http://127.0.0.1:$GW2$PATH_HOT" || say "warning: the L2-only gateway's sample request failed (curl exit $?)"
  l2_cache=$(awk -F': ' 'tolower($1)=="x-cache"{gsub("\r","",$2); print $2}' "$OUT/l2.headers" 2>/dev/null || true)
  read -r l2_rps l2_p50 l2_p99 < <(run_wrk l2-hit "$WRK_CONNECTIONS" "http://127.0.0.1:$GW2$PATH_HOT")
  l2_row="| gateway, L2 hit (L1 1 byte; sample X-Cache: ${l2_cache:-none}) | $l2_rps | $l2_p50 | $l2_p99 | $(awk -v a="$l2_rps" -v b="$b_rps" 'BEGIN{printf "%.0f %%", 100*a/b}') |"
fi
java -cp "$CP" -DcatalogueSize="$CATALOGUE" dev.tarifa.loadtests.QueryMixMain routes >"$OUT/routes.txt"
cat >"$OUT/miss.lua" <<LUA
-- Unique keys: every request a route/date/adults combination never asked before in this run (dates past the
-- Zipf campaign's 180-day horizon, a random start so reruns against the same Redis stay cold).
local routes = {}
for line in io.lines("$OUT/routes.txt") do
  local f, t = line:match("(%a+) (%a+)")
  routes[#routes + 1] = {f, t}
end
local base = os.time({year = ${BASE_DATE:0:4}, month = tonumber("${BASE_DATE:5:2}"), day = tonumber("${BASE_DATE:8:2}"), hour = 12})
local n = $RANDOM * 7919
request = function()
  n = n + 1
  local r = routes[(n % #routes) + 1]
  local d = os.date("!%Y-%m-%d", base + (181 + (math.floor(n / #routes) % 180)) * 86400)
  local adults = 1 + (math.floor(n / (#routes * 180)) % 4)
  return wrk.format("GET", "/api/v1/flights/search?from=" .. r[1] .. "&to=" .. r[2] .. "&date=" .. d .. "&adults=" .. adults)
end
LUA
read -r m_rps m_p50 m_p99 < <(run_wrk miss "$MISS_CONNECTIONS" "http://127.0.0.1:$GW1" "$OUT/miss.lua")

# ---- compressed answers (issue 15, item 4): bytes per answer and the L1 hit with Accept-Encoding: gzip ------------
# Identity and gzip L1 hits alternate for BENCH_ROUNDS rounds of their own (the table shows the median gzip/identity
# ratio). The gzip requests carry the header through a wrk script; the answers are the cached gzip form, as-is.
curl -s -H 'Accept-Encoding: gzip' -D "$OUT/hot-gzip.headers" -o "$OUT/hot-gzip.body" "http://127.0.0.1:$GW1$PATH_HOT"
gz_enc=$(awk -F': ' 'tolower($1)=="content-encoding"{gsub("\r","",$2); print $2}' "$OUT/hot-gzip.headers")
printf 'wrk.headers["Accept-Encoding"] = "gzip"\n' >"$OUT/gzip.lua"
gz_rounds=()
for r in $(seq 1 "$BENCH_ROUNDS"); do
  read -r gi_rps gi_p50 gi_p99 < <(run_wrk "l1-identity-r$r" "$WRK_CONNECTIONS" "http://127.0.0.1:$GW1$PATH_HOT")
  read -r gg_rps gg_p50 gg_p99 < <(run_wrk "l1-gzip-r$r" "$WRK_CONNECTIONS" "http://127.0.0.1:$GW1$PATH_HOT" "$OUT/gzip.lua")
  gz_ratio=$(awk -v a="$gg_rps" -v b="$gi_rps" 'BEGIN{printf "%.1f", (b > 0) ? 100*a/b : 0}')
  say "gzip round $r: L1 hit identity $gi_rps req/s, gzip $gg_rps req/s, $gz_ratio %"
  gz_rounds+=("$gz_ratio $r $gi_rps $gi_p50 $gi_p99 $gg_rps $gg_p50 $gg_p99")
done
read -r gz_ratio gz_round gi_rps gi_p50 gi_p99 gg_rps gg_p50 gg_p99 <<<"$(printf '%s\n' "${gz_rounds[@]}" | LC_ALL=C sort -n -k1,1 | sed -n "$(( (BENCH_ROUNDS + 1) / 2 ))p")"
gz_section="Compressed answers, hot key: identity $(wc -c <"$OUT/hot.body") bytes, gzip $(wc -c <"$OUT/hot-gzip.body") bytes (Content-Encoding: ${gz_enc:-none}). L1 hit, identity / Accept-Encoding: gzip, round $gz_round of $BENCH_ROUNDS (median gzip/identity ratio): $gi_rps / $gg_rps req/s, p50 $gi_p50 / $gg_p50 ms, p99 $gi_p99 / $gg_p99 ms, gzip $gz_ratio % of identity; every round: $(printf '%s\n' "${gz_rounds[@]}" | LC_ALL=C sort -n -k2,2 | awk '{printf "%s%s / %s / %s %%", (NR > 1 ? "; " : ""), $3, $6, $1}')."
# ---- end of compressed answers -------------------------------------------------------------------------------------

say "2/3 cold stampedes: $STAMPEDE_N identical searches x $STAMPEDE_REPEATS on 1 and 2 gateways"
# Connections are warmed on the hot key (same answer size as the stampede's): the first large answer on a fresh
# connection costs extra (socket buffers grow), which would be charged to coalescing otherwise.
stampede() { java -Dstampede.warmPath="$PATH_HOT" -cp "$CP" dev.tarifa.loadtests.Stampede "$@"; }
# The floor: the same burst of identical requests against the bound server (every answer ready at once).
stampede_rows=""
floors=""
k=0
gw3_warm=false
for sn in $STAMPEDE_N; do
floor_line=$(stampede "$sn" "$PATH_HOT" "http://127.0.0.1:$BOUND" 2>>"$OUT/stampede.log" | tee -a "$OUT/stampede.txt") || die "Stampede (floor) failed: $OUT/stampede.log"
floors+="${floors:+; }$sn requests: $(echo "$floor_line" | tr ' ' '\n' | awk -F= '$1=="spreadP99Ms"{print $2}') ms"
for gws in 1 2; do
  [ "$gws" = 2 ] && ! $redis_ok && { stampede_rows+="| $sn | 2 gateways | n/a: no Redis | | | | |"$'\n'; continue; }
  targets=("http://127.0.0.1:$GW1"); [ "$gws" = 2 ] && targets+=("http://127.0.0.1:$GW3")
  if [ "$gws" = 2 ] && ! $gw3_warm; then
    gw3_warm=true
    # The second gateway has served nothing yet: warm its JIT (L1-hit path on the hot key, then a few unique-key
    # misses; none of them a stampede key) so the first 2-gateway run does not measure a cold JVM.
    "${pin[@]}" wrk -t1 -c8 -d3s "http://127.0.0.1:$GW3$PATH_HOT" >"$OUT/wrk-gw3-warm-hit.txt" 2>&1 || say "warning: GW3 warm-up (hits) failed"
    "${pin[@]}" wrk -t1 -c2 -d2s -s "$OUT/miss.lua" "http://127.0.0.1:$GW3" >"$OUT/wrk-gw3-warm-miss.txt" 2>&1 || say "warning: GW3 warm-up (misses) failed"
  fi
  for rep in $(seq 1 "$STAMPEDE_REPEATS"); do
    k=$((k + 1))
    # A key nobody asked for: 5+ adults are never in the other phases.
    path="/api/v1/flights/search?from=$FROM&to=$TO&date=$(day $((30 + k)))&adults=$((4 + (k % 5) + 1))"
    line=$(stampede "$sn" "$path" "${targets[@]}" 2>>"$OUT/stampede.log" | tee -a "$OUT/stampede.txt") \
      || die "Stampede failed: $OUT/stampede.log"
    say "$(tail -n 1 "$OUT/stampede.log")"
    get() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k{print $2}'; }
    leader=$(get leaderMs); misses=$(get missMs)
    if [[ "$misses" == *,* ]]; then leader+=" (every MISS: $misses)"; fi
    stampede_rows+="| $sn | $gws gateway(s), run $rep | $(get originCalls) | $(get outcomes) | $leader | $(get waiterAddedP50Ms) / $(get waiterAddedP95Ms) / $(get waiterAddedP99Ms) | $(get waiterServerP50Ms) / $(get waiterServerP99Ms) |"$'\n'
  done
done
done

say "3/3 Zipf campaign: $ZIPF_RATE searches/s (60/25/15) for $ZIPF_SECONDS s, Gatling open model"
metrics_snapshot() { curl -s "http://127.0.0.1:$GW1/metrics" >"$1"; }
zipf=(-B -ntp -pl load-tests gatling:test -Dgatling.simulationClass=dev.tarifa.loadtests.PriceComparisonSimulation
  -DtestType=smoke -Drate="$ZIPF_RATE" -Dduration="$ZIPF_SECONDS" -DcatalogueSize="$CATALOGUE"
  -DbaseUrl="http://127.0.0.1:$GW1" -Dp95Ms=100000 -Dp99Ms=100000 -DmaxFailedPct=100)
# Offline first (fast); when that run never reached the campaign (typically a Gatling plugin dependency never
# downloaded on this machine), once more online, with a fresh "before" snapshot.
metrics_snapshot "$OUT/metrics-before.txt"
zrc=0; mvn -o "${zipf[@]}" >"$OUT/gatling.txt" 2>&1 || zrc=$?
if [ "$zrc" != 0 ] && ! grep -q '^> request count' "$OUT/gatling.txt"; then
  say "offline Gatling run failed before the campaign ($(grep -m1 '^\[ERROR\]' "$OUT/gatling.txt" | cut -c1-160)); retrying online"
  mv "$OUT/gatling.txt" "$OUT/gatling-offline.txt"
  metrics_snapshot "$OUT/metrics-before.txt"
  zrc=0; mvn "${zipf[@]}" >"$OUT/gatling.txt" 2>&1 || zrc=$?
fi
[ "$zrc" = 0 ] || say "warning: Gatling exited with $zrc (see $OUT/gatling.txt)"
metrics_snapshot "$OUT/metrics-after.txt"
g() { awk -v k="$1" 'index($0, "> " k) == 1 {gsub(/,/,""); n=split($0, a, "|"); v=a[2]; gsub(/ /,"",v); print v; exit}' "$OUT/gatling.txt"; }
z_req=$(g "request count"); z_ko=$(awk 'index($0, "> request count")==1{gsub(/,/,""); split($0,a,"|"); v=a[4]; gsub(/ /,"",v); print v; exit}' "$OUT/gatling.txt")
z_rps=$(g "mean throughput (rps)"); z_p50=$(g "response time 50th percentile (ms)"); z_p95=$(g "response time 95th percentile (ms)"); z_p99=$(g "response time 99th percentile (ms)")
if [ "$z_ko" = "-" ]; then z_ko=0; fi # Gatling prints "-" for none
if [ -z "$z_req" ]; then
  say "warning: no Gatling statistics in $OUT/gatling.txt"
  z_req="n/a: Gatling failed, see gatling.txt"
fi
layer() { # result label -> delta
  local a b
  a=$(grep '^tarifa_cache_lookups_total' "$OUT/metrics-before.txt" | grep "result=\"$1\"" | awk '{s+=$NF} END{print s+0}')
  b=$(grep '^tarifa_cache_lookups_total' "$OUT/metrics-after.txt" | grep "result=\"$1\"" | awk '{s+=$NF} END{print s+0}')
  awk -v a="$a" -v b="$b" 'BEGIN{print b-a}'
}
hl1=$(layer hit_l1); hl2=$(layer hit_l2); miss=$(layer miss); stale=$(layer stale); coal=$(layer coalesced)
tot=$(awk -v a="$hl1" -v b="$hl2" -v c="$miss" -v d="$stale" -v e="$coal" 'BEGIN{print a+b+c+d+e}')
pctof() { awk -v a="$1" -v t="$tot" 'BEGIN{if (t>0) printf "%.1f %%", 100*a/t; else print "n/a"}'; }

{
  echo "### Benchmark, $(date -u +%F) ($(nproc) cores, shared and noisy; catalogue $CATALOGUE; Redis: $redis_ok)"
  echo
  echo "wrk -t1 -c$WRK_CONNECTIONS (miss: -c$MISS_CONNECTIONS), ${BENCH_SECONDS} s after ${WARM_SECONDS} s warm-up${pin[*]:+, wrk pinned to CPU $WRK_CPU}; hot key \`$PATH_HOT\` ($(wc -c <"$OUT/hot.body") bytes)."
  echo
  echo "| path | req/s | p50 ms | p99 ms | of bound |"
  echo "|---|---:|---:|---:|---:|"
  echo "| bound: minimal Vert.x server, same bytes | $b_rps | $b_p50 | $b_p99 | 100 % |"
  echo "| gateway, L1 hit | $l1_rps | $l1_p50 | $l1_p99 | $(awk -v a="$l1_rps" -v b="$b_rps" 'BEGIN{printf "%.0f %%", 100*a/b}') |"
  echo "$l2_row"
  echo "| gateway, miss (unique keys, -c$MISS_CONNECTIONS) | $m_rps | $m_p50 | $m_p99 | $(awk -v a="$m_rps" -v b="$b_rps" 'BEGIN{printf "%.1f %%", 100*a/b}') |"
  echo
  echo "Bound and L1 hit: round $b_round of $BENCH_ROUNDS (the median L1/bound ratio; L2 hit and miss, one run each, against its bound). Every round, bound / L1 hit req/s / ratio: $rounds_line."
  echo
  echo "Cold stampede: bursts of $STAMPEDE_N identical searches released at once on a fresh key (2 gateways: split evenly, sharing Redis)."
  echo
  echo "Leader: the first MISS to complete, its latency. A waiter's added latency: its completion instant minus the leader's (all requests of a burst written at once from one event loop on warmed keep-alive connections; negative: completed before the leader). Server side: each waiter's Server-Timing, the gateway's delay between the shared answer being ready in that gateway and the waiter's response being written."
  echo
  echo "| burst | gateways, run | origin calls | X-Cache outcomes | leader (first MISS) ms | waiters (COALESCED) added latency p50 / p95 / p99 ms | server side (Server-Timing) p50 / p99 ms |"
  echo "|---:|---|---:|---|---|---|---|"
  printf '%s' "$stampede_rows"
  echo
  echo "Floor: the same burst against the bound server (all answers ready at once) completes within, p99 after its first answer: $floors; that is what writing and reading that many answers at once costs on this machine."
  echo
  echo "Zipf campaign: $ZIPF_RATE searches/s (flights/hotels/cars 60/25/15, open model) for $ZIPF_SECONDS s after a 10 s ramp, gateway 1."
  echo
  echo "| requests | failed (KO) | throughput req/s | p50 ms | p95 ms | p99 ms | L1 hit | L2 hit | coalesced | stale | miss |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  echo "| $z_req | $z_ko | $z_rps | $z_p50 | $z_p95 | $z_p99 | $(pctof "$hl1") | $(pctof "$hl2") | $(pctof "$coal") | $(pctof "$stale") | $(pctof "$miss") |"
  echo; echo "$gz_section" # compressed answers (issue 15, item 4)
} | tee "$OUT/table.md"
say "raw output in $OUT"
