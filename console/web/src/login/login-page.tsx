/** The sign-in form (username and password); errors in words, announced to screen readers. */
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { t } from '../i18n/i18n.js';
import { LanguagePicker } from '../header/language-picker.js';
import { signIn } from './session.js';

function messageFor(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return t('login.failed');
    if (error.status === 423) return t('login.locked');
    if (error.status === 429) return t('login.rateLimited');
    return t('login.error', { message: error.message });
  }
  return t('login.error', { message: error instanceof Error ? error.message : String(error) });
}

export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    signIn(username.trim(), password)
      .catch((error: unknown) => setProblem(messageFor(error)))
      .finally(() => setBusy(false));
  };

  return (
    <main class="sign-in" data-testid="login-page">
      <form class="card" onSubmit={submit} aria-describedby={problem ? 'login-problem' : undefined}>
        <h1>{t('login.title')}</h1>
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} autoFocus />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {problem && (
          <p id="login-problem" class="problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
        <LanguagePicker />
      </form>
    </main>
  );
}
