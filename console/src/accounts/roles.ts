/** The console's roles. What each may do is the role matrix (role-matrix.ts, console/README.md). */
export const ROLES = ['viewer', 'operator', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/** Lower-case letters, digits, ".", "_", "-"; at most 64 (the incident_log actor is at most 64 too). */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
