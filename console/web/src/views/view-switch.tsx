/** Tabs between the views the signed-in role may use; hidden when there is only one (viewers, operators). */
import type { Role } from '../api/types.js';
import { t } from '../i18n/i18n.js';
import { showView, viewsFor, visibleView, type View } from './views.js';

export function ViewSwitch({ role }: { role: Role }) {
  const views = viewsFor(role);
  if (views.length < 2) return null;
  const current = visibleView(role);
  const move = (event: KeyboardEvent, from: View) => {
    // Arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab leaves the list.
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = views[(views.indexOf(from) + (event.key === 'ArrowRight' ? 1 : views.length - 1)) % views.length]!;
    showView(next);
    document.querySelector<HTMLElement>(`[data-view-tab=${next}]`)?.focus();
  };
  return (
    <nav class="view-switch" role="tablist" aria-label={t('views.label')} data-testid="view-switch">
      {views.map((view) => (
        <a
          key={view}
          role="tab"
          href={view === 'operations' ? '#/' : `#/${view}`}
          aria-selected={view === current}
          tabIndex={view === current ? 0 : -1}
          data-view-tab={view}
          data-testid={`view-${view}`}
          onClick={(e) => {
            e.preventDefault();
            showView(view);
          }}
          onKeyDown={(e) => move(e, view)}
        >
          {t(`views.${view}`)}
        </a>
      ))}
    </nav>
  );
}
