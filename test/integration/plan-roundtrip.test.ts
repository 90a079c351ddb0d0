import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../shared/contract/common.js';
import type { OpName } from '../../shared/contract/index.js';
import { parsePlan, type Plan } from '../../shared/contract/plan.js';
import { hasMessage } from '../../shared/i18n/index.js';
import { formatPlan } from '../../main/hosts/cli/format-plan.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { copyApacheFixture } from '../harness/apache.js';
import { createFineInstall } from '../harness/finereport.js';
import { copyNginxFixture, writeCertPair } from '../harness/fixtures.js';
import { makeBase } from '../harness/tomcat-base.js';
import { CATALINA_HOME } from '../harness/tomcat.js';
import { tempDir } from '../harness/temp.js';

/**
 * Issue 8: every planner produces the one Plan model of the contract. Each plan survives JSON and
 * the schema unchanged, carries no rendered text (every reason, proof and note is a code with its
 * text in both languages), and prints in English and in Chinese from the same saved file.
 */
const dir = tempDir('wss-setup-plan-roundtrip-');
let certPath: string;
let keyPath: string;
let install: string;
beforeAll(() => {
  ({ certPath, keyPath } = writeCertPair(dir.path, ['localhost', 'reports.example.com']));
  install = join(dir.path, 'FineReport_10.0');
  createFineInstall(install, { version: '10.0.20', containerWebSocket: false });
});
afterAll(() => dir.cleanup());

async function planOf(name: OpName, input: unknown): Promise<Plan> {
  const result = await runOperation(name, input, { lang: 'en' });
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return (result.value as { plan: Plan }).plan;
}

const planners: readonly { readonly name: string; readonly plan: () => Promise<Plan> }[] = [
  { name: 'nginx-proxy finereport', plan: () => planOf('planNginxProxy', { profile: 'finereport', nginxConf: copyNginxFixture(dir.path, 'debian'), install, serverNames: ['reports.example.com'], redirectHttp: true }) },
  { name: 'nginx-proxy generic', plan: () => planOf('planNginxProxy', { profile: 'generic', nginxConf: copyNginxFixture(dir.path, 'debian'), serverNames: ['reports.example.com'], httpsPort: 8443, upstream: '127.0.0.1:9502', certPath, keyPath }) },
  { name: 'nginx-proxy pool', plan: () => planOf('planNginxProxy', { profile: 'pool', nginxConf: copyNginxFixture(dir.path, 'debian'), serverNames: ['reports.example.com'], backends: ['127.0.0.1:9001', '127.0.0.1:9002'], balance: 'ip-hash' }) },
  { name: 'tomcat-ssl', plan: () => planOf('planTomcatSsl', { catalinaBase: makeBase(join(dir.path, 'base')), catalinaHome: CATALINA_HOME, keystorePassword: 'roundtrip-pass-1', serverNames: ['localhost'] }) },
  { name: 'apache-proxy generic', plan: () => planOf('planApacheProxy', { profile: 'generic', apacheConf: copyApacheFixture(dir.path, 'debian').main, serverNames: ['reports.example.com'], upstream: '127.0.0.1:9502', certPath, keyPath }) },
  { name: 'apache-proxy finereport', plan: () => planOf('planApacheProxy', { profile: 'finereport', apacheConf: copyApacheFixture(dir.path, 'debian').main, install, serverNames: ['reports.example.com'] }) },
  { name: 'finedb-set', plan: () => planOf('finedbSet', { install, proxy: { websocketPorts: [38888], requestPorts: [38889] }, dryRun: true }) },
];

/** Every code a person reads from the plan (reasons, proofs, notes) has text in both languages. */
function unknownCodes(plan: Plan): string[] {
  const texts = [...plan.files.map((f) => f.reason), ...plan.fineDbRows.map((r) => r.reason), ...plan.services.map((s) => s.reason), ...plan.checks.map((c) => c.proves)];
  return [...texts.map((x) => x.code).filter((code) => !hasMessage(code)), ...plan.notes.map((n) => `plan.note.${n.code}`).filter((code) => !hasMessage(code))];
}

describe('every planner produces the one Plan model', () => {
  for (const planner of planners) {
    it(`${planner.name}: JSON and the schema give the same plan back; every text is a code; it prints in English and Chinese`, async () => {
      const plan = await planner.plan();
      const read = parsePlan(JSON.stringify(plan, null, 2));
      expect(read.ok, JSON.stringify(read)).toBe(true);
      if (!read.ok) return;
      expect(read.plan).toEqual(plan);
      expect(unknownCodes(plan)).toEqual([]);
      const printed = (lang: Lang) => formatPlan(read.plan, lang);
      const en = printed('en');
      const zh = printed('zh-CN');
      expect(en).toContain(plan.method);
      expect(zh).not.toEqual(en);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      // Nothing the plan says in words may stay English in the Chinese print (paths, code and diffs aside).
      for (const note of plan.notes) expect(zh).not.toContain(`${note.code}: ${note.code}`);
    }, 60_000);
  }
});
