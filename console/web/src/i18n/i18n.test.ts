import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { localeFromLanguages, translate } from './i18n.js';
import { zhHK } from './zh-hk.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('string tables', () => {
  it('zh-HK has every key of en, no other, and no empty string', () => {
    expect(Object.keys(zhHK).sort()).toEqual(Object.keys(en).sort());
    const empty = Object.entries(zhHK).filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
    expect(Object.entries(en).filter(([, text]) => text.trim() === '')).toEqual([]);
  });

  it('each translation keeps the parameters of the English string', () => {
    const differ = Object.keys(en).filter((key) => placeholders(en[key as keyof typeof en]).join() !== placeholders(zhHK[key as keyof typeof en]).join());
    expect(differ).toEqual([]);
  });

  it('fills parameters, formatting numbers in the locale', () => {
    expect(translate('en', 'map.counts', { devices: 5000, incidents: 3 })).toBe('Devices: 5,000 · open incidents: 3');
    expect(translate('zh-HK', 'header.signedInAs', { username: 'olivia' })).toBe('已登入：olivia');
  });
});

describe('the first visit follows the browser', () => {
  it.each([
    [['zh-HK'], 'zh-HK'],
    [['zh-TW', 'en'], 'zh-HK'],
    [['zh-Hant-TW'], 'zh-HK'],
    [['zh-Hant'], 'zh-HK'],
    [['zh-MO'], 'zh-HK'],
    [['en-GB', 'zh-HK'], 'en'],
    [['zh'], 'en'],
    [['zh-CN'], 'en'],
    [['zh-Hans'], 'en'],
    [['fr-FR'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (languages, expected) => {
    expect(localeFromLanguages(languages)).toBe(expected);
  });
});
