-- What the migration connection itself was: PostgresTlsIT asserts it was encrypted.
CREATE TABLE migration_connection AS
  SELECT ssl, version AS tls_version, current_user AS login FROM pg_stat_ssl WHERE pid = pg_backend_pid();
