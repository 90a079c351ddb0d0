import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Plan } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import { chooseJava } from '../fine/index.js';
import { dataDir } from '../common/paths.js';
import { configtest } from './configtest.js';
import { configtestInputs, memoLookup, memoRecord } from './configtest-memo.js';
import { keytoolFor, makeThrowawayKeystore } from './keystore.js';
import { serverXmlApplyBytes } from './secret-mask.js';
import { readServerXml } from './server-xml.js';

const MAX_SERVER_XML = 8 * 1024 * 1024;

/**
 * Tomcat's `configtest` again at apply time, on a temporary copy of the base holding the server.xml
 * apply is about to write (its secrets filled): a keystore replaced or its password changed since
 * the plan was made is caught before anything is stopped. When nothing configtest reads changed
 * since it last passed (the memo, configtest-memo.ts), it is not run again. The shape of apply's PlanValidator; null
 * for plans that are not Tomcat's.
 */
export async function tomcatPlanValidator(plan: Plan, ctx: OpContext, secrets: Readonly<Record<string, string>>): Promise<{ readonly tool: string; readonly ok: boolean; readonly output: string } | null> {
  const edit = plan.files.find((f) => f.kind === 'server-xml');
  const base = plan.target.paths.catalinaBase;
  const home = plan.target.paths.catalinaHome ?? base;
  if (plan.target.kind !== 'tomcat' || edit === undefined || base === undefined || home === undefined) return null;
  const current = await ctx.ports.fs.readFile(edit.path, { maxBytes: MAX_SERVER_XML }).catch(() => Buffer.alloc(0));
  const bytes = serverXmlApplyBytes({ content: edit.content, encoding: edit.encoding }, current, secrets);
  if (bytes === null) return { tool: 'configtest', ok: false, output: 'server.xml: a secret it needs was not given' };
  const read = readServerXml(edit.path, bytes);
  if (!read.ok) return { tool: 'configtest', ok: false, output: `server.xml: ${read.problem.reason}` };
  const java = (await chooseJava({ installDir: plan.target.paths.install ?? base })).path;
  const values = Object.values(secrets).filter((v) => v !== '');
  // Nothing configtest reads changed since it passed (at plan time, typically): not run again.
  const issued = new Map<string, string>();
  for (const c of plan.certificates) {
    if (c.kind !== 'issue') continue;
    if (c.outputs.pkcs12) issued.set(c.outputs.pkcs12.path, 'PKCS12');
    if (c.outputs.jks) issued.set(c.outputs.jks.path, 'JKS');
  }
  const inputs = configtestInputs({ java, home, base, decoded: read.value.decoded, text: read.value.decoded.text, pending: issued });
  const memo = await memoLookup(ctx.ports.fs, ctx.ports.clock, dataDir(), inputs);
  if (memo !== null) return { tool: 'configtest', ok: true, output: memo.output };
  const work = mkdtempSync(join(tmpdir(), 'wss-setup-apply-configtest-'));
  try {
    // A keystore the plan issues at apply time does not exist yet: configtest opens a stand-in.
    const pending = new Map<string, string>();
    const keytool = keytoolFor(java);
    for (const c of plan.certificates) {
      if (c.kind !== 'issue') continue;
      for (const store of [c.outputs.pkcs12 ? { path: c.outputs.pkcs12.path, type: 'PKCS12', ref: c.outputs.pkcs12.password.secretRef } : null, c.outputs.jks ? { path: c.outputs.jks.path, type: 'JKS', ref: c.outputs.jks.password.secretRef } : null]) {
        if (store === null || keytool === null) continue;
        const standIn = join(work, `standin-${basename(store.path)}`);
        if (await makeThrowawayKeystore(ctx.ports.process, keytool, { path: standIn, type: store.type, password: secrets[store.ref] ?? '' })) pending.set(store.path, standIn);
      }
    }
    const result = await configtest({ process: ctx.ports.process, secrets: values, java, home, base, decoded: read.value.decoded, text: read.value.decoded.text, pending, work: join(work, 'base') });
    if (result.ok) await memoRecord(ctx.ports.fs, ctx.ports.clock, dataDir(), inputs, result);
    return { tool: 'configtest', ok: result.ok, output: result.output };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
