#!/usr/bin/env bash
# Backs up Tarifa's datastores: every service's PostgreSQL database (pg_dump -Fc) and the MongoDB reviews database
# (mongodump --archive --gzip when installed and BACKUP_MONGO=mongodump, otherwise the Java ReviewsArchive through
# the service's own MongoDB client), into <BACKUP_DIR>/tarifa-<UTC stamp>/ with a manifest (database, row counts,
# sha256 of each file); then uploads the folder when BACKUP_S3_URL is set and applies the retention.
#
# Configuration (the services' own keys, so the same Secret/env serves both):
#   TARIFA_PG_URL, TARIFA_<SERVICE>_PG_URL   libpq URLs (sslmode/sslrootcert query parameters work)
#   TARIFA_MONGO_URL, TARIFA_MONGO_DATABASE  reviews database (default tarifa_reviews)
#   BACKUP_DIR               target directory (default ./backups)
#   BACKUP_RETENTION_DAYS    delete backups older than this (default 14) ...
#   BACKUP_KEEP_MIN          ... but always keep the newest N (default 3)
#   BACKUP_S3_URL            s3://bucket/prefix: also copy there (aws CLI, or mc with BACKUP_MC_ALIAS)
#   BACKUP_MONGO             auto (default) | java | mongodump | none
#   BACKUP_JAVA_CP           classpath holding dev.tarifa.reviews.ReviewsArchive (see common.sh)
#   BACKUP_SERVICES          PostgreSQL services (default "users flights hotels cars"; empty: none)
# Prints the backup folder's path on standard output.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

target=${BACKUP_DIR:-./backups}
retention_days=${BACKUP_RETENTION_DAYS:-14}
keep_min=${BACKUP_KEEP_MIN:-3}
mongo_mode=${BACKUP_MONGO:-auto}
mongo_db=${TARIFA_MONGO_DATABASE:-tarifa_reviews}

if [ -n "$SERVICES" ]; then
  command -v pg_dump >/dev/null || die "pg_dump not found (install postgresql-client)"
  command -v psql >/dev/null || die "psql not found (install postgresql-client)"
fi
mkdir -p "$target"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
final="$target/tarifa-$stamp"
# Written under a hidden name and renamed when complete: a failed run never counts as one of the newest N.
work="$target/.tarifa-$stamp.partial"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
manifest="$work/MANIFEST"
printf '# tarifa backup %s\n# kind\tdatabase\tname\tvalue\n' "$stamp" >"$manifest"

t0=$(date +%s)
for service in $SERVICES; do
  url=$(pg_url_for "$service")
  db=$(db_name "$url")
  file="pg-$service.dump"
  log "pg_dump $db"
  pg_dump --format=custom --no-password --dbname="$url" --file="$work/$file"
  printf 'postgres\t%s\t%s\t%s\n' "$db" "$service" "$file" >>"$manifest"
  # Row counts per table, for the restore check (taken just after the dump: exact on a quiet database).
  psql --no-password --dbname="$url" -At -F $'\t' -c "
    SELECT n.nspname || '.' || c.relname, (xpath('/row/c/text()',
      query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    ORDER BY 1" | while IFS=$'\t' read -r table count; do
      printf 'rows\t%s\t%s\t%s\n' "$db" "$table" "$count" >>"$manifest"
    done
done

if [ "$mongo_mode" = auto ]; then
  if command -v mongodump >/dev/null && [ -z "${BACKUP_JAVA_CP:-}" ]; then mongo_mode=mongodump; else mongo_mode=java; fi
fi
case "$mongo_mode" in
  mongodump)
    log "mongodump $mongo_db"
    mongodump --uri="$(mongo_uri_for_tools "${TARIFA_MONGO_URL:-mongodb://127.0.0.1:27017}")" --db="$mongo_db" --archive="$work/mongo-reviews.archive.gz" --gzip --quiet
    printf 'mongodump\t%s\treviews\t%s\n' "$mongo_db" "mongo-reviews.archive.gz" >>"$manifest"
    ;;
  java)
    log "ReviewsArchive export $mongo_db"
    java -cp "$(java_cp)" dev.tarifa.reviews.ReviewsArchive export "$work/mongo-reviews.jsonl.gz" >"$work/mongo-counts"
    printf 'mongojson\t%s\treviews\t%s\n' "$mongo_db" "mongo-reviews.jsonl.gz" >>"$manifest"
    while read -r collection count; do
      printf 'docs\t%s\t%s\t%s\n' "$mongo_db" "$collection" "$count" >>"$manifest"
    done <"$work/mongo-counts"
    rm -f "$work/mongo-counts"
    ;;
  none) log "MongoDB skipped (BACKUP_MONGO=none)" ;;
  *) die "BACKUP_MONGO must be auto, java, mongodump or none" ;;
esac

(cd "$work" && for f in pg-*.dump mongo-reviews.*; do
  [ -e "$f" ] || continue
  printf 'sha256\t-\t%s\t%s\n' "$f" "$(sha256sum "$f" | cut -d' ' -f1)"
done) >>"$manifest"
mv "$work" "$final"
trap - EXIT
log "backup complete: $final ($(( $(date +%s) - t0 )) s, $(du -sh "$final" | cut -f1))"

if [ -n "${BACKUP_S3_URL:-}" ]; then
  dest="${BACKUP_S3_URL%/}/tarifa-$stamp/"
  if command -v aws >/dev/null && aws --version >/dev/null 2>&1; then
    # BACKUP_S3_ENDPOINT for S3-compatible stores (MinIO, Ceph...); credentials from AWS_* variables.
    aws ${BACKUP_S3_ENDPOINT:+--endpoint-url "$BACKUP_S3_ENDPOINT"} s3 cp --recursive --only-show-errors "$final" "$dest"
  elif command -v mc >/dev/null; then
    # mc needs an alias (MC_HOST_<alias>=https://key:secret@host); BACKUP_S3_URL is then <alias>/bucket/prefix.
    mc cp --recursive --quiet "$final/" "${dest#s3://}"
  else
    die "BACKUP_S3_URL is set but neither aws nor mc is installed (the local copy is at $final)"
  fi
  log "uploaded to $dest (retention there: a bucket lifecycle rule)"
fi

# Retention (by the stamp in the name, not the file times): keep the newest $keep_min whatever their age; of the rest, delete those older than the limit.
now=$(date +%s)
ls -1d "$target"/tarifa-* 2>/dev/null | sort -r | tail -n +"$((keep_min + 1))" | while read -r old; do
  s=${old##*/tarifa-}
  taken=$(date -u -d "${s:0:4}-${s:4:2}-${s:6:2} ${s:9:2}:${s:11:2}:${s:13:2}" +%s 2>/dev/null) || continue
  age_days=$(( (now - taken) / 86400 ))
  if [ "$age_days" -ge "$retention_days" ]; then
    log "retention: deleting $old ($age_days days old)"
    rm -rf "$old"
  fi
done
printf '%s\n' "$final"
