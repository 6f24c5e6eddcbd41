/**
 * Which action buttons the desk shows: the server's rules (incidents' state machine) mirrored, so an
 * operator is not offered what would be refused. The server still decides; this only hides the futile.
 */
import type { DeskSeverity, DeskStatus } from './queue.js';

export const DESK_ACTIONS = ['acknowledge', 'dispatch', 'note', 'escalate', 'resolve'] as const;
export type DeskActionKind = (typeof DESK_ACTIONS)[number];

/** Roles that may act on incidents (the role matrix's ACTORS); viewers and planners only look. */
export const ACTING_ROLES = ['operator', 'admin'] as const;
export const canAct = (role: string): boolean => (ACTING_ROLES as readonly string[]).includes(role);

export function availableActions(incident: { status: DeskStatus; severity: DeskSeverity }): DeskActionKind[] {
  const active = incident.status !== 'resolved';
  return DESK_ACTIONS.filter((action) => {
    switch (action) {
      case 'acknowledge':
        return incident.status === 'open';
      case 'dispatch':
      case 'resolve':
        return active;
      case 'escalate':
        return active && incident.severity !== 'critical';
      case 'note':
        return true;
    }
  });
}
