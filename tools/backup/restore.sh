#!/usr/bin/env bash
# Restores a backup made by backup.sh into FRESH databases: checks every file's sha256 against the MANIFEST,
# creates each PostgreSQL database empty and pg_restores into it, then restores the MongoDB reviews database.
# It refuses a database that already exists (PostgreSQL) or holds documents (MongoDB): drop or rename the old
# one first, or restore beside it with a suffix.
#
#   restore.sh <backup-dir>
#
# Configuration: the same TARIFA_* URLs as backup.sh name the target servers; database names come from the
# manifest, plus
#   BACKUP_RESTORE_SUFFIX   appended to every database name (e.g. _restored) to restore beside the live ones;
#                           point the services at them with TARIFA_<SERVICE>_PG_URL and TARIFA_MONGO_DATABASE
#   BACKUP_JAVA_CP          classpath holding dev.tarifa.reviews.ReviewsArchive (see common.sh)
#   BACKUP_JOBS             pg_restore parallel jobs (default 2)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

[ $# -eq 1 ] || die "usage: restore.sh <backup-dir>"
dir=$1
manifest="$dir/MANIFEST"
[ -f "$manifest" ] || die "$manifest not found"
suffix=${BACKUP_RESTORE_SUFFIX:-}
if grep -q "^postgres	" "$manifest"; then
  command -v pg_restore >/dev/null || die "pg_restore not found (install postgresql-client)"
fi

# 1. Integrity first: nothing is created unless every file is intact.
while IFS=$'\t' read -r kind _ file sum; do
  [ "$kind" = sha256 ] || continue
  actual=$(sha256sum "$dir/$file" | cut -d' ' -f1)
  [ "$actual" = "$sum" ] || die "$file: sha256 $actual, manifest says $sum"
done <"$manifest"
log "checksums match"

t0=$(date +%s)
# 2. PostgreSQL: one database per service line.
while IFS=$'\t' read -r kind db service file; do
  [ "$kind" = postgres ] || continue
  new_db="$db$suffix"
  url=$(pg_url_for "$service" "$new_db")
  admin=$(replace_db "$url" postgres)
  exists=$(psql --no-password --dbname="$admin" -Atc "SELECT 1 FROM pg_database WHERE datname = '$new_db'")
  [ -z "$exists" ] || die "database $new_db already exists: restore needs a fresh one (set BACKUP_RESTORE_SUFFIX)"
  log "creating $new_db and restoring $file"
  psql --no-password --dbname="$admin" -q -c "CREATE DATABASE \"$new_db\""
  # --no-owner/--no-privileges: the objects belong to the restoring role, which the services then use.
  pg_restore --no-password --exit-on-error --no-owner --no-privileges --jobs="${BACKUP_JOBS:-2}" \
    --dbname="$url" "$dir/$file" </dev/null
done <"$manifest"

# 3. MongoDB.
while IFS=$'\t' read -r kind db _ file; do
  case "$kind" in
    mongojson)
      log "ReviewsArchive import into $db$suffix"
      TARIFA_MONGO_DATABASE="$db$suffix" java -cp "$(java_cp)" dev.tarifa.reviews.ReviewsArchive import "$dir/$file" >&2
      ;;
    mongodump)
      command -v mongorestore >/dev/null || die "$file was made by mongodump: mongorestore is needed"
      log "mongorestore into $db$suffix"
      mongorestore --uri="$(mongo_uri_for_tools "${TARIFA_MONGO_URL:-mongodb://127.0.0.1:27017}")" --archive="$dir/$file" --gzip \
        --nsFrom="$db.*" --nsTo="$db$suffix.*" --quiet
      ;;
  esac
done <"$manifest"
log "restore complete ($(( $(date +%s) - t0 )) s)"
