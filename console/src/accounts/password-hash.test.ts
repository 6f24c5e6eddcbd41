import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './password-hash.js';

const CHEAP = { N: 2 ** 14, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password only, with the cost stored beside the hash', async () => {
    const stored = await hashPassword('correct horse battery staple', CHEAP);
    expect(stored).toMatchObject(CHEAP);
    expect(Buffer.from(stored.hash, 'base64')).toHaveLength(32);
    expect(Buffer.from(stored.salt, 'base64')).toHaveLength(16);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
    const again = await hashPassword('correct horse battery staple', CHEAP);
    expect(again.hash).not.toBe(stored.hash); // a new salt each time
  });

  it('treats the composed and decomposed forms of a character as one password (NFKC)', async () => {
    const stored = await hashPassword('caf\u00e9 au lait, no sugar', CHEAP);
    expect(await verifyPassword('cafe\u0301 au lait, no sugar', stored)).toBe(true);
  });

  it('generates 20 characters without look-alikes', () => {
    const passwords = Array.from({ length: 200 }, () => generatePassword());
    for (const p of passwords) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
    expect(new Set(passwords).size).toBe(200);
  });

  it('refuses short, overlong and unchanged passwords', () => {
    expect(passwordProblem('eleven char')).toBe('it has 11 characters; at least 12 are needed');
    expect(passwordProblem('x'.repeat(257))).toBe('it has more than 256 characters');
    expect(passwordProblem('twelve chars', 'twelve chars')).toBe('it is the same as the current one');
    expect(passwordProblem('twelve chars', 'something else')).toBeUndefined();
  });
});
