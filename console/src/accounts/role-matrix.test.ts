import { describe, expect, it } from 'vitest';
import { allows, ROLE_MATRIX, ruleFor, type MatrixRule } from './role-matrix.js';

describe('ruleFor', () => {
  it('finds an exact pattern before a prefix, treats HEAD as GET, and knows nothing else', () => {
    const matrix: MatrixRule[] = [
      { method: 'GET', url: '/api/v1/analytics/*', access: ['planner'] },
      { method: 'GET', url: '/api/v1/analytics/special', access: ['admin'] },
      { method: 'GET', url: '/api/v1/*', access: 'public' },
    ];
    expect(ruleFor('GET', '/api/v1/analytics/special', matrix)?.access).toEqual(['admin']);
    expect(ruleFor('HEAD', '/api/v1/analytics/volume', matrix)?.access).toEqual(['planner']);
    expect(ruleFor('GET', '/api/v1/devices', matrix)?.access).toBe('public');
    expect(ruleFor('POST', '/api/v1/analytics/volume', matrix)).toBeUndefined();
    expect(ruleFor('GET', '/elsewhere', matrix)).toBeUndefined();
  });

  it('lets a viewer read but not act, and keeps accounts administration to admins', () => {
    const action = ruleFor('POST', '/api/v1/incidents/:id/:action')!;
    expect([allows(action, 'viewer'), allows(action, 'planner'), allows(action, 'operator'), allows(action, 'admin')]).toEqual([false, false, true, true]);
    expect(ROLE_MATRIX.filter((r) => r.url.startsWith('/api/v1/users') || r.url.startsWith('/api/v1/tokens')).every((r) => r.access !== 'public' && r.access !== 'signed-in' && r.access.join() === 'admin')).toBe(true);
  });

  it('has one rule per method and pattern', () => {
    const keys = ROLE_MATRIX.map((r) => `${r.method} ${r.url}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
