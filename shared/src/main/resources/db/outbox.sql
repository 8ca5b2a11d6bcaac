-- What every PostgreSQL service's outbox has beyond db/events/V2__outbox.sql (the migration they share), added by
-- their own later migrations (flights, hotels, cars: V5__events_retention.sql, V6__outbox_traceparent.sql; users:
-- V4__outbox_traceparent.sql). V2 then this script: the table Outbox, PgOutboxStore and EventRetention work on.
-- W3C trace context of the write, so the relay's publication joins its trace.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS traceparent text;
-- Sent rows by age, for EventRetention.
CREATE INDEX IF NOT EXISTS outbox_sent ON outbox (published_at) WHERE published_at IS NOT NULL;
