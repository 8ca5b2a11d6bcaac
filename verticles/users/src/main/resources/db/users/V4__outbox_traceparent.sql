-- The W3C trace context (traceparent) of the write that appended the event (see the flights, hotels and cars
-- services' V6__outbox_traceparent.sql): every outbox table has the column Outbox.append writes.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS traceparent text;
