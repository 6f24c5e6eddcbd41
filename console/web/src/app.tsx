/**
 * The app's layout: sign-in until there is a session, the password change while a one-time password is in
 * force, then the header over the view its tabs chose (views/): Operations, a map pane and a desk pane, or
 * Planning, the planners' dashboards (planning/, loaded on first use).
 */
import { useEffect } from 'preact/hooks';
import { Desk } from './desk/desk.js';
import { Header } from './header/header.js';
import { locale, t } from './i18n/i18n.js';
import { session } from './live/store.js';
import { LoginPage } from './login/login-page.js';
import { PasswordPage } from './login/password-page.js';
import { MapView } from './map/map-view.js';
import { LazyPlanningView } from './planning/lazy-planning-view.js';
import { FleetView } from './fleet/fleet-view.js';
import { visibleView } from './views/views.js';

export function App() {
  const lang = locale.value;
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang]);

  const user = session.value;
  if (user === undefined) return <p class="loading">{t('app.loading')}</p>;
  if (user === null) return <LoginPage />;
  if (user.mustChangePassword) return <PasswordPage />;
  return (
    <div class="shell" data-testid="shell">
      <a class="skip-link" href="#map">
        {t('app.skipToMap')}
      </a>
      <Header user={user} />
      {visibleView(user.role) === 'fleet' ? (
        <FleetView />
      ) : visibleView(user.role) === 'planning' ? (
        <LazyPlanningView />
      ) : (
      <div class="panes">
        <section class="map-pane" aria-label={t('app.mapPane')} id="map">
          <MapView />
        </section>
        <section class="desk-pane" aria-label={t('app.deskPane')}>
          <Desk />
        </section>
      </div>
      )}
    </div>
  );
}
