/**
 * Password hashing with node:crypto scrypt. Default cost N=2^15, r=8, p=3: one of OWASP's equivalent
 * minimum scrypt settings (with N=2^17, r=8, p=1), chosen for its 32 MiB per hash instead of 128 MiB, so
 * a shift of operators signing in at once does not spike the console's memory. Measured on this 2-core
 * machine under load: about 0.4-0.7 s per hash (N=2^17, p=1: 1.5-2 s) — nothing for a person signing in,
 * a lot for someone guessing offline with a stolen table. The parameters are stored with each hash, so a
 * later default applies to new hashes and old ones still verify (and are re-hashed at the next sign-in).
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  /** CPU/memory cost, a power of two ≥ 2^14. Memory used: 128 × N × r bytes. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 3 };

/** CPU work of a cost, to compare two costs (N·r·p). */
export const workOf = (cost: ScryptCost): number => cost.N * cost.r * cost.p;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export interface PasswordHash extends ScryptCost {
  /** base64 derived key. */
  hash: string;
  /** base64 salt. */
  salt: string;
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return { ...cost, hash: key.toString('base64'), salt: salt.toString('base64') };
}

/** Constant-time comparison of the derived keys. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 113 bits. */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length * 2);
  let out = '';
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 57).
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const b = bytes[i]!;
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
  }
  return out.length === length ? out : generatePassword(length);
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, current?: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `it has ${password.length} characters; at least ${PASSWORD_MIN_LENGTH} are needed`;
  if (password.length > PASSWORD_MAX_LENGTH) return `it has more than ${PASSWORD_MAX_LENGTH} characters`;
  if (current !== undefined && password === current) return 'it is the same as the current one';
  return undefined;
}
