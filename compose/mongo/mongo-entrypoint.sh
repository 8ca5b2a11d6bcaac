#!/usr/bin/env bash
# MongoDB as a single-node replica set with authentication (as production runs it: transactions and change streams
# need a replica set). Two roles, one file so that both see the same settings:
#   mongo-entrypoint.sh <mongod args>   container entrypoint: writes the replica-set key file from
#                                       MONGO_REPLICA_KEY (mongod insists it is readable by its user only), then
#                                       hands over to the image's entrypoint (first-start users, then mongod as
#                                       the mongodb user)
#   mongo-entrypoint.sh healthcheck     container healthcheck: initiates the replica set once, then succeeds only
#                                       while this node is the writable primary
set -euo pipefail

if [ "${1:-}" = healthcheck ]; then
  exec mongosh --quiet --host 127.0.0.1 \
    --username "$MONGO_INITDB_ROOT_USERNAME" --password "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin \
    --eval "
      try { rs.status(); } catch (e) {
        if (e.codeName !== 'NotYetInitialized') throw e;
        rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'mongo:27017' }] });
      }
      if (!db.hello().isWritablePrimary) quit(1);
    "
fi

: "${MONGO_REPLICA_KEY:?MONGO_REPLICA_KEY is not set (compose/generate-env.sh)}"
keyfile=/tmp/mongo-keyfile
umask 077
printf '%s' "$MONGO_REPLICA_KEY" > "$keyfile"
chown mongodb:mongodb "$keyfile"
chmod 400 "$keyfile"
exec docker-entrypoint.sh "$@"
