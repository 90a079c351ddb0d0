import type { CheckReport } from '../../../shared/contract/apply.js';
import type { Plan, PlannedCheck } from '../../../shared/contract/plan.js';
import { localCaPaths } from '../certs/index.js';
import type { OpContext } from '../common/context.js';
import { progressItem } from './progress.js';
import type { ApplyDeps } from './types.js';

const quietCtx = (ctx: OpContext): OpContext => ({ ...ctx, onProgress: () => undefined });

async function checkOne(check: PlannedCheck, ctx: OpContext, deps: ApplyDeps, timeoutMs: number): Promise<{ ok: boolean; codes: string[] }> {
  try {
    const out = await deps.check({ urls: [check.url], timeoutMs, ...(check.ca !== undefined ? { caFile: check.ca } : {}), ...(check.origin !== undefined ? { origin: check.origin } : {}) }, quietCtx(ctx));
    const codes = out.endpoints.flatMap((e) => e.findings.filter((f) => f.severity === 'error').map((f) => f.code));
    return { ok: out.ok, codes };
  } catch (error) {
    return { ok: false, codes: [error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : 'CHECK_FAILED'] };
  }
}

/**
 * The plan's checks as apply runs them: when the plan issues its certificate from the local CA,
 * a check that names no CA trusts the local CA (clients are told to install it; this machine's
 * store may not have it yet).
 */
export function checksOf(plan: Plan): PlannedCheck[] {
  if (!plan.certificates.some((c) => c.kind === 'issue')) return [...plan.checks];
  const ca = localCaPaths().cert;
  return plan.checks.map((c) => (c.ca !== undefined ? c : { ...c, ca }));
}

/** Each planned check once (before apply: which of them already pass). */
export async function runChecksOnce(plan: Plan, ctx: OpContext, deps: ApplyDeps, timeoutMs: number): Promise<CheckReport[]> {
  return Promise.all(checksOf(plan).map(async (c) => ({ url: c.url, ...(await checkOne(c, ctx, deps, timeoutMs)), attempts: 1 })));
}

/**
 * The plan's checks after the start, retried within a bounded warm-up window (an application may
 * accept connections before its WebSocket service answers). Returns as soon as all pass.
 */
export async function runChecksWithWarmup(checks: readonly PlannedCheck[], ctx: OpContext, deps: ApplyDeps, warmupMs: number): Promise<CheckReport[]> {
  const deadline = ctx.ports.clock.now().getTime() + warmupMs;
  const reports: CheckReport[] = [];
  for (const c of checks) {
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const r = await checkOne(c, ctx, deps, 5000);
      if (r.ok || ctx.ports.clock.now().getTime() >= deadline) {
        progressItem(ctx, r.ok ? 'checkOk' : 'checkFailed', { url: c.url, codes: r.codes.join(', ') });
        reports.push({ url: c.url, ...r, attempts });
        break;
      }
      await ctx.ports.clock.sleep(250);
    }
  }
  return reports;
}
