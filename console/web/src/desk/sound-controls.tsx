/** "Enable sound" until the browser allows audio, then mute for 15/30/60 minutes (or unmute). */
import { formatDateTime, t } from '../i18n/i18n.js';
import { beepCount, enableSound, muteSound, mutedUntilMs, soundStatus, unmuteSound } from './alert-sound.js';
import { MUTE_MINUTES } from './sound-scheduler.js';

export function SoundControls() {
  const status = soundStatus.value;
  const until = mutedUntilMs.value;
  return (
    <div class={`sound-controls sound-${status}`} role="group" aria-label={t('desk.sound.label')} data-testid="sound" data-status={status} data-beeps={beepCount.value}>
      {status === 'locked' ? (
        <button type="button" class="primary" data-testid="enable-sound" onClick={() => void enableSound()}>
          {t('desk.sound.enable')}
        </button>
      ) : (
        <span data-testid="sound-state">
          {status === 'muted' && until !== null ? t('desk.sound.mutedUntil', { time: formatDateTime(new Date(until), 'time') }) : t(`desk.sound.${status}`)}
        </span>
      )}
      {status === 'muted' ? (
        <button type="button" onClick={unmuteSound} data-testid="unmute">{t('desk.sound.unmute')}</button>
      ) : (
        <span class="mute-group" role="group" aria-label={t('desk.sound.muteFor')}>
          <span aria-hidden="true">{t('desk.sound.muteFor')}</span>
          {MUTE_MINUTES.map((minutes) => (
            <button type="button" key={minutes} onClick={() => muteSound(minutes)} data-testid={`mute-${minutes}`} aria-label={t('desk.sound.mute', { minutes })}>
              {t('desk.sound.minutes', { minutes })}
            </button>
          ))}
        </span>
      )}
    </div>
  );
}
