import type { Lang } from '../../../shared/contract/common.js';
import { t, type MessageKey } from '../../../shared/i18n/index.js';

/** Back / Next; a disabled Next says why next to it (and to screen readers). */
export function StepFooter({ lang, onBack, onNext, blocker, nextLabel }: { readonly lang: Lang; readonly onBack?: () => void; readonly onNext?: () => void; readonly blocker: MessageKey | null; readonly nextLabel?: string }) {
  return (
    <div className="wss-footer">
      {onBack !== undefined && (
        <button type="button" className="wss-secondary" onClick={onBack}>
          {t(lang, 'wizard.back')}
        </button>
      )}
      {onNext !== undefined && (
        <button type="button" className="wss-primary" disabled={blocker !== null} aria-describedby={blocker !== null ? 'wss-next-why' : undefined} onClick={onNext} data-testid="next">
          {nextLabel ?? t(lang, 'wizard.next')}
        </button>
      )}
      {blocker !== null && (
        <span id="wss-next-why" className="wss-why">
          {t(lang, blocker)}
        </span>
      )}
    </div>
  );
}
