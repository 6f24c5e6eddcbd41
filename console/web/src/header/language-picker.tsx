import { LOCALES, locale, setLocale, t, type Locale } from '../i18n/i18n.js';
import { session } from '../live/store.js';

/** A labelled select; the choice is remembered for the signed-in user. */
export function LanguagePicker() {
  return (
    <label class="inline">
      <span>{t('header.language')}</span>
      <select
        data-testid="language"
        value={locale.value}
        onChange={(e) => setLocale(e.currentTarget.value as Locale, session.value?.username)}
      >
        {LOCALES.map((code) => (
          <option value={code} lang={code} key={code}>
            {t(`language.${code}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
