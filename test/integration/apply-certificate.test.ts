import { existsSync, readFileSync, statSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOperation } from '../../main/engine/run-operation.js';
import type { Sandbox } from '../harness/apply-sandbox.js';
import { sandboxPerFile } from '../harness/apply-sandbox-file.js';

/**
 * A plan that issues its certificate from the local CA (no --cert/--key) applied for real: the
 * certificate is made at apply time into the folder the plan names (created for it), nginx serves
 * it, the checks trust the local CA, and a rollback removes the files and the folder again.
 */

let sb: Sandbox;
sandboxPerFile('wss-setup-apply-cert-', { localCa: false }, (made) => (sb = made));

describe('apply issues the plan certificate from the local CA', () => {
  it('refuses before touching anything when there is no local CA yet', async () => {
    const plan = await sb.plan({ nginxOnly: true, localCa: true });
    const before = sb.snapshot();
    const result = await runOperation('apply', { planText: JSON.stringify(plan) }, { lang: 'en' });
    expect(result.ok ? result.value.outcome : result.error.code).toBe('CERT_CA_MISSING');
    expect(sb.snapshot()).toEqual(before);
  });

  it('issues into a new folder, nginx serves it, checks ok with the local CA; rollback removes the files and the folder', async () => {
    const ca = await runOperation('certCa', {}, { lang: 'en' });
    if (!ca.ok) throw new Error(JSON.stringify(ca.error));
    const plan = await sb.plan({ nginxOnly: true, localCa: true });
    const issue = plan.certificates.find((c) => c.kind === 'issue');
    if (issue?.kind !== 'issue' || issue.outputs.pem === undefined) throw new Error(`expected an issue action: ${JSON.stringify(plan.certificates)}`);
    const { certPath, keyPath } = issue.outputs.pem;
    expect(plan.checks.every((c) => c.ca === undefined)).toBe(true);
    expect(existsSync(certPath)).toBe(false);
    expect(existsSync(dirname(certPath))).toBe(false);
    const before = sb.snapshot();

    const applied = await runOperation('apply', { planText: JSON.stringify(plan), warmupMs: 20_000 }, { lang: 'en' });
    if (!applied.ok) throw new Error(JSON.stringify(applied.error));
    expect(applied.value.failure, JSON.stringify(applied.value)).toBeUndefined();
    expect(applied.value.outcome).toBe('applied');
    expect(applied.value.steps.find((s) => s.name === 'certificates')?.status).toBe('done');
    expect(applied.value.checks.length).toBeGreaterThan(0);
    expect(applied.value.checks.every((c) => c.ok)).toBe(true);
    const leaf = new X509Certificate(readFileSync(certPath));
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.verify(new X509Certificate(readFileSync(join(process.env.WSS_SETUP_DATA_DIR!, 'ca', 'ca.crt'))).publicKey)).toBe(true);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);

    const rolled = await runOperation('applyRollback', { run: applied.value.runId! }, { lang: 'en' });
    if (!rolled.ok) throw new Error(JSON.stringify(rolled.error));
    expect(rolled.value.restore?.manual).toEqual([]);
    expect(existsSync(certPath)).toBe(false);
    expect(existsSync(keyPath)).toBe(false);
    expect(existsSync(dirname(certPath))).toBe(false);
    expect(sb.snapshot()).toEqual(before);
    expect(await sb.answering()).toBe(true);
  }, 120_000);
});
