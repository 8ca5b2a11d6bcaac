-- Accounts. E-mail is stored lower-cased, so the unique constraint is case-insensitive in effect.
-- version is bumped on every change (optimistic concurrency: If-Match / ETag on the admin API).
CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  email         text        NOT NULL,
  name          text,
  password_hash text        NOT NULL,
  roles         text[]      NOT NULL DEFAULT ARRAY['user']::text[],
  disabled      boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer     NOT NULL DEFAULT 1,
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_email_lower CHECK (email = lower(email) AND length(email) <= 254)
);
