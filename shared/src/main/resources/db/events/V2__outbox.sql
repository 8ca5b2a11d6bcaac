-- The transactional outbox every PostgreSQL service carries (copy into the service's V2__outbox.sql).
CREATE TABLE outbox (
  id           uuid        PRIMARY KEY,
  event_type   text        NOT NULL,
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  tags         text[]      NOT NULL DEFAULT '{}',
  payload      jsonb       NOT NULL,
  published_at timestamptz,
  attempts     integer     NOT NULL DEFAULT 0,
  last_error   text
);
CREATE INDEX outbox_unpublished ON outbox (occurred_at) WHERE published_at IS NULL;
