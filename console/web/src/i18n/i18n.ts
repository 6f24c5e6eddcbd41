/**
 * The UI's language: `t(key, params)` in the current `locale` (a signal, so components re-render when it
 * changes), dates, numbers and durations through Intl in the same locale. First visit: the browser's
 * languages (zh-HK, zh-TW, zh-Hant… → zh-HK; `zh` alone or anything else → en). After that, the user's
 * choice, remembered in localStorage per username.
 */
import { effect, signal } from '@preact/signals';
import { en, type MessageKey } from './en.js';
import { zhHK } from './zh-hk.js';

export const LOCALES = ['en', 'zh-HK'] as const;
export type Locale = (typeof LOCALES)[number];

const TABLES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-HK': zhHK };

/** The browser language tags that mean Traditional Chinese, which we ship as zh-HK. */
export function localeFromLanguages(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const lower = tag.toLowerCase();
    if (lower === 'zh-hk' || lower === 'zh-tw' || lower === 'zh-mo' || lower.startsWith('zh-hant') || lower.startsWith('zh-hk-') || lower.startsWith('zh-tw-')) return 'zh-HK';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

const browserLanguages = (): readonly string[] =>
  typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];

export const locale = signal<Locale>(localeFromLanguages(browserLanguages()));

// The page's language follows the locale at once, not after the next paint (screen readers read it, and a
// component's effect would leave <html lang> a frame behind the text).
if (typeof document !== 'undefined') effect(() => void (document.documentElement.lang = locale.value));

const STORAGE_PREFIX = 'streetwise.locale.';

/** The user's remembered language, or the browser's; called when a user signs in. */
export function restoreLocale(username: string): void {
  const saved = safeStorage()?.getItem(STORAGE_PREFIX + username);
  locale.value = saved === 'en' || saved === 'zh-HK' ? saved : localeFromLanguages(browserLanguages());
}

/** Switches the language (and remembers it for the signed-in user, if any). */
export function setLocale(next: Locale, username?: string): void {
  locale.value = next;
  if (username) safeStorage()?.setItem(STORAGE_PREFIX + username, next);
}

function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export function translate(target: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const text = TABLES[target][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : typeof value === 'number' ? formatNumber(value, target) : value;
  });
}

/** The string for `key` in the current locale, `{name}` replaced from params (numbers formatted). */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(locale.value, key, params);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(value: string | Date, style: 'short' | 'time' = 'short', target: Locale = locale.value): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  const cacheKey = `${target}|${style}`;
  let format = dateTimeFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(target, style === 'time' ? { timeStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' });
    dateTimeFormats.set(cacheKey, format);
  }
  return format.format(date);
}

export function formatNumber(value: number, target: Locale = locale.value): string {
  return new Intl.NumberFormat(target).format(value);
}

/** A duration as the locale writes it: "4 min 12 s" / "4分鐘12秒" (Intl.DurationFormat where available). */
export function formatDuration(seconds: number, target: Locale = locale.value): string {
  const whole = Math.max(0, Math.round(seconds));
  const parts = { hours: Math.floor(whole / 3600), minutes: Math.floor((whole % 3600) / 60), seconds: whole % 60 };
  const DurationFormat = (Intl as unknown as { DurationFormat?: new (locale: string, options: object) => { format(duration: object): string } }).DurationFormat;
  if (DurationFormat) return new DurationFormat(target, { style: 'narrow' }).format(parts);
  const unit = (value: number, name: 'hour' | 'minute' | 'second') => new Intl.NumberFormat(target, { style: 'unit', unit: name, unitDisplay: 'narrow' }).format(value);
  return [parts.hours ? unit(parts.hours, 'hour') : '', parts.minutes ? unit(parts.minutes, 'minute') : '', unit(parts.seconds, 'second')].filter(Boolean).join(' ');
}

export type { MessageKey };
