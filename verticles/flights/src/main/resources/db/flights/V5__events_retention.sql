-- Indexes for EventRetention, which deletes sent outbox rows and old processed_events marks in batches of
-- "WHERE published_at < cutoff" / "WHERE processed_at < cutoff" (the existing outbox_unpublished index covers unsent
-- rows only). A plain CREATE INDEX blocks writes to the table while it builds (seconds for a few million rows); on a
-- very large table, create the two indexes beforehand with CREATE INDEX CONCURRENTLY under the same names, and this
-- migration finds them and does nothing. (Not CONCURRENTLY here: Flyway would run it outside a transaction, where it
-- can deadlock with another instance waiting for Flyway's migration lock.)
CREATE INDEX IF NOT EXISTS outbox_sent ON outbox (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS processed_events_processed_at ON processed_events (processed_at);
