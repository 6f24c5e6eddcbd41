/** The one-time password must be changed before anything else (POST /api/v1/session/password). */
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { t } from '../i18n/i18n.js';
import { changePassword, signOut } from './session.js';

export function PasswordPage() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: Event) => {
    event.preventDefault();
    if (next !== confirm) return setProblem(t('password.mismatch'));
    setBusy(true);
    setProblem(null);
    changePassword(current, next)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setProblem(t('login.failed'));
        else if (error instanceof ApiError && error.status === 400) setProblem(t('password.weak', { message: error.message }));
        else setProblem(t('password.error', { message: error instanceof Error ? error.message : String(error) }));
      })
      .finally(() => setBusy(false));
  };

  return (
    <main class="sign-in" data-testid="password-page">
      <form class="card" onSubmit={submit}>
        <h1>{t('password.title')}</h1>
        <p>{t('password.explain')}</p>
        <label>
          {t('password.current')}
          <input name="currentPassword" type="password" autoComplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} autoFocus />
        </label>
        <label>
          {t('password.new')}
          <input name="newPassword" type="password" autoComplete="new-password" required value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        </label>
        <label>
          {t('password.confirm')}
          <input name="confirmPassword" type="password" autoComplete="new-password" required value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />
        </label>
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {t('password.submit')}
          </button>
          <button type="button" onClick={() => void signOut()}>
            {t('header.signOut')}
          </button>
        </div>
      </form>
    </main>
  );
}
