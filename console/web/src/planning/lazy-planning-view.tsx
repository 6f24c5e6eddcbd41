/**
 * The Planning view, loaded on first use: uPlot and maplibre stay out of the first download, so the sign-in
 * page and the operators' view load as light as they did without the dashboards.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/i18n.js';

let loaded: ComponentType | undefined;

export function LazyPlanningView() {
  const [View, setView] = useState<ComponentType | undefined>(() => loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (loaded) return;
    let gone = false;
    import('./planning-view.js')
      .then((module) => {
        loaded = module.PlanningView;
        if (!gone) setView(() => module.PlanningView);
      })
      .catch((error: unknown) => {
        console.error('the dashboards failed to load', error);
        if (!gone) setFailed(true);
      });
    return () => {
      gone = true;
    };
  }, []);
  if (failed) return <p class="problem" role="alert">{t('planning.loadFailed')}</p>;
  return View ? <View /> : <p class="loading">{t('app.loading')}</p>;
}
