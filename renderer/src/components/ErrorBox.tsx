import type { OpError } from '../../../shared/contract/result.js';

/** An operation's error: its message and fix, with the stable code as data-code. */
export function ErrorBox({ error, title }: { readonly error: OpError | null; readonly title?: string }) {
  if (error === null) return null;
  return (
    <div className="wss-op-error" role="alert" data-code={error.code}>
      {title !== undefined && <strong>{title}</strong>}
      <p>{error.message}</p>
      {error.fix !== undefined && <p className="wss-fix">{error.fix}</p>}
    </div>
  );
}
