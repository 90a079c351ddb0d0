import type { Plan } from '../../../shared/contract/plan.js';
import { isSecretRef } from '../../../shared/contract/plan.js';
import { EngineError } from '../common/engine-error.js';
import { registerSecret } from '../journal/index.js';
import { serverXmlSecretRefs } from '../tomcat/index.js';

/** Every secret reference the plan uses (certificate outputs, FineDB rows, server.xml placeholders). */
export function secretRefsOf(plan: Plan): string[] {
  const refs = new Set<string>();
  const visit = (v: unknown) => {
    if (isSecretRef(v)) refs.add(v.secretRef);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(plan.certificates);
  visit(plan.fineDbRows);
  for (const f of plan.files) if (f.kind === 'server-xml') for (const ref of serverXmlSecretRefs(f.content)) refs.add(ref);
  return [...refs].sort();
}

/**
 * Checks every reference has a value (from a file, an environment variable or a prompt, read by
 * the host) and registers the values with the journal's scrubber: they are used for this run only
 * and never stored.
 */
export function resolveSecrets(plan: Plan, given: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const missing = secretRefsOf(plan).filter((ref) => given[ref] === undefined || given[ref] === '');
  if (missing.length > 0) throw new EngineError('APPLY_SECRET_MISSING', { names: missing.join(', ') }, { names: missing });
  for (const value of Object.values(given)) registerSecret(value);
  return given;
}
