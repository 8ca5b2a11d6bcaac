-- The W3C trace context (traceparent) of the write that appended the event, so that the outbox relay's publication
-- and the consumers' handling continue the write's trace. Null for rows written with tracing off. Adding a nullable
-- column without a default is a catalogue change only: no table rewrite, no long lock.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS traceparent text;
