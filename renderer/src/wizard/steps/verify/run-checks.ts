import type { CheckOutput, EndpointReport } from '../../../../../shared/contract/check.js';
import type { ProgressEvent } from '../../../../../shared/contract/operation.js';
import type { PlannedCheck } from '../../../../../shared/contract/plan.js';
import type { Result } from '../../../../../shared/contract/result.js';
import { wsUrlProblem } from '../../../../../shared/contract/url.js';
import type { Api } from '../../../api.js';

/** The plan's WebSocket checks (https pages are proven by apply's own checks). */
export const wsChecks = (checks: readonly PlannedCheck[]): PlannedCheck[] => checks.filter((c) => wsUrlProblem(c.url) === null);

/** Runs the plan's checks, one call per (origin, CA) pair, merged in the plan's order. */
export async function runPlanChecks(api: Api, checks: readonly PlannedCheck[], onProgress: (event: ProgressEvent) => void): Promise<Result<CheckOutput>> {
  const groups = new Map<string, PlannedCheck[]>();
  for (const c of wsChecks(checks)) {
    const key = JSON.stringify([c.origin ?? null, c.ca ?? null]);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const endpoints: EndpointReport[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const result = await api.check({ urls: group.map((c) => c.url), ...(first.origin !== undefined ? { origin: first.origin } : {}), ...(first.ca !== undefined ? { caFile: first.ca } : {}) }, { onProgress });
    if (!result.ok) return result;
    endpoints.push(...result.value.endpoints);
  }
  return { ok: true, value: { ok: endpoints.every((e) => e.ok), endpoints } };
}
