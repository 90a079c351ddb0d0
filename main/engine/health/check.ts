import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import type { CheckOutput, CheckRequest, EndpointReport } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t } from '../../../shared/i18n/index.js';
import { describeErrno, errnoOf } from '../common/errno.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { configDiagnoser, type ConfigKind, type DiagnoseUrl } from './config-diagnosers.js';
import { probeEndpoint } from './probe.js';
import { trustForOneCheck } from './trust-context.js';

/**
 * Probes at once. Each holds one socket (two for a moment when a ws:// URL turns out to speak TLS),
 * so a check of a few hundred URLs stays far below any descriptor limit, while a cluster's 100
 * endpoints run in one round and take about as long as the slowest one (issue 9, item 25).
 */
export const CHECK_CONCURRENCY = 100;

/** The configurations the request names, by kind (each gets its registered diagnoser). */
function configsOf(input: CheckRequest): readonly (readonly [ConfigKind, string])[] {
  const out: (readonly [ConfigKind, string])[] = [];
  if (input.nginxConf !== undefined) out.push(['nginx', input.nginxConf]);
  if (input.apacheConf !== undefined) out.push(['apache', input.apacheConf]);
  if (input.serverXml !== undefined) out.push(['tomcat', input.serverXml]);
  return out;
}

/** The `check` operation: probe every URL (in parallel, bounded) and report findings per endpoint. */
export async function check(input: CheckRequest, ctx: OpContext): Promise<CheckOutput> {
  const extraCa = input.caFile !== undefined ? await readCaFile(input.caFile, ctx.lang) : undefined;
  const origin = input.origin !== undefined ? new URL(input.origin) : undefined;
  // Each named configuration is read once for all endpoints, before the first probe.
  const diagnoses: DiagnoseUrl[] = [];
  for (const [kind, path] of configsOf(input)) {
    const diagnoser = configDiagnoser(kind);
    if (diagnoser === undefined) throw new Error(`no config diagnoser registered for ${kind} (main/engine/diagnosers.ts)`);
    diagnoses.push(await diagnoser(path, ctx.lang));
  }
  // One lookup per host name for the whole check: a cluster's URLs share few names.
  const lookups = new Map<string, ReturnType<typeof lookup>>();
  const resolveHost = (host: string) => {
    let pending = lookups.get(host);
    if (pending === undefined) {
      pending = lookup(host);
      lookups.set(host, pending);
    }
    return pending;
  };
  const trust = trustForOneCheck(extraCa ?? []);
  const reports: EndpointReport[] = new Array(input.urls.length);
  let next = 0;
  let started = 0;
  const worker = async () => {
    while (next < input.urls.length) {
      const index = next++;
      const url = new URL(input.urls[index]!.trim());
      started += 1;
      ctx.onProgress({
        operation: 'check',
        step: 'progress.check.endpoint',
        message: t(ctx.lang, 'progress.check.endpoint', { url: url.href, current: started, total: input.urls.length }),
        current: started,
        total: input.urls.length,
      });
      const report = await probeEndpoint({
        url,
        timeoutMs: input.timeoutMs,
        lang: ctx.lang,
        resolveHost,
        ...(origin !== undefined ? { origin } : {}),
        trust,
      });
      reports[index] = diagnoses.length > 0 ? await withConfigFindings(report, url, diagnoses) : report;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CHECK_CONCURRENCY, input.urls.length) }, worker));
  return { ok: reports.every((r) => r.ok), endpoints: reports };
}

/** Adds the config-aware findings (file:line at fault) after the live probe; `ok` follows the error findings. */
async function withConfigFindings(report: EndpointReport, url: URL, diagnoses: readonly DiagnoseUrl[]): Promise<EndpointReport> {
  const extra = (await Promise.all(diagnoses.map((diagnose) => diagnose(url)))).flat();
  const findings = [...report.findings, ...extra];
  return { ...report, findings, ok: !findings.some((f) => f.severity === 'error') };
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export async function readCaFile(path: string, lang: Lang): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = errnoOf(error);
    throw new EngineError('CA_UNREADABLE', { path, reason: describeErrno(code, lang) }, { path, errno: code });
  }
  const certs = text.match(PEM_CERT) ?? [];
  if (certs.length === 0) throw new EngineError('CA_INVALID', { path }, { path });
  return certs;
}
