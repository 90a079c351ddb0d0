import type { Lang } from '../../../shared/contract/common.js';
import { t, type MessageKey } from '../../../shared/i18n/index.js';

/** A field at fault: its id (to highlight and focus it) and the sentence naming its label. */
export interface FieldProblem {
  readonly field: string;
  readonly text: string;
}

export const isAbsolutePath = (value: string): boolean => value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value);

/** Collects problems that name the field's label ("HTTPS port: A port is…"). */
export class ProblemCollector {
  readonly problems: FieldProblem[] = [];
  constructor(private readonly lang: Lang) {}

  add(field: string, label: MessageKey, message: MessageKey | string): void {
    const text = message.startsWith('wizard.') || message.includes('.input.') ? this.translate(message) : message;
    this.problems.push({ field, text: t(this.lang, 'wizard.fieldProblem', { label: t(this.lang, label), message: text }) });
  }

  private translate(key: string): string {
    return (t as (lang: Lang, key: string) => string)(this.lang, key);
  }

  /** A port, or undefined when empty (the default applies); a problem when not a port. */
  port(field: string, label: MessageKey, value: string): number | undefined {
    const v = value.trim();
    if (v === '') return undefined;
    const n = Number(v);
    if (!/^\d{1,5}$/.test(v) || n < 1 || n > 65535) this.add(field, label, 'wizard.field.port');
    return n;
  }

  /** An absolute path; required ones get a problem when empty. */
  path(field: string, label: MessageKey, value: string, required: boolean): string | undefined {
    const v = value.trim();
    if (v === '') {
      if (required) this.add(field, label, 'wizard.field.required');
      return undefined;
    }
    if (!isAbsolutePath(v)) this.add(field, label, 'wizard.field.path');
    return v;
  }
}

/** The names typed, one a line (commas too), blanks dropped. */
export const namesOf = (text: string): string[] => text.split(/[\s,]+/).map((n) => n.trim()).filter((n) => n !== '');
