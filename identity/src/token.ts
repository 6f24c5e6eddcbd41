import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Device tokens: 256 random bits, base64url (43 characters). The registry keeps only their SHA-256:
 * a token has all the entropy a password lacks, so a slow password hash buys nothing, and checking
 * 2,000 reconnecting devices costs 2,000 SHA-256s (microseconds each) instead of seconds of CPU.
 */
export const TOKEN_BYTES = 32;

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(token: string | Buffer): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Constant-time comparison of a presented token with a stored SHA-256. */
export function tokenMatches(presented: string | Buffer, storedSha256: Buffer): boolean {
  const hash = hashToken(presented);
  return storedSha256.length === hash.length && timingSafeEqual(hash, storedSha256);
}

/** Mosquitto 2's password-file hash of a token: `$7$<iterations>$<salt>$<PBKDF2-SHA512>`, as mosquitto_passwd writes it. */
export const MOSQUITTO_ITERATIONS = 101;

export function mosquittoHash(token: string, salt: Buffer = randomBytes(12), iterations = MOSQUITTO_ITERATIONS): string {
  const hash = pbkdf2Sync(token, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}
