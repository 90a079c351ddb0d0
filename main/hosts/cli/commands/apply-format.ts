import type { ApplyOutput, HistoryOutput, RunShowOutput } from '../../../../shared/contract/apply.js';
import type { Lang } from '../../../../shared/contract/common.js';
import { hasMessage, t } from '../../../../shared/i18n/index.js';
import { readSecretSource } from '../secrets.js';
import type { CliIO } from '../io.js';

const text = (lang: Lang, key: string, params: Record<string, string | number> = {}) => (hasMessage(key) ? t(lang, key, params) : key);

/** The outcome of apply, rollback or recover, as an admin reads it. */
export function formatApply(out: ApplyOutput, lang: Lang): string {
  const lines: string[] = [];
  lines.push(text(lang, `apply.cli.outcome.${out.outcome}`, { run: out.runId ?? '-', method: out.method, profile: out.profile }));
  for (const s of out.steps) lines.push(`  ${s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : '·'} ${text(lang, `progress.apply.${s.name}`)}${s.status === 'done' ? ` (${s.ms} ms)` : ''}`);
  for (const f of out.files) lines.push(`  ${f.action === 'create' ? '+' : f.action === 'link' ? '@' : '~'} ${f.path}`);
  for (const c of out.checks) lines.push(`  ${c.ok ? '✓' : '✗'} ${c.url}${c.ok ? '' : ` (${c.codes.join(', ')})`}`);
  if (out.failure !== undefined) {
    lines.push(text(lang, 'apply.cli.failedStep', { step: text(lang, `progress.apply.${out.failure.step}`) }));
    lines.push(`  ${out.failure.message}`);
    if (out.failure.fix !== undefined) lines.push(`  → ${out.failure.fix}`);
  }
  if (out.restore !== undefined) {
    if (out.restore.manual.length === 0) lines.push(text(lang, 'apply.cli.restored', { files: out.restore.files.length, services: out.restore.services.join(', ') || '-' }));
    else {
      lines.push(text(lang, 'apply.cli.manual'));
      for (const m of out.restore.manual) lines.push(`  - ${text(lang, m.code, m.params)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatHistory(out: HistoryOutput, lang: Lang): string {
  const lines = out.runs.map((r) => `${r.id}  ${r.kind.padEnd(8)} ${r.state.padEnd(20)} ${r.method}/${r.profile}  ${r.startedAt}${r.failedStep !== null ? `  (${r.failedStep})` : ''}`);
  if (out.runs.length === 0) lines.push(text(lang, 'apply.cli.noRuns'));
  for (const id of out.unfinished) lines.push(text(lang, 'apply.cli.unfinished', { run: id }));
  return `${lines.join('\n')}\n`;
}

export function formatShow(out: RunShowOutput, lang: Lang): string {
  const lines = [`${out.id}  ${out.kind}  ${out.state}  ${out.method}/${out.profile}  ${out.startedAt} → ${out.finishedAt ?? '…'}`];
  lines.push(text(lang, 'apply.cli.steps'));
  for (const s of out.steps) lines.push(`  ${String(s.seq).padStart(3)} ${s.name.padEnd(22)} ${s.status.padEnd(8)} ${s.at}${s.ms !== null ? ` ${s.ms} ms` : ''}`);
  lines.push(text(lang, 'apply.cli.backups'));
  for (const b of out.backups) lines.push(`  ${b.path}  ${b.existed ? `sha256 ${b.sha256} mode ${(b.mode ?? 0).toString(8)} owner ${b.uid}:${b.gid}` : text(lang, 'apply.cli.created')}${b.restored ? ` (${text(lang, 'apply.cli.wasRestored')})` : ''}`);
  for (const f of out.fineDb) lines.push(`  FineDB ${f.install}: ${f.backupId} — ${f.rows.map((r) => `${r.id}=${r.existed ? (r.value ?? '') : '∅'}`).join(', ')}`);
  if (out.checks.length > 0) lines.push(text(lang, 'apply.cli.checks'));
  for (const c of out.checks) lines.push(`  ${c.phase.padEnd(15)} ${c.ok ? '✓' : '✗'} ${c.url}${c.codes.length > 0 ? ` (${c.codes.join(', ')})` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** --secret-file name=path / --secret-env name=VARIABLE (repeatable); values never come from argv. */
export async function readSecrets(io: CliIO, files: unknown, envs: unknown): Promise<{ ok: true; secrets: Record<string, string> } | { ok: false; key: 'apply.cli.secretSpec' | 'apply.cli.secretFile' | 'apply.cli.secretEnv'; params: Record<string, string> }> {
  const secrets: Record<string, string> = {};
  const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);
  for (const [kind, specs] of [['file', list(files)], ['env', list(envs)]] as const) {
    for (const spec of specs) {
      const at = spec.indexOf('=');
      if (at <= 0) return { ok: false, key: 'apply.cli.secretSpec', params: { value: spec } };
      const name = spec.slice(0, at);
      const source = await readSecretSource(io, kind === 'file' ? spec.slice(at + 1) : undefined, kind === 'env' ? spec.slice(at + 1) : undefined);
      if (!source.ok) return source.problem === 'file' ? { ok: false, key: 'apply.cli.secretFile', params: { path: source.path, reason: source.reason } } : { ok: false, key: 'apply.cli.secretEnv', params: { name: source.name } };
      if (source.value !== undefined) secrets[name] = source.value;
    }
  }
  return { ok: true, secrets };
}
