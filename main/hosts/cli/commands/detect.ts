import { resolve } from 'node:path';
import type { DetectOutput, RunsAs } from '../../../../shared/contract/detect.js';
import { operations } from '../../../../shared/contract/index.js';
import type { Lang } from '../../../../shared/contract/common.js';
import { t, tIfKnown } from '../../../../shared/i18n/index.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs } from '../args.js';
import { printHelp, type HelpTables } from '../help.js';
import { EXIT_OK, reportError, usageError, type CliIO } from '../io.js';

function runsText(lang: Lang, r: RunsAs): string {
  switch (r.kind) {
    case 'systemd':
      return t(lang, 'cli.detect.runs.systemd', { unit: r.unit, active: r.active ? t(lang, 'cli.detect.runs.active') : '' });
    case 'sysv':
      return t(lang, 'cli.detect.runs.sysv', { script: r.script });
    case 'windows':
      return t(lang, 'cli.detect.runs.windows', { name: r.name, state: r.state ?? '?', startType: r.startType ?? '?', account: r.account ?? '?' });
    case 'process':
      return t(lang, 'cli.detect.runs.process', { pid: r.pid, user: r.user ?? '?' });
    default: {
      const never: never = r;
      return String(never);
    }
  }
}

const version = (lang: Lang, v: string | null) => (v === null ? t(lang, 'cli.detect.unknownVersion') : t(lang, 'cli.detect.version', { version: v }));
const listens = (lang: Lang, l: readonly { address: string; port: number }[]) => (l.length > 0 ? `; ${t(lang, 'cli.detect.listens', { ports: l.map((x) => `${x.address}:${x.port}`).join(', ') })}` : '');

export function formatDetect(out: DetectOutput, lang: Lang): string {
  const lines: string[] = [];
  const section = (key: Parameters<typeof t>[1], items: string[][]) => {
    lines.push(`${t(lang, key)}:`);
    if (items.length === 0) lines.push(`  ${t(lang, 'cli.detect.none')}`);
    for (const item of items) lines.push(`  ${item[0]}`, ...item.slice(1).map((l) => `    ${l}`));
  };
  section('cli.detect.products', out.products.map((p) => [t(lang, 'cli.detect.product', { product: p.product, version: p.version ?? '', dir: p.dir, finedb: p.finedb, base: p.tomcatBase ?? '-' })]));
  section(
    'cli.detect.tomcats',
    out.tomcats.map((tc) => [
      `${tc.base} (${version(lang, tc.version)}${tc.home !== null && tc.home !== tc.base ? `, CATALINA_HOME ${tc.home}` : ''})${listens(lang, tc.listening)}`,
      ...tc.connectors.map((c) => t(lang, 'cli.detect.connector', { port: c.port ?? '?', protocol: c.protocol, secure: c.secure ? t(lang, 'cli.detect.secure') : '', line: c.line })),
      ...tc.runs.map((r) => runsText(lang, r)),
    ]),
  );
  section(
    'cli.detect.nginx',
    out.nginx.map((n) => [`${n.binary} (${version(lang, n.version)})${listens(lang, n.listening)}`, ...(n.conf ? [t(lang, 'cli.detect.conf', { conf: n.conf })] : []), ...(n.notRun ? [t(lang, 'cli.detect.notRun', { reason: n.notRun })] : []), ...n.runs.map((r) => runsText(lang, r))]),
  );
  section(
    'cli.detect.apache',
    out.apache.map((a) => [`${a.binary} (${version(lang, a.version)})${listens(lang, a.listening)}`, ...(a.conf ? [t(lang, 'cli.detect.conf', { conf: a.conf })] : []), ...(a.notRun ? [t(lang, 'cli.detect.notRun', { reason: a.notRun })] : []), ...a.runs.map((r) => runsText(lang, r))]),
  );
  section('cli.detect.java', out.java.map((j) => [`${j.home} (${version(lang, j.version)}; ${t(lang, j.trusted ? 'cli.detect.trusted' : 'cli.detect.untrusted')})`]));
  if (out.notes.length > 0) {
    lines.push(`${t(lang, 'cli.detect.notes')}:`);
    for (const n of out.notes) lines.push(`  i ${tIfKnown(lang, `detect.note.${n.code}`, n.params) ?? n.code}`);
  }
  return `${lines.join('\n')}\n`;
}

const OPTIONS = { root: { type: 'string', multiple: true }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;

/** The option table `detect` parses with; its help is generated from it. */
export const HELP: HelpTables = { detect: OPTIONS };

/** `wss-setup detect [--root <dir>]... [--json]`: what is on this machine; changes nothing. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  if (parsed.values.help === true) return printHelp(io, 'detect', OPTIONS);
  const roots = Array.isArray(parsed.values.root) ? parsed.values.root.map((r) => (String(r) === '' ? '' : resolve(String(r)))) : [];
  const result = await runOperation('detect', { roots }, { lang: io.lang });
  if (!result.ok) return reportError(io, json, result.error, operations.detect.inputErrors);
  io.stdout(json ? `${JSON.stringify({ ok: true, ...result.value }, null, 2)}\n` : formatDetect(result.value, io.lang));
  return EXIT_OK;
}
