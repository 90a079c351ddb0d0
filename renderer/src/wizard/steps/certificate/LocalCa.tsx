import { useEffect, useState } from 'react';
import { t } from '../../../../../shared/i18n/index.js';
import { ErrorBox } from '../../../components/ErrorBox.js';
import { Progress } from '../../../components/Progress.js';
import { useOperation } from '../../../hooks/use-operation.js';
import type { StepProps } from '../../types.js';
import { inServeMode } from './UploadButton.js';

/** The local CA the plan issues from: its path, or a button creating it (the one thing done at this step, said so). */
export function LocalCa({ api, lang, onStatus }: Pick<StepProps, 'api' | 'lang'> & { readonly onStatus?: (caPath: string | null) => void }) {
  const operation = useOperation();
  const [caPath, setCaPath] = useState<string | null | undefined>(undefined);
  const refresh = async () => {
    const result = await api.certTrust({ action: 'status' });
    const path = result.ok ? result.value.caPath : null;
    setCaPath(path);
    onStatus?.(path);
  };
  useEffect(() => {
    void refresh();
    // once per mount; api is stable
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const create = async () => {
    const made = await operation.run(t(lang, 'wizard.busy'), (onProgress) => api.certCa({ ifExists: 'reuse' }, { onProgress }));
    if (made !== null) await refresh();
  };
  return (
    <div className="wss-ca" data-testid="local-ca">
      <p>{t(lang, 'wizard.cert.caNote')}</p>
      {caPath === null && (
        <p>
          {t(lang, 'certs.panel.ca.none')}{' '}
          <button type="button" className="wss-secondary" disabled={operation.busy !== null} onClick={() => void create()}>
            {t(lang, 'certs.panel.ca.create')}
          </button>
        </p>
      )}
      {typeof caPath === 'string' && (
        <p>
          {t(lang, 'certs.panel.ca.present', { path: caPath })}
          {/* Over ssh -L the client machines' admin is at the browser: the CA they will trust comes through it. */}
          {inServeMode() && (
            <>
              {' '}
              <a href="api/download/ca.crt" download="ca.crt">
                {t(lang, 'wizard.verify.downloadCa')}
              </a>
            </>
          )}
        </p>
      )}
      <Progress message={operation.busy} />
      <ErrorBox error={operation.error} />
    </div>
  );
}
