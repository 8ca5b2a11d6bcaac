# Shared by backup.sh and restore.sh (sourced, not run).

# Set but empty: no PostgreSQL (e.g. a MongoDB-only job in the mongo image).
SERVICES=${BACKUP_SERVICES-"users flights hotels cars"}

log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# pg_url_for <service> [database]: the service's libpq URL as the service computes it: TARIFA_<S>_PG_URL, or
# TARIFA_PG_URL with its database replaced by tarifa_<service>. Credentials and query parameters (sslmode,
# sslrootcert, ...) are kept, so TLS settings reach pg_dump/pg_restore as they reach the services. With a second
# argument the database name is replaced by it.
pg_url_for() {
  local service=$1 database=${2:-} upper url
  upper=$(printf '%s' "$service" | tr '[:lower:]' '[:upper:]')
  local var="TARIFA_${upper}_PG_URL"
  url=${!var:-}
  if [ -z "$url" ]; then
    url=${TARIFA_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
    database=${database:-tarifa_$service}
  fi
  if [ -n "$database" ]; then url=$(replace_db "$url" "$database"); fi
  printf '%s' "$url"
}

# replace_db <url> <database>: the URL with its path (database) replaced, query string kept.
replace_db() {
  local url=$1 database=$2 base query="" scheme rest
  base=${url%%\?*}
  if [ "$base" != "$url" ]; then query="?${url#*\?}"; fi
  scheme=${base%%://*}
  rest=${base#*://}
  rest=${rest%%/*}
  printf '%s://%s/%s%s' "$scheme" "$rest" "$database" "$query"
}

# db_name <url>: the database named by a libpq URL.
db_name() {
  local base=${1%%\?*}
  base=${base#*://}
  case "$base" in */*) printf '%s' "${base#*/}" ;; *) printf 'postgres' ;; esac
}

# The classpath holding dev.tarifa.reviews.ReviewsArchive: BACKUP_JAVA_CP, the reviews image's layout, or the
# shaded jar of a local build.
java_cp() {
  if [ -n "${BACKUP_JAVA_CP:-}" ]; then printf '%s' "$BACKUP_JAVA_CP"; return; fi
  if [ -d /app/libs ]; then printf '%s' "/app/resources:/app/classes:/app/libs/*"; return; fi
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  printf '%s' "$here/verticles/reviews/target/tarifa-reviews-all.jar"
}

# mongo_uri_for_tools <url>: the URL without a database (mongodump/mongorestore refuse one together with
# --db/--nsFrom), keeping what it meant for authentication: its database becomes authSource unless one is given.
mongo_uri_for_tools() {
  local url=$1 db query=""
  db=$(db_name "$url")
  case "$url" in *\?*) query=${url#*\?} ;; esac
  if [ "$db" != postgres ] && [ -n "$db" ] && ! printf '%s' "$query" | grep -q 'authSource='; then
    query="${query:+$query&}authSource=$db"
  fi
  local base=${url%%\?*} scheme rest
  scheme=${base%%://*}
  rest=${base#*://}
  rest=${rest%%/*}
  printf '%s://%s/%s' "$scheme" "$rest" "${query:+?$query}"
}
