-- Review events consumed idempotently (ProcessedEvents.markProcessed) and the airline rating aggregates they keep
-- (RatingsConsumer: signed increments per event; histogram[n] = visible reviews rated n).
CREATE TABLE processed_events (
  consumer     text        NOT NULL,
  event_id     uuid        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE airline_ratings (
  airline   text      PRIMARY KEY,
  count     bigint    NOT NULL DEFAULT 0,
  sum       bigint    NOT NULL DEFAULT 0,
  histogram integer[] NOT NULL DEFAULT '{0,0,0,0,0}'
);
