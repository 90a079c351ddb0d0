import type { ReactNode } from 'react';

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** The problem of this field (shown under it, the field highlighted), or undefined. */
  readonly problem?: string | undefined;
  readonly hint?: string;
  readonly type?: 'text' | 'password';
  readonly multiline?: boolean;
  readonly children?: ReactNode;
}

/** A labelled input; a problem highlights it (aria-invalid) and is read with it (aria-describedby). */
export function Field({ id, label, value, onChange, problem, hint, type = 'text', multiline = false, children }: FieldProps) {
  const described = [problem !== undefined ? `${id}-problem` : null, hint !== undefined ? `${id}-hint` : null].filter((x) => x !== null).join(' ');
  const common = {
    id,
    name: id,
    value,
    spellCheck: false,
    'aria-invalid': problem !== undefined,
    ...(described !== '' ? { 'aria-describedby': described } : {}),
    className: problem !== undefined ? 'wss-invalid' : undefined,
  };
  return (
    <div className="wss-field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea rows={3} {...common} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input type={type} autoComplete={type === 'password' ? 'new-password' : 'off'} {...common} onChange={(e) => onChange(e.target.value)} />
      )}
      {hint !== undefined && (
        <span id={`${id}-hint`} className="wss-hint">
          {hint}
        </span>
      )}
      {children}
      {problem !== undefined && (
        <span id={`${id}-problem`} className="wss-field-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
