import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Plan } from '../../shared/contract/plan.js';
import { isSecretRef } from '../../shared/contract/plan.js';
import { openStore, resolveFineDb } from '../../main/engine/finedb/connection.js';
import { realPorts } from '../../main/engine/ports/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { serverXmlApplyBytes } from '../../main/engine/tomcat/index.js';

/**
 * Test-only stand-in for apply (main/engine/apply is another issue): rows reset before the
 * certificates, certificates issued through the certs module (local CA in WSS_SETUP_DATA_DIR),
 * server.xml written from the plan's template with its secrets filled (hash checked first),
 * rows written after. No stop/start: the tests start Tomcat themselves.
 */
export async function applyForTest(plan: Plan, secrets: Readonly<Record<string, string>>): Promise<void> {
  const value = (v: unknown) => (isSecretRef(v) ? secrets[v.secretRef]! : (v as string | null));
  await writeRows(plan, 'before-certificates', value);
  for (const c of plan.certificates) {
    if (c.kind !== 'issue') continue;
    const out = c.outputs.pkcs12 ?? c.outputs.jks!;
    mkdirSync(dirname(out.path), { recursive: true });
    const ca = await runOperation('certCa', { ifExists: 'reuse' });
    if (!ca.ok) throw new Error(`certCa: ${JSON.stringify(ca.error)}`);
    const issued = await runOperation('certServer', {
      names: c.names,
      outDir: dirname(out.path),
      baseName: basename(out.path).replace(/\.(p12|jks)$/, ''),
      formats: [c.outputs.pkcs12 ? 'pkcs12' : 'jks'],
      keystorePassword: secrets[out.password.secretRef],
      overwrite: true,
    });
    if (!issued.ok) throw new Error(`certServer: ${JSON.stringify(issued.error)}`);
  }
  for (const f of plan.files) {
    const current = readFileSync(f.path);
    if (createHash('sha256').update(current).digest('hex') !== f.beforeSha256) throw new Error(`${f.path} changed since the plan`);
    const bytes = serverXmlApplyBytes(f, current, secrets);
    if (bytes === null) throw new Error('a secret is missing');
    writeFileSync(f.path, bytes);
  }
  await writeRows(plan, 'after-certificates', value);
}

async function writeRows(plan: Plan, phase: 'before-certificates' | 'after-certificates', value: (v: unknown) => string | null): Promise<void> {
  const rows = plan.fineDbRows.filter((r) => r.phase === phase);
  if (rows.length === 0) return;
  const { resolved } = await resolveFineDb({ install: rows[0]!.install } as Parameters<typeof resolveFineDb>[0], { ports: realPorts });
  const store = await openStore(resolved, { ports: realPorts });
  try {
    await store.write({
      delete: rows.filter((r) => r.after === null).map((r) => r.id),
      upsert: rows.filter((r) => r.after !== null).map((r) => ({ id: r.id, value: value(r.after)! })),
    });
  } finally {
    await store.close();
  }
}
