/** Placeholder: the incident desk (queue, detail, actions) replaces this file. */
import { t } from '../i18n/i18n.js';
import { selectedIncidentId } from '../live/store.js';

export function Desk() {
  const selected = selectedIncidentId.value;
  return (
    <div class="desk-placeholder" data-testid="desk">
      <p>{t('desk.placeholder')}</p>
      {selected && <p data-testid="selected-incident">{t('desk.selected', { id: selected })}</p>}
    </div>
  );
}
