-- Accounts of the operators' console (console/src/accounts): users with a role, cookie sessions,
-- personal API tokens, and the failed sign-ins that lock a name out. Only hashes of secrets are stored:
-- a stolen copy of the database signs nobody in.

-- A person. The password is an scrypt hash; its cost parameters are kept per row, so raising the default
-- cost later leaves old hashes verifiable (they are re-hashed at the next sign-in).
CREATE TABLE users (
  username              text PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  role                  text NOT NULL CHECK (role IN ('viewer', 'operator', 'planner', 'admin')),
  password_hash         text NOT NULL,
  password_salt         text NOT NULL,
  scrypt_n              integer NOT NULL CHECK (scrypt_n >= 16384),
  scrypt_r              integer NOT NULL CHECK (scrypt_r >= 8),
  scrypt_p              integer NOT NULL CHECK (scrypt_p >= 1),
  disabled              boolean NOT NULL DEFAULT false,
  -- Set for a generated password (first admin, reset): until it is changed, the user can do nothing else.
  must_change_password  boolean NOT NULL DEFAULT false,
  -- The console's language for this user (the web app reads it later); NULL = the browser's.
  language              text CHECK (language ~ '^[a-z]{2}(-[A-Za-z]{2,4})?$'),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- A signed-in browser. id_hash = sha256 of the cookie's secret; the CSRF token is derived from that
-- secret (console/src/accounts/secrets.ts), so it needs no column of its own.
CREATE TABLE sessions (
  id_hash       text PRIMARY KEY,
  username      text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  -- The absolute end; the idle timeout is counted from last_seen_at.
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_username_idx ON sessions (username);

-- A personal API token for scripts (QGIS, Python, Power BI): `Authorization: Bearer <secret>`.
-- role = the user's role when it was made; a token whose role is no longer the user's is refused.
CREATE TABLE api_tokens (
  id            text PRIMARY KEY,
  username      text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
  label         text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  secret_hash   text NOT NULL UNIQUE,
  role          text NOT NULL CHECK (role IN ('viewer', 'operator', 'planner', 'admin')),
  created_at    timestamptz NOT NULL,
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_tokens_username_idx ON api_tokens (username);

-- Consecutive failed sign-ins per name typed, known or not (so a locked name and an unknown one look
-- alike to a guesser). A success clears the row; locked_until is set when failures reach the limit.
CREATE TABLE login_failures (
  username         text PRIMARY KEY,
  failures         integer NOT NULL CHECK (failures >= 1),
  last_failed_at   timestamptz NOT NULL,
  locked_until     timestamptz
);
