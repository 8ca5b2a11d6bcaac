#!/bin/sh
# Runs once, on an empty data volume (the image's /docker-entrypoint-initdb.d): one role and one database per
# PostgreSQL service, each database owned by its role and closed to the others. The services find their database
# by URL (TARIFA_<SERVICE>_PG_URL) and run their own Flyway migrations in it.
set -eu
for service in users flights hotels cars; do
  upper=$(echo "$service" | tr '[:lower:]' '[:upper:]')
  eval "password=\${PG_${upper}_PASSWORD:?PG_${upper}_PASSWORD is not set}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v name="tarifa_$service" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
