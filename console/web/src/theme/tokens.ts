/**
 * The colours of both themes, as CSS custom properties (theme.ts writes them on <html>). Text tokens are
 * chosen for WCAG AA against the backgrounds they are used on (normal text 4.5:1); a unit test computes
 * the ratios (contrast.test.ts), so a new token pair that falls short fails it.
 */
export const THEMES = ['dark', 'light'] as const;
export type Theme = (typeof THEMES)[number];

export interface ThemeTokens {
  bg: string;
  surface: string;
  surfaceRaised: string;
  border: string;
  text: string;
  textMuted: string;
  accent: string;
  accentText: string;
  focus: string;
  danger: string;
  warning: string;
  success: string;
  mapBackground: string;
  mapDistrictFill: string;
  mapDistrictLine: string;
  mapLabel: string;
  mapLabelHalo: string;
}

export const TOKENS: Record<Theme, ThemeTokens> = {
  dark: {
    bg: '#0f1419',
    surface: '#182028',
    surfaceRaised: '#222c36',
    border: '#6b7f92',
    text: '#e8edf2',
    textMuted: '#a9b6c3',
    accent: '#4da3ff',
    accentText: '#0b1620',
    focus: '#ffcc33',
    danger: '#ff7b72',
    warning: '#f0b429',
    success: '#4cc38a',
    mapBackground: '#0b2233',
    mapDistrictFill: '#1d2c38',
    mapDistrictLine: '#6f8699',
    mapLabel: '#dfe7ee',
    mapLabelHalo: '#0b2233',
  },
  light: {
    bg: '#f6f8fa',
    surface: '#ffffff',
    surfaceRaised: '#eef2f6',
    border: '#75838f',
    text: '#111820',
    textMuted: '#4a5663',
    accent: '#0a58ca',
    accentText: '#ffffff',
    focus: '#b35c00',
    danger: '#b42318',
    warning: '#8a5a00',
    success: '#146c43',
    mapBackground: '#cfe3f2',
    mapDistrictFill: '#f4f1ea',
    mapDistrictLine: '#7d8a96',
    mapLabel: '#1e2a36',
    mapLabelHalo: '#ffffff',
  },
};

/** Text-on-background pairs the UI uses; each must reach 4.5:1 (contrast.test.ts). */
export const TEXT_PAIRS: ReadonlyArray<readonly [keyof ThemeTokens, keyof ThemeTokens]> = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['text', 'surfaceRaised'],
  ['textMuted', 'bg'],
  ['textMuted', 'surface'],
  ['textMuted', 'surfaceRaised'],
  ['accentText', 'accent'],
  ['accent', 'bg'],
  ['accent', 'surface'],
  ['danger', 'surface'],
  ['danger', 'bg'],
  ['warning', 'surface'],
  ['success', 'surface'],
  ['mapLabel', 'mapDistrictFill'],
  ['mapLabel', 'mapLabelHalo'],
];

/** Non-text pairs (focus ring, map outlines) need 3:1 (WCAG 1.4.11). */
export const GRAPHIC_PAIRS: ReadonlyArray<readonly [keyof ThemeTokens, keyof ThemeTokens]> = [
  ['focus', 'bg'],
  ['focus', 'surface'],
  ['border', 'bg'],
  ['border', 'surface'],
];

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `--sw-text: #…;` lines for a theme. */
export function cssVariables(theme: Theme): Record<string, string> {
  return Object.fromEntries(Object.entries(TOKENS[theme]).map(([name, value]) => [`--sw-${kebab(name)}`, value]));
}
