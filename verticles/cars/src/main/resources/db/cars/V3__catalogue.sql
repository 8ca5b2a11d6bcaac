-- The cars catalogue: rental stations at airports, car classes (ACRISS), suppliers, suppliers' base daily rates.
CREATE TABLE stations (
  iata      text PRIMARY KEY,
  name      text NOT NULL,
  city_key  text NOT NULL,
  city      text NOT NULL,
  country   text NOT NULL,
  latitude  double precision NOT NULL,
  longitude double precision NOT NULL,
  version   integer NOT NULL DEFAULT 1
);

CREATE TABLE car_classes (
  code         text PRIMARY KEY,
  name         text NOT NULL,
  seats        smallint NOT NULL,
  doors        smallint NOT NULL,
  transmission text NOT NULL,
  sort_order   smallint NOT NULL
);

CREATE TABLE suppliers (
  code text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE station_classes (
  station_iata text NOT NULL REFERENCES stations (iata) ON DELETE CASCADE,
  class_code   text NOT NULL REFERENCES car_classes (code),
  version      integer NOT NULL DEFAULT 1,
  PRIMARY KEY (station_iata, class_code)
);

CREATE TABLE car_rates (
  station_iata  text NOT NULL,
  class_code    text NOT NULL,
  supplier_code text NOT NULL REFERENCES suppliers (code),
  base_daily    bigint NOT NULL CHECK (base_daily > 0),
  currency      text NOT NULL DEFAULT 'EUR',
  version       integer NOT NULL DEFAULT 1,
  PRIMARY KEY (station_iata, class_code, supplier_code),
  FOREIGN KEY (station_iata, class_code) REFERENCES station_classes (station_iata, class_code) ON DELETE CASCADE
);
CREATE INDEX car_rates_supplier ON car_rates (supplier_code);

-- One row once the generated catalogue is in: makes seeding idempotent.
CREATE TABLE catalogue_meta (
  id        integer PRIMARY KEY CHECK (id = 1),
  seed      bigint NOT NULL,
  size      text NOT NULL,
  stations  integer NOT NULL,
  seeded_at timestamptz NOT NULL DEFAULT now()
);
