import { describe, expect, it } from 'vitest';
import { availableActions, canAct } from './action-rules.js';

describe('the actions the desk offers', () => {
  it('follows the incident state machine', () => {
    expect(availableActions({ status: 'open', severity: 'high' })).toEqual(['acknowledge', 'dispatch', 'note', 'escalate', 'resolve']);
    expect(availableActions({ status: 'acknowledged', severity: 'high' })).toEqual(['dispatch', 'note', 'escalate', 'resolve']);
    expect(availableActions({ status: 'dispatched', severity: 'critical' })).toEqual(['dispatch', 'note', 'resolve']);
    expect(availableActions({ status: 'resolved', severity: 'low' })).toEqual(['note']);
  });

  it('lets operators and admins act, and nobody else', () => {
    expect(['viewer', 'operator', 'planner', 'admin'].map(canAct)).toEqual([false, true, false, true]);
  });
});
