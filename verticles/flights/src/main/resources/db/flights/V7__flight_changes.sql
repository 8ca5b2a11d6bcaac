-- The change log of the in-memory search read model (FlightReadModel): every admin write to a schedule or a fare
-- appends the flight it changed, and every applied review event the airline whose rating it changed, under a
-- catalogue version taken from the single row below (one row per write transaction). The version row is
-- updated last in the write transaction and stays locked until commit, so versions become visible in commit order
-- without gaps and an instance that has applied version v has seen every change up to v.
CREATE TABLE flight_catalogue_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version   bigint  NOT NULL
);
INSERT INTO flight_catalogue_version (version) VALUES (0);

CREATE TABLE flight_changes (
  version   bigint      PRIMARY KEY,
  flight_id bigint,
  airline   text,
  at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((flight_id IS NULL) <> (airline IS NULL))
);
-- Retention deletes by age.
CREATE INDEX flight_changes_at ON flight_changes (at);
