import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/contract/check.js';
import { CheckInputSchema } from '../../shared/contract/check.js';
import { engineContext } from '../../main/engine/common/context.js';
import { check, configDiagnoser, registerConfigDiagnoser } from '../../main/engine/health/index.js';
import { freePort } from '../harness/ports.js';

const HEALTH = join(import.meta.dirname, '..', '..', 'main', 'engine', 'health');

describe('config-aware diagnosers through the health registry', () => {
  it('health never imports a configuration module (nginx, tomcat, apache): they register themselves', () => {
    for (const name of readdirSync(HEALTH)) {
      const text = readFileSync(join(HEALTH, name), 'utf8');
      const imports = [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!);
      for (const spec of imports) expect(spec, `${name} imports ${spec}`).not.toMatch(/^\.\.\/(nginx|tomcat|apache|certs|finedb)\b/);
    }
  });

  it('check reads the named configuration once through the registered diagnoser and adds its findings per URL; ok follows them', async () => {
    const calls: string[] = [];
    const finding: Finding = { code: 'NGINX_NO_UPGRADE_HEADERS', severity: 'error', message: 'm', fix: 'f', evidence: { file: '/x/nginx.conf', line: 3 } };
    registerConfigDiagnoser('nginx', async (path, lang) => {
      calls.push(`prepare ${path} ${lang}`);
      return async (url) => {
        calls.push(`diagnose ${url.href}`);
        return [finding];
      };
    });
    expect(configDiagnoser('nginx')).toBeDefined();
    const port = await freePort(); // nothing listens: the probe's own finding comes first
    const input = CheckInputSchema.parse({ urls: [`ws://127.0.0.1:${port}/a`, `ws://127.0.0.1:${port}/b`], nginxConf: '/x/nginx.conf', timeoutMs: 2000 });
    const out = await check(input, engineContext({ lang: 'zh-CN' }));
    expect(calls.filter((c) => c.startsWith('prepare'))).toEqual(['prepare /x/nginx.conf zh-CN']);
    expect(calls.filter((c) => c.startsWith('diagnose')).sort()).toEqual([`diagnose ws://127.0.0.1:${port}/a`, `diagnose ws://127.0.0.1:${port}/b`]);
    for (const e of out.endpoints) expect(e.findings.map((f) => f.code)).toEqual(['CONNECTION_REFUSED', 'NGINX_NO_UPGRADE_HEADERS']);
    expect(out.ok).toBe(false);
  });

  it('without a configuration no diagnoser is asked', async () => {
    let asked = false;
    registerConfigDiagnoser('nginx', async () => {
      asked = true;
      return async () => [];
    });
    const port = await freePort();
    await check(CheckInputSchema.parse({ urls: [`ws://127.0.0.1:${port}/`], timeoutMs: 2000 }), engineContext({}));
    expect(asked).toBe(false);
  });
});
