-- Consumer idempotency (ProcessedEvents.markProcessed): copy into the migrations of a service that consumes events
-- into PostgreSQL. One row per (consumer, event) handled; insert it in the handler's transaction.
CREATE TABLE processed_events (
  consumer     text        NOT NULL,
  event_id     uuid        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
-- Marks by age, for EventRetention (services add it in their V5__events_retention.sql).
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
