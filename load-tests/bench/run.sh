#!/usr/bin/env bash
# The benchmark harness: one command, one machine, one table with ratios.
#   load-tests/bench/run.sh
#   BASELINE=<git rev> load-tests/bench/run.sh       # the same rounds on a second build, side by side
#   BENCH_PHASES=zipf ZIPF_SECONDS=10m ZIPF_RATE=60 load-tests/bench/run.sh   # a Zipf campaign alone
#   BENCH_PHASES=zipfmax load-tests/bench/run.sh     # the highest Zipf rate with 0 failures and p99 <= 500 ms
# Starts the all-in-one platform (full catalogue by default) plus two stand-alone gateways on the same services
# and Redis (one with L1 shrunk to 1 byte, so every hit comes from L2; one ordinary, the second replica of the
# stampede), a minimal Vert.x server replaying the bytes of a cached flight search (the bound), then measures, by
# phase (BENCH_PHASES, default "wrk stampede zipf"; "zipfmax" too on request):
#   wrk: BENCH_ROUNDS rounds, each: the bound, then every row of WRK_ROWS (L1 hit, L1 hit with Accept-Encoding: gzip,
#      L2 hit, miss on unique keys); the table also gives the hot answer's bytes, identity and gzip;
#      each run with its own warm-up; the table shows the round with the median L1/bound ratio, every round listed;
#   stampede: cold stampedes of STAMPEDE_N identical searches against 1 and 2 gateways (origin calls, leader's
#      latency, waiters' added latency; Stampede: one Vert.x event loop, a keep-alive connection per request warmed
#      on the hot key; the same burst against the bound server gives the floor); the candidate only;
#   zipf: a Zipf campaign at a fixed arrival rate (Gatling, open model): throughput, p50/p95/p99, hit ratio per layer;
#   zipfmax: the highest Zipf arrival rate with 0 failed requests and p99 <= ZIPFMAX_P99_MS: short Gatling runs
#      (10 s ramp, then ZIPFMAX_SECONDS at the rate), doubling from ZIPFMAX_START until one fails (or
#      ZIPFMAX_LIMIT passes), then ZIPFMAX_STEPS bisection steps; each probe its own seed (the cache stays warm from
#      the probes before, as in real traffic), ZIPFMAX_COOLDOWN s of quiet between probes.
# Baseline mode, BASELINE=<git rev>: that revision is built (git archive into load-tests/target/baseline-<sha>,
# then mvn package of the app and gateway there; kept and reused for the same sha) and started as a second
# platform on BASELINE_PORT_BASE (BENCH_PORT_BASE + 50), with its own key prefix in Redis and its own embedded
# PostgreSQL; both stay up, and every wrk row runs on both sides in the same round, back to back (rounds alternate
# which side goes first), the Zipf campaign on each in turn (same seed), zipfmax probes interleaved. The side not
# being measured is idle: its CPU during the other's runs is measured and reported. The load generators are this
# checkout's for both sides. The tables gain a comparison: candidate / baseline, the median of the per-round ratios
# and every round's ratio (an A/A run, BASELINE=HEAD, shows the harness's own spread).
# Knobs (environment): BENCH_SECONDS (15), WARM_SECONDS (5), BENCH_ROUNDS (3: the machine is shared and noisy,
# one run each is not a comparison), WRK_CONNECTIONS (32), MISS_CONNECTIONS (8),
# WRK_CPU (1: wrk pinned to that core with taskset; empty: unpinned), CATALOGUE (full|small), STAMPEDE_N (burst sizes, "100 20"),
# STAMPEDE_REPEATS (3), ZIPF_RATE (40: the all-in-one on 2 cores answers about 125 unique flight searches/s, and
# the Zipf mix is mostly misses, so 150/s saturates it: 503/504 from the origin's timeouts and breakers), ZIPF_SECONDS
# (60; Gatling durations such as 10m too), ZIPFMAX_START (20), ZIPFMAX_LIMIT (640), ZIPFMAX_STEPS (3), ZIPFMAX_SECONDS
# (20), ZIPFMAX_P99_MS (500), ZIPFMAX_COOLDOWN (5), BENCH_ROUTE (FRA-JFK), REDIS_URL
# (redis://127.0.0.1:6379; L2 and the second-gateway rows need it), BENCH_PORT_BASE (19080), BASELINE,
# BASELINE_PORT_BASE.
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
ZIPFMAX_START=${ZIPFMAX_START:-20}
ZIPFMAX_LIMIT=${ZIPFMAX_LIMIT:-640}
ZIPFMAX_STEPS=${ZIPFMAX_STEPS:-3}
ZIPFMAX_SECONDS=${ZIPFMAX_SECONDS:-20}
ZIPFMAX_P99_MS=${ZIPFMAX_P99_MS:-500}
ZIPFMAX_COOLDOWN=${ZIPFMAX_COOLDOWN:-5}
BENCH_PHASES=${BENCH_PHASES:-"wrk stampede zipf"}
BENCH_ROUTE=${BENCH_ROUTE:-FRA-JFK}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
BASELINE=${BASELINE:-}
P=${BENCH_PORT_BASE:-19080}
BP=${BASELINE_PORT_BASE:-$((P + 50))}
# The candidate's gateways and the bound by name (the stampede rows use them); port SIDE SERVICE for any side's.
# shellcheck disable=SC2034
GW1=$P GW2=$((P + 10)) GW3=$((P + 11)) BOUND=$((P + 19))

OUT="$ROOT/load-tests/target/bench/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
pids=()
# shellcheck source=load-tests/bench/lib.sh
source "$ROOT/load-tests/bench/lib.sh"

phase() { [[ " $BENCH_PHASES " == *" $1 "* ]]; }
for ph in $BENCH_PHASES; do
  case "$ph" in wrk|stampede|zipf|zipfmax) ;; *) die "unknown phase '$ph' in BENCH_PHASES (wrk stampede zipf zipfmax)" ;; esac
done
for knob in ZIPFMAX_START ZIPFMAX_LIMIT ZIPFMAX_STEPS ZIPFMAX_SECONDS ZIPFMAX_P99_MS ZIPFMAX_COOLDOWN; do
  [[ "${!knob}" =~ ^[0-9]+$ ]] || die "$knob must be a non-negative integer, not '${!knob}'"
done

# Sides: "cand" is this checkout (ports from P), "base" the BASELINE build (ports from BP).
sides=(cand)
declare -A PORT_BASE=([cand]=$P [base]=$BP)
declare -A PORT_OFFSET=([gw1]=0 [users]=1 [flights]=2 [hotels]=3 [cars]=4 [reviews]=5 [gw2]=10 [gw3]=11)
port() { echo $((PORT_BASE[$1] + PORT_OFFSET[$2])); } # side service
url() { echo "http://127.0.0.1:$(port "$1" "$2")"; }
# Raw-output file prefix of a side: none for the candidate (the file names of a run without a baseline).
tag() { if [ "$1" = base ]; then echo "base-"; fi; }
declare -A SIDE_NAME=([cand]="candidate $(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')")
ports=()
for svc in "${!PORT_OFFSET[@]}"; do ports+=("$(port cand "$svc")"); done
if [ -n "$BASELINE" ]; then
  base_sha=$(git rev-parse --verify -q "$BASELINE^{commit}") || die "BASELINE=$BASELINE is not a commit of this repository"
  sides=(base cand)
  SIDE_NAME[base]="baseline ${base_sha:0:12}"
  for svc in "${!PORT_OFFSET[@]}"; do ports+=("$(port base "$svc")"); done
fi
require_bench_preconditions "${ports[@]}" "$BOUND"

# The baseline's jars: built once per commit into load-tests/target/baseline-<sha> (a source tree from git archive;
# only the app and the gateway, with what they need, are packaged; nothing is installed into ~/.m2).
build_baseline() { # sha -> the folder on stdout
  local dir="$ROOT/load-tests/target/baseline-${1:0:12}"
  if [ -f "$dir/.built" ]; then say "baseline ${1:0:12}: reusing the build in $dir"; echo "$dir"; return; fi
  say "baseline ${1:0:12}: building into $dir (log: $dir.build.log)"
  rm -rf "$dir" && mkdir -p "$dir"
  git archive "$1" | tar -x -C "$dir" || die "git archive of $1 failed"
  # -pl takes a comma-separated list.
  # shellcheck disable=SC2054
  local mvn_args=(-B -q -DskipTests -pl verticles/app,verticles/gateway -am package)
  (cd "$dir" && { mvn -o "${mvn_args[@]}" || mvn "${mvn_args[@]}"; }) >"$dir.build.log" 2>&1 || die "baseline build failed: $dir.build.log"
  touch "$dir/.built"
  echo "$dir"
}

APP_JAR=verticles/app/target/tarifa-app-all.jar
GW_JAR=verticles/gateway/target/tarifa-gateway-all.jar
if [ ! -f "$APP_JAR" ] || [ ! -f "$GW_JAR" ]; then die "build first: mvn -B -q -DskipTests -pl verticles/app,verticles/gateway -am package"; fi
# Run private copies: a rebuild in this checkout while the bench runs replaces the jars under the running JVMs
# (classes not loaded yet then fail with NoClassDefFoundError). Removed on exit.
mkdir -p "$OUT/jars"
{ cp "$APP_JAR" "$OUT/jars/cand-app.jar" && cp "$GW_JAR" "$OUT/jars/cand-gateway.jar"; } || die "copying the platform jars failed"
if [ -n "$BASELINE" ]; then
  base_dir=$(build_baseline "$base_sha")
  { cp "$base_dir/$APP_JAR" "$OUT/jars/base-app.jar" && cp "$base_dir/$GW_JAR" "$OUT/jars/base-gateway.jar"; } \
    || die "the baseline build has no $APP_JAR or $GW_JAR"
fi
say "compiling load-tests (and tarifa-shared from this tree) and resolving its classpath"
# -am: tarifa-shared comes from this tree, not from ~/.m2. Test scope: the Gatling simulations run from it directly.
lt=(-B -q -pl load-tests -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp")
mvn -o "${lt[@]}" >"$OUT/mvn.log" 2>&1 || mvn "${lt[@]}" >"$OUT/mvn.log" 2>&1 || die "load-tests build failed: $OUT/mvn.log"
CP="$ROOT/load-tests/target/test-classes:$ROOT/load-tests/target/classes:$(cat "$OUT/cp")"

redis_ok=false
rhost=$(echo "$REDIS_URL" | sed -E 's#^rediss?://([^@/]*@)?([^:/]+).*#\2#'); rport=$(echo "$REDIS_URL" | sed -nE 's#.*:([0-9]+)/?.*$#\1#p'); rport=${rport:-6379}
(exec 3<>"/dev/tcp/$rhost/$rport") 2>/dev/null && redis_ok=true
PREFIX="bench$(date +%s):"

clean_env=()
for v in $(compgen -e | grep '^TARIFA_' || true); do clean_env+=(-u "$v"); done
common=(TARIFA_RATE_LIMIT_RPS=1000000 TARIFA_RATE_LIMIT_BURST=1000000 TARIFA_LOG_LEVEL=WARN)
$redis_ok && common+=(TARIFA_REDIS_URL="$REDIS_URL")
declare -A SIDE_PIDS=()
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

start_side() { # side: the all-in-one, then (with Redis) the L2-only gateway and the second replica
  local s=$1 t; t=$(tag "$1")
  local side_env=("${common[@]}" TARIFA_CACHE_PREFIX="$PREFIX$s:"
    TARIFA_USERS_URL="$(url "$s" users)" TARIFA_FLIGHTS_URL="$(url "$s" flights)" TARIFA_HOTELS_URL="$(url "$s" hotels)"
    TARIFA_CARS_URL="$(url "$s" cars)" TARIFA_REVIEWS_URL="$(url "$s" reviews)")
  say "starting the $s all-in-one platform (${SIDE_NAME[$s]}, $CATALOGUE catalogue, Redis: $redis_ok)"
  env "${clean_env[@]}" "${side_env[@]}" TARIFA_GATEWAY_PORT="$(port "$s" gw1)" TARIFA_USERS_PORT="$(port "$s" users)" \
    TARIFA_FLIGHTS_PORT="$(port "$s" flights)" TARIFA_HOTELS_PORT="$(port "$s" hotels)" TARIFA_CARS_PORT="$(port "$s" cars)" \
    TARIFA_REVIEWS_PORT="$(port "$s" reviews)" TARIFA_CATALOGUE_SIZE="$CATALOGUE" \
    java -Xmx1g -jar "$OUT/jars/$s-app.jar" >"$OUT/${t}app.log" 2>&1 &
  pids+=($!); SIDE_PIDS[$s]=$!
  local app=$! t0=$SECONDS
  wait_ready "$(url "$s" gw1)" "$app" 900
  say "$s platform ready after $((SECONDS - t0)) s"
  if $redis_ok; then
    env "${clean_env[@]}" "${side_env[@]}" TARIFA_GATEWAY_PORT="$(port "$s" gw2)" TARIFA_CACHE_L1_MAX_BYTES=1 \
      java -Xmx256m -jar "$OUT/jars/$s-gateway.jar" >"$OUT/${t}gateway-l2only.log" 2>&1 &
    pids+=($!); SIDE_PIDS[$s]+=" $!"; wait_ready "$(url "$s" gw2)" "$!" 600
    env "${clean_env[@]}" "${side_env[@]}" TARIFA_GATEWAY_PORT="$(port "$s" gw3)" \
      java -Xmx256m -jar "$OUT/jars/$s-gateway.jar" >"$OUT/${t}gateway-2.log" 2>&1 &
    pids+=($!); SIDE_PIDS[$s]+=" $!"; wait_ready "$(url "$s" gw3)" "$!" 600
  fi
}
for s in "${sides[@]}"; do start_side "$s"; done
# CPU ticks of every side but the given one (the idle side while one is measured).
others_ticks() { # side
  local o ps=()
  for o in "${sides[@]}"; do
    # shellcheck disable=SC2206 # pids, one per word
    [ "$o" != "$1" ] && ps+=(${SIDE_PIDS[$o]})
  done
  if [ ${#ps[@]} = 0 ]; then echo 0; else cpu_ticks "${ps[@]}"; fi
}
HZ=$(getconf CLK_TCK)

BASE_DATE=$(date -u +%F)
day() { date -u -d "$BASE_DATE + $1 days" +%F; }
FROM=${BENCH_ROUTE%-*}; TO=${BENCH_ROUTE#*-}
PATH_HOT="/api/v1/flights/search?from=$FROM&to=$TO&date=$(day 30)&adults=1"
declare -A L2_CACHE=()
for s in "${sides[@]}"; do
  t=$(tag "$s")
  curl -s -o /dev/null "$(url "$s" gw1)$PATH_HOT"
  curl -s -D "$OUT/${t}hot.headers" -o "$OUT/${t}hot.body" "$(url "$s" gw1)$PATH_HOT"
  grep -qi '^x-cache: HIT-L1' "$OUT/${t}hot.headers" || say "warning: $s: second fetch of the hot key was not HIT-L1: $(grep -i '^x-cache' "$OUT/${t}hot.headers" || echo no X-Cache)"
  grep -q '^HTTP/1.1 200' "$OUT/${t}hot.headers" || die "$s: hot search did not answer 200: $(head -c 300 "$OUT/${t}hot.body")"
  say "$s: hot key $PATH_HOT: $(wc -c <"$OUT/${t}hot.body") bytes"
  if $redis_ok; then
    curl -s -m 30 -D "$OUT/${t}l2.headers" -o /dev/null "$(url "$s" gw2)$PATH_HOT" || say "warning: $s: the L2-only gateway's sample request failed (curl exit $?)"
    L2_CACHE[$s]=$(awk -F': ' 'tolower($1)=="x-cache"{gsub("\r","",$2); print $2}' "$OUT/${t}l2.headers" 2>/dev/null || true)
  fi
done
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
  echo "${rps:-0} ${p50:-0} ${p99:-0}"
}
pct() { awk -v a="$1" -v b="$2" -v d="${3:-0}" 'BEGIN{if (b > 0) printf "%." d "f %%", 100*a/b; else print "n/a"}'; } # a b [decimals]
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{if (b > 0) printf "%.2f", a/b; else print "n/a"}'; }

java -cp "$CP" -DcatalogueSize="$CATALOGUE" dev.tarifa.loadtests.QueryMixMain routes >"$OUT/routes.txt"
# miss_lua N: a wrk script of unique keys, the N-th block of a million (every run its own block, both sides of a
# round the same one: the same cold keys, each side having its own cache).
MISS_START=$((RANDOM * 16))
miss_lua() {
  write_miss_lua "$OUT/miss-$1.lua" "$OUT/routes.txt" "$BASE_DATE" $((MISS_START + $1))
  echo "$OUT/miss-$1.lua"
}

# Rows measured with wrk, every round, on every side. A row NAME has row_NAME SIDE ROUND (prints "rps p50 p99", from
# run_wrk with a label unique to side and round) and label_NAME SIDE (the table's first cell); ROW_DECIMALS[NAME]
# sets the "of bound" precision (0 by default). To add a row: define both and append NAME to WRK_ROWS.
row_l1() { run_wrk "$(tag "$1")l1-hit-r$2" "$WRK_CONNECTIONS" "$(url "$1" gw1)$PATH_HOT"; }
label_l1() { echo "gateway, L1 hit"; }
row_l2() { run_wrk "$(tag "$1")l2-hit-r$2" "$WRK_CONNECTIONS" "$(url "$1" gw2)$PATH_HOT"; }
label_l2() { echo "gateway, L2 hit (L1 1 byte; sample X-Cache: ${L2_CACHE[$1]:-none})"; }
row_miss() { local lua; lua=$(miss_lua "$2"); run_wrk "$(tag "$1")miss-r$2" "$MISS_CONNECTIONS" "$(url "$1" gw1)" "$lua"; }
label_miss() { echo "gateway, miss (unique keys, -c$MISS_CONNECTIONS)"; }
declare -A ROW_DECIMALS=([miss]=1)
# Compressed answers (issue 15, item 4): the same hot key asked with Accept-Encoding: gzip gets the gzip form made
# when the entry was filled, written as-is (a build without it answers identity bytes).
printf 'wrk.headers["Accept-Encoding"] = "gzip"\n' >"$OUT/gzip.lua"
curl -s -H 'Accept-Encoding: gzip' -D "$OUT/hot-gzip.headers" -o "$OUT/hot-gzip.body" "$(url cand gw1)$PATH_HOT"
GZ_ENCODING=$(awk -F': ' 'tolower($1)=="content-encoding"{gsub("\r","",$2); print $2}' "$OUT/hot-gzip.headers")
row_l1gz() { run_wrk "$(tag "$1")l1-gzip-r$2" "$WRK_CONNECTIONS" "$(url "$1" gw1)$PATH_HOT" "$OUT/gzip.lua"; }
label_l1gz() { echo "gateway, L1 hit, Accept-Encoding: gzip"; }
WRK_ROWS=(l1 l1gz miss)
$redis_ok && WRK_ROWS=(l1 l1gz l2 miss)

print_wrk_table() {
  echo "wrk -t1 -c$WRK_CONNECTIONS (miss: -c$MISS_CONNECTIONS), ${BENCH_SECONDS} s after ${WARM_SECONDS} s warm-up${pin[*]:+, wrk pinned to CPU $WRK_CPU}; hot key \`$PATH_HOT\` ($(wc -c <"$OUT/hot.body") bytes). Hot answer: identity $(wc -c <"$OUT/hot.body") bytes, with Accept-Encoding: gzip $(wc -c <"$OUT/hot-gzip.body") bytes (Content-Encoding: ${GZ_ENCODING:-none})."
  echo
  echo "| path | req/s | p50 ms | p99 ms | of bound |"
  echo "|---|---:|---:|---:|---:|"
  local b="bound/$b_round" row k printed=""
  echo "| bound: minimal Vert.x server, same bytes | $(field "$b" 1) | $(field "$b" 2) | $(field "$b" 3) | 100 % |"
  for row in l1 l2 miss "${WRK_ROWS[@]}"; do
    case " $printed " in *" $row "*) continue ;; esac
    printed+=" $row"
    if [ "$row" = l2 ] && ! $redis_ok; then echo "| gateway, L2 hit (L1 1 byte) | n/a: no Redis at $REDIS_URL | | | |"; continue; fi
    k="cand/$row/$b_round"
    echo "| $("label_$row" cand) | $(field "$k" 1) | $(field "$k" 2) | $(field "$k" 3) | $(pct "$(field "$k" 1)" "$(field "$b" 1)" "${ROW_DECIMALS[$row]:-0}") |"
  done
  local rounds_line="" other_line="" r
  for r in $(seq 1 "$BENCH_ROUNDS"); do
    rounds_line+="${rounds_line:+; }round $r: $(field "bound/$r" 1) / $(field "cand/l1/$r" 1) / $(awk -v a="$(field "cand/l1/$r" 1)" -v b="$(field "bound/$r" 1)" 'BEGIN{printf "%.1f", (b > 0) ? 100*a/b : 0}') %"
    other_line+="${other_line:+; }round $r:"
    for row in "${WRK_ROWS[@]}"; do [ "$row" = l1 ] || other_line+=" $row $(field "cand/$row/$r" 1)"; done
  done
  echo
  echo "Bound and L1 hit: round $b_round of $BENCH_ROUNDS (the median L1/bound ratio; the other rows from the same round, each against its bound). Every round, bound / L1 hit req/s / ratio: $rounds_line. The other rows, req/s: $other_line."
}
print_stampede_table() {
  echo "Cold stampede: bursts of $STAMPEDE_N identical searches released at once on a fresh key (2 gateways: split evenly, sharing Redis)."
  echo
  echo "Leader: the first MISS to complete, its latency. A waiter's added latency: its completion instant minus the leader's (all requests of a burst written at once from one event loop on warmed keep-alive connections; negative: completed before the leader). Server side: each waiter's Server-Timing, the gateway's delay between the shared answer being ready in that gateway and the waiter's response being written."
  echo
  echo "| burst | gateways, run | origin calls | X-Cache outcomes | leader (first MISS) ms | waiters (COALESCED) added latency p50 / p95 / p99 ms | server side (Server-Timing) p50 / p99 ms |"
  echo "|---:|---|---:|---|---|---|---|"
  printf '%s' "$stampede_rows"
  echo
  echo "Floor: the same burst against the bound server (all answers ready at once) completes within, p99 after its first answer: $floors; that is what writing and reading that many answers at once costs on this machine."
}

print_zipf_table() {
  echo "Zipf campaign: $ZIPF_RATE searches/s (flights/hotels/cars 60/25/15, open model) for $ZIPF_SECONDS s after a 10 s ramp, gateway 1."
  echo
  echo "| requests | failed (KO) | throughput req/s | p50 ms | p95 ms | p99 ms | L1 hit | L2 hit | coalesced | stale | miss |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  zipf_cells cand
}

print_baseline_tables() {
  echo "#### Candidate vs baseline, side by side"
  echo
  echo "Baseline: ${SIDE_NAME[base]} (ports from $BP); candidate: ${SIDE_NAME[cand]} (ports from $P). Both platforms up for the whole run; the one not measured idles."
  if finished wrk; then
    echo
    echo "Every row runs on both sides in each of the $BENCH_ROUNDS rounds, back to back (the first side alternates by round). Ratio: candidate / baseline req/s within a round; the table gives the median of the rounds' ratios and every round's, with the 1-minute load average as the round began. Idle side: CPU of the platform not being measured, while the other was (% of one core, highest of the rounds)."
    echo
    echo "| path | baseline req/s | candidate req/s | baseline / candidate p99 ms | candidate / baseline (median) | every round | idle side CPU |"
    echo "|---|---:|---:|---:|---:|---|---:|"
    local row r b c rs bs cs bp cps idle every
    for row in "${WRK_ROWS[@]}"; do
      rs=() bs=() cs=() bp=() cps=() idle=0 every=""
      for r in $(seq 1 "$BENCH_ROUNDS"); do
        b=$(field "base/$row/$r" 1); c=$(field "cand/$row/$r" 1)
        bs+=("$b"); cs+=("$c"); rs+=("$(ratio "$c" "$b")"); every+="${every:+, }$(ratio "$c" "$b") (load ${ROUND_LOAD[$r]})"
        bp+=("$(field "base/$row/$r" 3)"); cps+=("$(field "cand/$row/$r" 3)")
        idle=$(awk -v a="$idle" -v x="${IDLE[base/$row/$r]}" -v y="${IDLE[cand/$row/$r]}" 'BEGIN{m=a; if (x>m) m=x; if (y>m) m=y; print m}')
      done
      echo "| $("label_$row" cand) | $(median "${bs[@]}") | $(median "${cs[@]}") | $(median "${bp[@]}") / $(median "${cps[@]}") | **$(median "${rs[@]}")** | $every | $idle % |"
    done
  fi
  if finished zipf; then
    echo
    echo "Zipf campaign, $ZIPF_RATE searches/s for $ZIPF_SECONDS s on each side in turn (baseline first), the same queries (seed ${ZIPF_SEED:-42}):"
    echo
    echo "| side | requests | failed (KO) | throughput req/s | p50 ms | p95 ms | p99 ms | L1 hit | L2 hit | coalesced | stale | miss |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    echo "| baseline $(zipf_cells base)"
    echo "| candidate $(zipf_cells cand)"
  fi
}

print_zipfmax_table() {
  echo "Highest Zipf arrival rate with 0 failed requests and p99 <= $ZIPFMAX_P99_MS ms (PriceComparisonSimulation 60/25/15, 10 s ramp then $ZIPFMAX_SECONDS s; from $ZIPFMAX_START/s doubling up to $ZIPFMAX_LIMIT/s, then $ZIPFMAX_STEPS bisection steps; each probe a new seed, the cache warm from the probes before; sides interleaved probe by probe)."
  echo
  echo "| side | highest passing rate /s | lowest failing rate /s | probes (rate: failed of requests, p99) |"
  echo "|---|---:|---:|---|"
  local s hi
  for s in "${sides[@]}"; do
    hi=${ZHI[$s]}; [ "$hi" = 0 ] && hi="none up to $ZIPFMAX_LIMIT"
    echo "| ${SIDE_NAME[$s]} | ${ZLO[$s]} | $hi | ${ZPROBES[$s]} |"
  done
  if [ -n "$BASELINE" ]; then
    echo
    echo "Candidate / baseline, highest passing rate: **$(ratio "${ZLO[cand]}" "${ZLO[base]}")**."
  fi
}

# The table so far: rewritten as each phase ends, so a run stopped early (a long campaign) keeps what it measured.
done_phases=""
finished() { [[ " $done_phases " == *" $1 "* ]]; }
write_table() {
  local load_now; load_now=${LOAD_END:-$(cut -d' ' -f1-3 /proc/loadavg)}
  {
    echo "### Benchmark, $(date -u +%F) ($(nproc) cores, shared and noisy; catalogue $CATALOGUE; Redis: $redis_ok)"
    echo
    echo "Load average (1/5/15 min) at the start: $LOAD_START; at the end: $load_now. Phases: $BENCH_PHASES${done_phases:+ (done:$done_phases)}."
    if finished wrk; then echo; print_wrk_table; fi
    if finished stampede; then echo; print_stampede_table; fi
    if finished zipf; then echo; print_zipf_table; fi
    if finished zipfmax; then echo; print_zipfmax_table; fi
    if [ -n "$BASELINE" ]; then echo; print_baseline_tables; fi
  } >"$OUT/table.md"
}
phase_done() { done_phases+=" $1"; write_table; }

declare -A RES=()  # RES[side/row/round]="rps p50 p99"; RES[bound/round] likewise
declare -A IDLE=() # IDLE[side/row/round]: CPU of the other side (% of one core) while this one was measured
measure() { # side row round
  local t0 t1 w0 w1 v
  t0=$(others_ticks "$1"); w0=$(date +%s%N)
  v=$("row_$2" "$1" "$3")
  t1=$(others_ticks "$1"); w1=$(date +%s%N)
  RES[$1/$2/$3]=$v
  IDLE[$1/$2/$3]=$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v ns=$((w1 - w0)) 'BEGIN{printf "%.1f", (ns > 0) ? 100 * t / hz / (ns / 1e9) : 0}')
}
field() { echo "${RES[$1]:-0 0 0}" | cut -d' ' -f"$2"; } # key 1|2|3 (rps p50 p99)

if phase wrk; then
  say "wrk: $BENCH_ROUNDS rounds of bound, ${WRK_ROWS[*]} on ${sides[*]} ($BENCH_SECONDS s each after $WARM_SECONDS s warm-up; wrk -t1 ${pin[*]:+pinned to CPU $WRK_CPU})"
  declare -A ROUND_LOAD=() # the 1-minute load average as each round starts: a round at load 50 is not a measurement
  for r in $(seq 1 "$BENCH_ROUNDS"); do
    ROUND_LOAD[$r]=$(cut -d' ' -f1 /proc/loadavg)
    RES[bound/$r]=$(run_wrk "bound-r$r" "$WRK_CONNECTIONS" "http://127.0.0.1:$BOUND$PATH_HOT")
    # Alternate which side goes first, so a drift over the run (another build starting) is not always charged to one.
    order=("${sides[@]}")
    if [ "${#sides[@]}" = 2 ] && [ $((r % 2)) = 0 ]; then order=("${sides[1]}" "${sides[0]}"); fi
    for row in "${WRK_ROWS[@]}"; do
      for s in "${order[@]}"; do measure "$s" "$row" "$r"; done
    done
    line="round $r (load ${ROUND_LOAD[$r]}): bound $(field "bound/$r" 1)"
    for row in "${WRK_ROWS[@]}"; do
      for s in "${sides[@]}"; do line+=", $row $s $(field "$s/$row/$r" 1)"; done
    done
    say "$line req/s"
  done
  # The median-L1/bound round of the candidate (an even count: the lower of the two middle ones).
  rounds=()
  for r in $(seq 1 "$BENCH_ROUNDS"); do rounds+=("$(awk -v a="$(field "cand/l1/$r" 1)" -v b="$(field "bound/$r" 1)" 'BEGIN{printf "%.1f", (b > 0) ? 100*a/b : 0}') $r"); done
  b_round=$(printf '%s\n' "${rounds[@]}" | LC_ALL=C sort -n -k1,1 | sed -n "$(( (BENCH_ROUNDS + 1) / 2 ))p" | cut -d' ' -f2)
  phase_done wrk
fi

if phase stampede; then
say "cold stampedes: $STAMPEDE_N identical searches x $STAMPEDE_REPEATS on 1 and 2 gateways (candidate)"
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
    "${pin[@]}" wrk -t1 -c2 -d2s -s "$(miss_lua 999)" "http://127.0.0.1:$GW3" >"$OUT/wrk-gw3-warm-miss.txt" 2>&1 || say "warning: GW3 warm-up (misses) failed"
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
phase_done stampede
fi

# One PriceComparisonSimulation run straight from the test classpath (no Maven in the loop: probes are short).
gatling_run() { # output-file side rate duration seed [-Dkey=value...]
  local out=$1 s=$2 rate=$3 dur=$4 seed=$5
  shift 5
  # Not -nr: the console statistics read here are printed with the report.
  local rc=0 opts=(-rf "$ROOT/load-tests/target/gatling")
  # The JVM options gatling-maven-plugin passes (Gatling's stats writer needs java.lang opened).
  java -Xms256m -Xmx512m --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED \
    -XX:MaxInlineLevel=20 -XX:MaxTrivialSize=12 -cp "$CP" -DtestType=smoke -Drate="$rate" -Dduration="$dur" -Dseed="$seed" -DcatalogueSize="$CATALOGUE" \
    -DbaseUrl="$(url "$s" gw1)" "$@" io.gatling.app.Gatling -s dev.tarifa.loadtests.PriceComparisonSimulation \
    "${opts[@]}" >"$out" 2>&1 || rc=$?
  grep -q '^> request count' "$out" || say "warning: no Gatling statistics in $out (exit $rc)"
  return 0
}
# A Gatling statistic: "> <name> | total | OK | KO"; column 2 (total) by default, 4 for KO ("-" when none: 0).
gstat() { # file name [column]
  awk -v k="$2" -v c="${3:-2}" 'index($0, "> " k) == 1 {gsub(/,/,""); split($0, a, "|"); v=a[c]; gsub(/ /,"",v); print (v == "-") ? 0 : v; exit}' "$1"
}
metrics_snapshot() { curl -s "$(url "$1" gw1)/metrics" >"$2"; } # side file
layer() { # before after result -> delta of tarifa_cache_lookups_total
  local a b
  a=$(grep '^tarifa_cache_lookups_total' "$1" | grep "result=\"$3\"" | awk '{s+=$NF} END{print s+0}')
  b=$(grep '^tarifa_cache_lookups_total' "$2" | grep "result=\"$3\"" | awk '{s+=$NF} END{print s+0}')
  awk -v a="$a" -v b="$b" 'BEGIN{print b-a}'
}

declare -A Z=() # Z[side/what]: the campaign's figures
zipf_campaign() { # side
  local s=$1 t; t=$(tag "$1")
  local f="$OUT/${t}gatling.txt"
  metrics_snapshot "$s" "$OUT/${t}metrics-before.txt"
  gatling_run "$f" "$s" "$ZIPF_RATE" "$ZIPF_SECONDS" "${ZIPF_SEED:-42}" -Dp95Ms=100000 -Dp99Ms=100000 -DmaxFailedPct=100
  metrics_snapshot "$s" "$OUT/${t}metrics-after.txt"
  Z[$s/req]=$(gstat "$f" "request count"); Z[$s/ko]=$(gstat "$f" "request count" 4)
  Z[$s/rps]=$(gstat "$f" "mean throughput (rps)"); Z[$s/p50]=$(gstat "$f" "response time 50th percentile (ms)")
  Z[$s/p95]=$(gstat "$f" "response time 95th percentile (ms)"); Z[$s/p99]=$(gstat "$f" "response time 99th percentile (ms)")
  [ -n "${Z[$s/req]}" ] || Z[$s/req]="n/a: Gatling failed, see ${t}gatling.txt"
  local l tot=0
  for l in hit_l1 hit_l2 coalesced stale miss; do
    Z[$s/$l]=$(layer "$OUT/${t}metrics-before.txt" "$OUT/${t}metrics-after.txt" "$l")
    tot=$(awk -v a="$tot" -v b="${Z[$s/$l]}" 'BEGIN{print a+b}')
  done
  Z[$s/total]=$tot
}
zipf_cells() { # side: "| requests | ... | miss |" cells of the campaign table
  local s=$1 l cells
  cells="| ${Z[$s/req]} | ${Z[$s/ko]} | ${Z[$s/rps]} | ${Z[$s/p50]} | ${Z[$s/p95]} | ${Z[$s/p99]} |"
  for l in hit_l1 hit_l2 coalesced stale miss; do cells+=" $(pct "${Z[$s/$l]}" "${Z[$s/total]}" 1) |"; done
  echo "$cells"
}
if phase zipf; then
  for s in "${sides[@]}"; do
    say "Zipf campaign on $s: $ZIPF_RATE searches/s (60/25/15) for $ZIPF_SECONDS s, Gatling open model"
    zipf_campaign "$s"
  done
  phase_done zipf
fi

# zipfmax: per side, the highest passing rate (lo) and the lowest failing one (hi, 0 = none yet); probes interleaved.
declare -A ZLO=() ZHI=() ZNEXT=() ZLEFT=() ZPROBES=()
zipf_probe() { # side rate seed -> 0 when the run passed (0 KO, p99 within the bound, requests sent)
  local s=$1 f; f="$OUT/$(tag "$1")zipfmax-$2.txt"
  gatling_run "$f" "$s" "$2" "$ZIPFMAX_SECONDS" "$3" -Dp95Ms=100000 -Dp99Ms=100000 -DmaxFailedPct=100
  local req ko p99
  req=$(gstat "$f" "request count"); ko=$(gstat "$f" "request count" 4); p99=$(gstat "$f" "response time 99th percentile (ms)")
  ZPROBES[$s]+="${ZPROBES[$s]:+; }$2/s: ${ko:-?} KO of ${req:-?}, p99 ${p99:-?} ms"
  say "zipfmax $s: $2/s: ${ko:-?} failed of ${req:-?}, p99 ${p99:-?} ms"
  [ -n "$req" ] && [ "$req" -gt 0 ] && [ "${ko:-1}" = 0 ] && [ "${p99:-999999}" -le "$ZIPFMAX_P99_MS" ]
}
if phase zipfmax; then
  say "zipfmax: highest Zipf rate with 0 failures and p99 <= $ZIPFMAX_P99_MS ms (from $ZIPFMAX_START/s, doubling, then $ZIPFMAX_STEPS bisection steps; ${ZIPFMAX_SECONDS} s per probe)"
  for s in "${sides[@]}"; do ZLO[$s]=0; ZHI[$s]=0; ZNEXT[$s]=$ZIPFMAX_START; ZLEFT[$s]=$ZIPFMAX_STEPS; done
  probe=0
  while :; do
    active=0
    for s in "${sides[@]}"; do
      rate=${ZNEXT[$s]}
      [ "$rate" -gt 0 ] || continue
      active=1
      if zipf_probe "$s" "$rate" $((1000 + probe)); then ZLO[$s]=$rate; else ZHI[$s]=$rate; fi
      sleep "$ZIPFMAX_COOLDOWN" # let breakers close and queues drain before the next probe
      if [ "${ZHI[$s]}" = 0 ]; then
        ZNEXT[$s]=$((rate * 2)); [ "${ZNEXT[$s]}" -le "$ZIPFMAX_LIMIT" ] || ZNEXT[$s]=0
      elif [ "${ZLEFT[$s]}" -gt 0 ] && [ $((ZHI[$s] - ZLO[$s])) -gt 1 ]; then
        ZLEFT[$s]=$((ZLEFT[$s] - 1)); ZNEXT[$s]=$(((ZLO[$s] + ZHI[$s]) / 2))
      else
        ZNEXT[$s]=0
      fi
    done
    [ "$active" = 1 ] || break
    probe=$((probe + 1))
  done
  phase_done zipfmax
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

write_table
cat "$OUT/table.md"
say "raw output in $OUT"
