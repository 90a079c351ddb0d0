import type { Lang } from '../contract/common.js';
import type { PlanNote, PlanText, SecretRef } from '../contract/plan.js';
import { hasMessage, t, tIfKnown } from './index.js';

/**
 * Renders the plan's codes + params in a language (every host uses these, so a plan saved in
 * English reads in Chinese). A code without a catalog entry is shown as it is, never dropped.
 */
export function planText(lang: Lang, text: PlanText): string {
  return hasMessage(text.code) ? t(lang, text.code, text.params) : text.code;
}

export function noteMessage(lang: Lang, note: PlanNote): { readonly message: string; readonly fix: string | null } {
  const key = `plan.note.${note.code}`;
  return {
    message: tIfKnown(lang, key, note.params) ?? note.code,
    fix: tIfKnown(lang, `${key}.fix`, note.params) ?? null,
  };
}

/** A row value for people: secrets masked (the plan only holds their name anyway). */
export function rowValueText(lang: Lang, value: string | null | SecretRef | undefined, side: 'before' | 'after'): string {
  if (value === undefined) return t(lang, 'plan.render.row.unread');
  if (value === null) return t(lang, side === 'before' ? 'plan.render.row.absent' : 'plan.render.row.delete');
  if (typeof value === 'object') return t(lang, 'plan.render.row.secret', { name: value.secretRef });
  return value;
}
