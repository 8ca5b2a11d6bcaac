#!/bin/sh
# Runs once, on an empty data directory (docker-entrypoint-initdb.d): one role and one database per service, each
# service owning its database (Flyway migrates it as that role). Passwords come from the mounted Secret.
set -eu
for s in users flights hotels cars; do
  pw=$(cat "/etc/tarifa/postgres/$s-password")
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v role="tarifa_$s" -v pw="$pw" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'pw';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
