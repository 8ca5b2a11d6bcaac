-- Consumer idempotency (ProcessedEvents.markProcessed): copy into the migrations of a service that consumes events
-- into PostgreSQL. One row per (consumer, event) handled; insert it in the handler's transaction.
CREATE TABLE processed_events (
  consumer     text        NOT NULL,
  event_id     uuid        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
