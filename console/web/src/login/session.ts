/** Signing in and out, and the one-time-password change: the session signal and the CSRF token follow. */
import { ApiError, api, setCsrfToken } from '../api/client.js';
import type { Session } from '../api/types.js';
import { restoreLocale } from '../i18n/i18n.js';
import { startLiveFeed, stopLiveFeed } from '../live/socket.js';
import { resetStore, session } from '../live/store.js';

function begin(next: Session): void {
  setCsrfToken(next.csrfToken);
  restoreLocale(next.username);
  session.value = next;
  if (!next.mustChangePassword) startLiveFeed();
}

/** On start: is there a session cookie already? */
export async function checkSession(): Promise<void> {
  try {
    begin(await api<Session>('GET', '/session'));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) console.warn('GET /session', error);
    session.value = null;
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  begin(await api<Session>('POST', '/session', { username, password }));
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api<unknown>('POST', '/session/password', { currentPassword, newPassword });
  // The answer may or may not carry the new state: ask, which also starts the live feed.
  begin(await api<Session>('GET', '/session'));
}

export async function signOut(): Promise<void> {
  try {
    await api<unknown>('DELETE', '/session');
  } finally {
    endSession();
  }
}

/** The session is gone (signed out, or a 401): back to the sign-in page. */
export function endSession(): void {
  stopLiveFeed();
  setCsrfToken(undefined);
  resetStore();
  session.value = null;
}
