export { defineSettings, settingsOrExit, integer, text, pattern, url, oneOf, bool, LOG_LEVELS } from './settings.js';
export type { Parse, SettingSpec, SettingsTable, ParsedSettings, LogLevel } from './settings.js';
