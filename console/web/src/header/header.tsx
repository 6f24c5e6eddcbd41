/** The top bar: who is signed in and as what, the live feed's state with a reconnect button, language, theme. */
import type { Session } from '../api/types.js';
import { formatDateTime, t } from '../i18n/i18n.js';
import { reconnect } from '../live/socket.js';
import { connection, lastCaughtUpAt } from '../live/store.js';
import { signOut } from '../login/session.js';
import { setTheme, theme } from '../theme/theme.js';
import { ViewSwitch } from '../views/view-switch.js';
import { LanguagePicker } from './language-picker.js';

export function Header({ user }: { user: Session }) {
  const state = connection.value;
  return (
    <header class="top-bar">
      <strong class="brand">{t('app.title')}</strong>
      <ViewSwitch role={user.role} />
      <div class="connection" role="status" aria-live="polite" data-testid="connection" data-state={state}>
        <span class={`dot dot-${state}`} aria-hidden="true" />
        <span>{t('header.connection', { state: t(`connection.${state}`) })}</span>
        {state === 'online' && lastCaughtUpAt.value && <span class="muted">({t('header.caughtUpAt', { time: formatDateTime(lastCaughtUpAt.value, 'time') })})</span>}
        {state !== 'online' && (
          <button type="button" onClick={reconnect} data-testid="reconnect">
            {t('header.reconnect')}
          </button>
        )}
      </div>
      <div class="spacer" />
      <LanguagePicker />
      <label class="inline">
        <span>{t('header.theme')}</span>
        <select data-testid="theme" value={theme.value} onChange={(e) => setTheme(e.currentTarget.value === 'light' ? 'light' : 'dark')}>
          <option value="dark">{t('header.themeDark')}</option>
          <option value="light">{t('header.themeLight')}</option>
        </select>
      </label>
      <span class="who" data-testid="whoami" data-role={user.role}>
        {t('header.signedInAs', { username: user.username })} · {t(`role.${user.role}`)}
      </span>
      <button type="button" onClick={() => void signOut()} data-testid="sign-out">
        {t('header.signOut')}
      </button>
    </header>
  );
}
