import { describe, expect, it } from 'vitest';
import { viewFromHash, viewsFor } from './views.js';

describe('views', () => {
  it('shows Planning to planners and admins only, Fleet to admins only', () => {
    expect(viewsFor('viewer')).toEqual(['operations']);
    expect(viewsFor('operator')).toEqual(['operations']);
    expect(viewsFor('planner')).toEqual(['operations', 'planning']);
    expect(viewsFor('admin')).toEqual(['operations', 'planning', 'fleet']);
  });

  it('reads the view from the hash; anything else is Operations', () => {
    expect(viewFromHash('#/planning')).toBe('planning');
    expect(viewFromHash('#/planning?x=1')).toBe('planning');
    expect(viewFromHash('#/fleet')).toBe('fleet');
    expect(viewFromHash('#/')).toBe('operations');
    expect(viewFromHash('')).toBe('operations');
    expect(viewFromHash('#/nowhere')).toBe('operations');
  });
});
