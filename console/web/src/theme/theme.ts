/** Dark or light: a signal, remembered in localStorage; first visit follows prefers-color-scheme. */
import { effect, signal } from '@preact/signals';
import { cssVariables, type Theme } from './tokens.js';

const STORAGE_KEY = 'streetwise.theme';

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    // Storage refused (private mode): fall through to the system's preference.
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export const theme = signal<Theme>(initialTheme());

export function setTheme(next: Theme): void {
  theme.value = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered: the choice still holds for this page.
  }
}

/** Writes the theme's variables on <html> whenever it changes. */
export function applyThemeToDocument(): void {
  effect(() => {
    const root = document.documentElement;
    root.dataset['theme'] = theme.value;
    root.style.colorScheme = theme.value;
    for (const [name, value] of Object.entries(cssVariables(theme.value))) root.style.setProperty(name, value);
  });
}
