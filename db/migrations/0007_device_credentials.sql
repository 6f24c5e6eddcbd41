-- Who may speak on the broker: one row per MQTT username. A device's username is its device id (and
-- its MQTT client id, and the device level of every topic it writes); a gateway speaks for the devices
-- its scope lists; a downlink credential (the console) writes config topics only; an ingest credential
-- reads uplinks (external brokers). Tokens are 256 random bits, stored as SHA-256 only: fast to check,
-- so a fleet reconnecting after an outage does not turn into a CPU denial of service. mosquitto_hash is
-- the same token in Mosquitto's password-file format ($7$, PBKDF2-SHA512), made when the token is made.
-- After a rotation the previous hash stays valid until previous_valid_until.
CREATE TABLE device_credentials (
  id                   text PRIMARY KEY,
  kind                 text NOT NULL CHECK (kind IN ('device', 'gateway', 'downlink', 'ingest')),
  token_sha256         bytea NOT NULL CHECK (length(token_sha256) = 32),
  mosquitto_hash       text NOT NULL,
  previous_sha256      bytea CHECK (previous_sha256 IS NULL OR length(previous_sha256) = 32),
  previous_valid_until timestamptz,
  scope                text[] NOT NULL DEFAULT '{}',
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'blocked')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  rotated_at           timestamptz,
  status_changed_at    timestamptz NOT NULL DEFAULT now()
);
