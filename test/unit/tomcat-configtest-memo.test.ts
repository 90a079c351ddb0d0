import { mkdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realFilePort, type Clock } from '../../main/engine/ports/index.js';
import { CONFIGTEST_MEMO_FILE, configtestInputs, memoLookup, memoRecord, type ConfigtestMemoInput } from '../../main/engine/tomcat/configtest-memo.js';
import { tempDir } from '../harness/temp.js';

/**
 * The configtest memo lets apply's preflight skip a second JVM start only when nothing configtest
 * reads changed since it passed: each input below, changed alone, must make the memo miss.
 */
const dir = tempDir('wss-setup-configtest-memo-');
afterAll(() => dir.cleanup());

let at = Date.parse('2026-11-22T04:00:00Z');
const clock: Clock = { now: () => new Date(at), sleep: async () => undefined };
const PASSWORD = 'memo-Secret&pw';

function setup(name: string): { root: string; input: ConfigtestMemoInput; data: string; base: string; home: string } {
  const root = join(dir.path, name);
  const home = join(root, 'home');
  const base = join(root, 'base');
  for (const d of [join(home, 'bin'), join(home, 'lib'), join(base, 'conf'), join(base, 'lib')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(home, 'bin', 'bootstrap.jar'), 'bootstrap');
  writeFileSync(join(home, 'bin', 'tomcat-juli.jar'), 'juli');
  writeFileSync(join(home, 'lib', 'catalina.jar'), 'catalina 10.1.34');
  writeFileSync(join(base, 'conf', 'web.xml'), '<web-app/>');
  // Outside conf/ (whose files are keyed anyway): the keystore is keyed because the text names it.
  mkdirSync(join(root, 'keys'));
  writeFileSync(join(root, 'keys', 'server.p12'), 'keystore bytes');
  const text = `<Server port="-1"><Service name="Catalina"><Connector port="8443" SSLEnabled="true"><SSLHostConfig><Certificate certificateKeystoreFile="../keys/server.p12" certificateKeystorePassword="${PASSWORD.replace('&', '&amp;')}"/></SSLHostConfig></Connector></Service></Server>`;
  return { root, input: { java: process.execPath, home, base, decoded: { bom: Buffer.alloc(0), encoding: 'UTF-8' }, text }, data: join(root, 'data'), base, home };
}

const hit = async (data: string, input: ConfigtestMemoInput) => (await memoLookup(realFilePort, clock, data, configtestInputs(input))) !== null;
const pass = { output: 'INFO: Server initialization in [900] milliseconds', unknownAttributes: [] };

describe('configtest memo', () => {
  it('answers a pass for the same inputs, and misses when the password, the keystore, a conf file or a jar changed', async () => {
    const { root, input, data, base, home } = setup('changes');
    expect(await hit(data, input)).toBe(false);
    await memoRecord(realFilePort, clock, data, configtestInputs(input), pass);
    expect(await hit(data, input)).toBe(true);
    expect((await memoLookup(realFilePort, clock, data, configtestInputs(input)))?.output).toBe(pass.output);

    expect(await hit(data, { ...input, text: input.text.replace('memo-Secret', 'memo-Other') })).toBe(false);
    expect(await hit(data, { ...input, decoded: { bom: Buffer.alloc(0), encoding: 'GBK' } })).toBe(false);

    writeFileSync(join(root, 'keys', 'server.p12'), 'another keystore');
    expect(await hit(data, input)).toBe(false);
    writeFileSync(join(root, 'keys', 'server.p12'), 'keystore bytes');
    await memoRecord(realFilePort, clock, data, configtestInputs(input), pass);
    expect(await hit(data, input)).toBe(true);

    writeFileSync(join(base, 'conf', 'web.xml'), '<web-app version="6.0"/>');
    expect(await hit(data, input)).toBe(false);
    writeFileSync(join(base, 'conf', 'web.xml'), '<web-app/>');
    await memoRecord(realFilePort, clock, data, configtestInputs(input), pass);

    writeFileSync(join(home, 'lib', 'extra.jar'), 'x');
    expect(await hit(data, input)).toBe(false);
    unlinkSync(join(home, 'lib', 'extra.jar'));
    expect(await hit(data, input)).toBe(true);
    writeFileSync(join(base, 'lib', 'driver.jar'), 'x');
    expect(await hit(data, input)).toBe(false);
  });

  it('keeps no password nor a plain hash of one, in a 0600 file; entries expire after a day', async () => {
    const { input, data } = setup('secret');
    await memoRecord(realFilePort, clock, data, configtestInputs(input), pass);
    const file = join(data, CONFIGTEST_MEMO_FILE);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('memo-Secret');
    expect(text).not.toContain(input.text.slice(0, 40));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await hit(data, input)).toBe(true);
    at += 25 * 60 * 60 * 1000;
    expect(await hit(data, input)).toBe(false);
    at -= 25 * 60 * 60 * 1000;
  });

  it('a keystore the plan creates is keyed by its path and type; a named file that is a link makes the memo not apply', async () => {
    const { root, input, data } = setup('pending');
    unlinkSync(join(root, 'keys', 'server.p12'));
    const pending = { ...input, pending: new Map([[join(root, 'keys', 'server.p12'), 'PKCS12']]) };
    await memoRecord(realFilePort, clock, data, configtestInputs(pending), pass);
    expect(await hit(data, pending)).toBe(true);
    expect(await hit(data, { ...input, pending: new Map([[join(root, 'keys', 'server.p12'), 'JKS']]) })).toBe(false);

    symlinkSync('/etc/hostname', join(root, 'keys', 'server.p12'));
    expect(configtestInputs(input)).toBeNull();
    await memoRecord(realFilePort, clock, data, configtestInputs(input), pass);
    expect(await hit(data, input)).toBe(false);
  });
});
