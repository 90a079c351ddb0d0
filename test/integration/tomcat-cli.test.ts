import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../shared/contract/plan.js';
import { makeBase } from '../harness/tomcat-base.js';
import { CATALINA_HOME } from '../harness/tomcat.js';
import { tempDir } from '../harness/temp.js';
import { runCli } from '../harness/cli.js';

const dir = tempDir('wss-setup-tomcat-cli-');
// The configtest memo (and the local CA) live in the data folder: this test's own.
const previousData = process.env.WSS_SETUP_DATA_DIR;
beforeAll(() => {
  process.env.WSS_SETUP_DATA_DIR = join(dir.path, 'data');
});
afterAll(() => {
  if (previousData === undefined) delete process.env.WSS_SETUP_DATA_DIR;
  else process.env.WSS_SETUP_DATA_DIR = previousData;
  dir.cleanup();
});
const PASSWORD = 'cli-keystore-pw';

const cli = (argv: string[], env: Record<string, string> = {}, lang: 'en' | 'zh-CN' = 'en') => runCli(argv, { env, lang });

describe('wss-setup plan tomcat-ssl', () => {
  it('prints the diff and the plan, saves it with --out, never shows the password', async () => {
    const base = makeBase(join(dir.path, 'base'));
    const before = readFileSync(join(base, 'conf', 'server.xml'));
    const pwFile = join(dir.path, 'pw');
    writeFileSync(pwFile, `${PASSWORD}\n`);
    const out = join(dir.path, 'plan.json');
    const r = await cli(['plan', 'tomcat-ssl', '--catalina-base', base, '--catalina-home', CATALINA_HOME, '--keystore-password-file', pwFile, '--https-port', '18450', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`+++ b${join(base, 'conf', 'server.xml')}`);
    expect(r.stdout).toContain('<SSLHostConfig protocols="TLSv1.2+TLSv1.3"');
    expect(`${r.stdout}${r.stderr}${readFileSync(out, 'utf8')}`).not.toContain(PASSWORD);
    expect(parsePlan(readFileSync(out, 'utf8')).ok).toBe(true);
    expect(readFileSync(join(base, 'conf', 'server.xml')).equals(before)).toBe(true);
  });

  it('exits 2 with a message on bad input: no password source, an unset variable, a missing base, a non-number port', async () => {
    const base = makeBase(join(dir.path, 'base2'));
    // --json: exactly one JSON document, errors too.
    const noPw = await cli(['plan', 'tomcat-ssl', '--catalina-base', base, '--json']);
    expect(noPw.code).toBe(2);
    expect(JSON.parse(noPw.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await cli(['plan', 'tomcat-ssl', '--catalina-base', base, '--keystore-password-env', 'NOPE'])).code).toBe(2);
    const missing = await cli(['plan', 'tomcat-ssl', '--catalina-base', join(dir.path, 'nothing'), '--keystore-password-env', 'KS_PW'], { KS_PW: PASSWORD }, 'zh-CN');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('未找到 Tomcat');
    expect((await cli(['plan', 'tomcat-ssl', '--catalina-base', base, '--https-port', 'x443', '--keystore-password-env', 'KS_PW'], { KS_PW: PASSWORD })).code).toBe(2);
    const help = await cli(['plan', 'tomcat-ssl', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--keystore-password-file');
  });
});
