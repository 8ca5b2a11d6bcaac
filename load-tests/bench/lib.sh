# shellcheck shell=bash disable=SC2154 # pids is declared by the script that sources this
# Shared by the bench scripts (sourced, after OUT is set and pids=() declared): process clean-up on exit, messages,
# the preconditions every run checks, and waiting for readiness.

cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$OUT/jars"
}
trap cleanup EXIT
say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

# wrk installed, BENCH_ROUNDS valid, and every given port free.
require_bench_preconditions() { # port...
  command -v wrk >/dev/null || die "wrk missing (apt-get install -y wrk)"
  [[ "$BENCH_ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive integer, not '$BENCH_ROUNDS'"
  local port
  for port in "$@"; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && die "port $port is taken (BENCH_PORT_BASE=... to move)"
  done
  return 0
}

wait_ready() { # url pid seconds
  local deadline=$((SECONDS + $3))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -m 2 "$1/health/ready")" = 200 ]; do
    kill -0 "$2" 2>/dev/null || die "process for $1 exited; log in $OUT"
    [ "$SECONDS" -lt "$deadline" ] || die "$1 not ready within $3 s; log in $OUT"
    sleep 1
  done
}

# CPU time (clock ticks, user + system) of the given processes and all their descendants (an all-in-one's embedded
# PostgreSQL runs as its child); processes gone meanwhile count nothing.
cpu_ticks() { # pid...
  local pid total=0 t
  for pid in "$@"; do
    t=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
    # shellcheck disable=SC2046 # one pid per word
    [ -n "$(pgrep -P "$pid" || true)" ] && total=$((total + $(cpu_ticks $(pgrep -P "$pid"))))
  done
  echo "$total"
}

# The median of the numbers given (an even count: the lower middle one).
median() { # number...
  printf '%s\n' "$@" | LC_ALL=C sort -g | sed -n "$(( ($# + 1) / 2 ))p"
}

# A wrk script of unique flight-search keys: every request a route/date/adults combination never asked before, from
# the BLOCK-th block of a million (dates 181-360 days after BASE_DATE, past the Zipf campaign's 180-day horizon).
write_miss_lua() { # file routes-file base-date(yyyy-mm-dd) block
  cat >"$1" <<LUA
-- Unique keys: every request a route/date/adults combination never asked before in this run (dates past the
-- Zipf campaign's 180-day horizon, a random start so reruns against the same Redis stay cold).
local routes = {}
for line in io.lines("$2") do
  local f, t = line:match("(%a+) (%a+)")
  routes[#routes + 1] = {f, t}
end
local base = os.time({year = ${3:0:4}, month = tonumber("${3:5:2}"), day = tonumber("${3:8:2}"), hour = 12})
local n = $(( $4 * 1000000 ))
request = function()
  n = n + 1
  local r = routes[(n % #routes) + 1]
  local d = os.date("!%Y-%m-%d", base + (181 + (math.floor(n / #routes) % 180)) * 86400)
  local adults = 1 + (math.floor(n / (#routes * 180)) % 4)
  return wrk.format("GET", "/api/v1/flights/search?from=" .. r[1] .. "&to=" .. r[2] .. "&date=" .. d .. "&adults=" .. adults)
end
LUA
}
