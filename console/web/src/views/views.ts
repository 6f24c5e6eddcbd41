/**
 * Which view the app shows, kept in the location hash (`#/planning`) so a reload or a shared link keeps it.
 * Operations (map + desk) is everyone's; Planning is for planners and admins (the analytics API refuses
 * the others anyway); Fleet (device health, config pushes) is the admins' view.
 */
import { signal } from '@preact/signals';
import type { Role } from '../api/types.js';

export const VIEWS = ['operations', 'planning', 'fleet'] as const;
export type View = (typeof VIEWS)[number];

const ACCESS: Record<View, readonly Role[]> = {
  operations: ['viewer', 'operator', 'planner', 'admin'],
  planning: ['planner', 'admin'],
  fleet: ['admin'],
};

/** Views that exist in this build. */
const BUILT: ReadonlySet<View> = new Set<View>(['operations', 'planning', 'fleet']);

export function viewsFor(role: Role): View[] {
  return VIEWS.filter((v) => BUILT.has(v) && ACCESS[v].includes(role));
}

export function viewFromHash(hash: string): View {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'operations';
}

export const requestedView = signal<View>(typeof location === 'undefined' ? 'operations' : viewFromHash(location.hash));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    // In-page anchors (the skip link's #map) are not views: only `#/…` and an empty hash switch.
    if (location.hash === '' || location.hash.startsWith('#/')) requestedView.value = viewFromHash(location.hash);
  });
}

/** The view to show a user: the one asked for when the role may see it, else Operations. */
export function visibleView(role: Role): View {
  return viewsFor(role).includes(requestedView.value) ? requestedView.value : 'operations';
}

export function showView(view: View): void {
  const hash = view === 'operations' ? '#/' : `#/${view}`;
  if (location.hash !== hash) location.hash = hash;
  requestedView.value = view;
}
