import type { ApplyItem } from '../../../shared/contract/apply.js';
import { isSecretRef, type FineDbRowChange } from '../../../shared/contract/plan.js';
import { t } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { scrub } from '../journal/index.js';

/** A FineDB value is up to 8 KiB of JSON; a progress line shows its start. */
const MAX_VALUE = 160;

/**
 * One finer progress line inside an apply step: an i18n code with its params (paths, service ids,
 * names, ports, a row key) and the message in the context's language. Strings pass through the
 * journal's scrubber, so a secret apply was given can never reach a host even by accident.
 */
export function progressItem(ctx: OpContext, item: ApplyItem, params: Readonly<Record<string, string | number>>): void {
  const safe = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? scrub(v) : v]));
  const step = `progress.apply.item.${item}` as const;
  ctx.onProgress({ operation: 'apply', step, message: t(ctx.lang, step, safe), params: safe });
}

/** A service started: ready on the ports that prove it, or (none to wait for) just started. */
export function progressReady(ctx: OpContext, service: string, ports: readonly { readonly host: string; readonly port: number; readonly url?: string }[]): void {
  if (ports.length === 0) progressItem(ctx, 'started', { service });
  else progressItem(ctx, 'ready', { service, ports: ports.map((p) => `${p.host}:${p.port}`).join(', ') });
  // The readiness URLs (the product's page over HTTPS) answered too: said, so the admin sees the page proven.
  for (const url of ports.flatMap((p) => (p.url !== undefined ? [p.url] : []))) progressItem(ctx, 'pageAnswers', { service, url });
}

/** The line for one FineDB row: its key and new value; a secret shows as its name only, a deletion as such. */
export function progressRow(ctx: OpContext, row: FineDbRowChange): void {
  if (isSecretRef(row.after)) progressItem(ctx, 'finedbRowSecret', { key: row.id, name: row.after.secretRef });
  else if (row.after === null) progressItem(ctx, 'finedbRowDelete', { key: row.id });
  else progressItem(ctx, 'finedbRow', { key: row.id, value: row.after.length > MAX_VALUE ? `${row.after.slice(0, MAX_VALUE)}…` : row.after });
}
