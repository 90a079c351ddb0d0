import { useState } from 'react';
import type { Lang } from '../../../../../shared/contract/common.js';
import { t } from '../../../../../shared/i18n/index.js';

/** Serve mode only: the page came over HTTP (no Electron bridge), so files can move through the browser. */
export const inServeMode = (): boolean => typeof window !== 'undefined' && window.wssSetup === undefined;

/** Uploads a file from the admin's computer into the server's private upload folder and hands back its path there. */
export function UploadButton({ id, lang, onUploaded }: { readonly id: string; readonly lang: Lang; readonly onUploaded: (path: string) => void }) {
  const [message, setMessage] = useState<{ readonly ok: boolean; readonly text: string } | null>(null);
  if (!inServeMode()) return null;
  const upload = async (file: File | undefined) => {
    setMessage(null);
    if (file === undefined) return;
    const response = await fetch(`api/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/octet-stream', 'x-wss-setup-lang': lang }, body: file }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { ok: boolean; value?: { path: string }; error?: { message: string } } | null;
    if (body?.ok === true && body.value !== undefined) {
      onUploaded(body.value.path);
      setMessage({ ok: true, text: t(lang, 'wizard.cert.uploaded', { path: body.value.path }) });
    } else setMessage({ ok: false, text: body?.error?.message ?? `HTTP ${response?.status ?? '-'}` });
  };
  return (
    <span className="wss-upload">
      <label htmlFor={`${id}-upload`}>{t(lang, 'wizard.cert.upload')}</label>{' '}
      <input id={`${id}-upload`} type="file" accept=".pem,.crt,.cer,.key,.pfx,.p12,.jks" onChange={(e) => void upload(e.target.files?.[0])} />
      {message !== null && (
        <span role={message.ok ? 'status' : 'alert'} className={message.ok ? 'wss-note-info' : 'wss-field-problem'}>
          {message.text}
        </span>
      )}
    </span>
  );
}
