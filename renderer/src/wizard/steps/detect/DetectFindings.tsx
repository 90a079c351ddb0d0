import type { Lang } from '../../../../../shared/contract/common.js';
import type { DetectedProduct, DetectOutput } from '../../../../../shared/contract/detect.js';
import { t, tIfKnown } from '../../../../../shared/i18n/index.js';
import { runsText } from './prefill.js';

/**
 * What detection found: report servers (with the container-WebSocket and desktop-edition verdicts),
 * web servers, notes. Each report server that can get HTTPS has a button making it the target (a
 * machine may hold several installs; the first one is only the default).
 */
export function DetectFindings({ found, lang, current, onUse }: { readonly found: DetectOutput; readonly lang: Lang; readonly current: string; readonly onUse: (product: DetectedProduct) => void }) {
  const nothing = found.products.length + found.tomcats.length + found.nginx.length + found.apache.length === 0;
  const unknown = '?';
  return (
    <div className="wss-detected" data-testid="detected">
      {nothing && <p className="wss-none">{t(lang, 'wizard.detect.none')}</p>}
      {found.products.length > 0 && (
        <>
          <h3>{t(lang, 'wizard.detect.products')}</h3>
          <ul>
            {found.products.map((p) => (
              <li key={p.dir} data-product={p.product}>
                {t(lang, 'wizard.detect.product', { product: p.product, version: p.version ?? unknown, dir: p.dir })}{' '}
                {!p.desktopEdition &&
                  (p.dir === current ? (
                    <span className="wss-chip">{t(lang, 'wizard.detect.using')}</span>
                  ) : (
                    <button type="button" className="wss-chip" aria-label={t(lang, 'wizard.detect.useLabel', { dir: p.dir })} onClick={() => onUse(p)}>
                      {t(lang, 'wizard.detect.use')}
                    </button>
                  ))}
                {p.containerWebSocket && <p className="wss-note-info">{t(lang, 'wizard.detect.containerWs')}</p>}
                {p.desktopEdition && <p className="wss-note-error">{t(lang, 'wizard.detect.desktop')}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
      {found.tomcats.length + found.nginx.length + found.apache.length > 0 && (
        <>
          <h3>{t(lang, 'wizard.detect.servers')}</h3>
          <ul>
            {found.tomcats.map((tc) => (
              <li key={tc.base}>
                {t(lang, 'wizard.detect.tomcat', { version: tc.version ?? unknown, base: tc.base })} —{' '}
                {t(lang, 'wizard.detect.https', { state: t(lang, tc.connectors.some((c) => c.secure) ? 'wizard.detect.https.yes' : 'wizard.detect.https.no') })}
                {tc.runs.length > 0 && ` — ${t(lang, 'wizard.detect.runs', { how: runsText(tc.runs) })}`}
              </li>
            ))}
            {found.nginx.map((n) => (
              <li key={n.binary}>
                {t(lang, 'wizard.detect.nginx', { version: n.version ?? unknown, conf: n.conf ?? unknown })}
                {n.runs.length > 0 && ` — ${t(lang, 'wizard.detect.runs', { how: runsText(n.runs) })}`}
              </li>
            ))}
            {found.apache.map((a) => (
              <li key={a.binary}>
                {t(lang, 'wizard.detect.apache', { version: a.version ?? unknown, conf: a.conf ?? unknown })}
                {a.runs.length > 0 && ` — ${t(lang, 'wizard.detect.runs', { how: runsText(a.runs) })}`}
              </li>
            ))}
          </ul>
        </>
      )}
      {found.notes.length > 0 && (
        <ul className="wss-notes">
          {found.notes.map((n, i) => (
            <li key={`${n.code}-${i}`} data-code={n.code}>
              {tIfKnown(lang, `detect.note.${n.code}`, n.params) ?? n.code}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
