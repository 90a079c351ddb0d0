import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectedExecutables, ExecutableAllowList, executablePaths } from '../../main/engine/common/executable-allow-list.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { EXECUTABLE_INPUT_KEYS, operations } from '../../shared/contract/index.js';
import { tempDir } from '../harness/temp.js';

// Issue 9 item 9: a renderer (serve mode, IPC) may name only programs and jars that detection found
// or the admin confirmed at the terminal; the CLI runs without a list.
const dir = tempDir('wss-setup-allow-exec-');
afterAll(() => dir.cleanup());

/** A program that leaves a marker when it runs, so a test can prove it never ran. */
function markerProgram(name: string): { path: string; marker: string } {
  const path = join(dir.path, name);
  const marker = join(dir.path, `${name}.ran`);
  writeFileSync(path, `#!/bin/sh\necho ran > '${marker}'\nexit 1\n`);
  chmodSync(path, 0o755);
  return { path, marker };
}

/** Every object key of a zod schema, at any depth (objects, unions, optionals, arrays, pipes). */
function keysOf(schema: unknown, seen = new Set<unknown>()): string[] {
  if (schema === null || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (def === undefined) return [];
  const keys: string[] = [];
  const shape = def.shape as Record<string, unknown> | undefined;
  if (shape !== undefined) for (const [key, inner] of Object.entries(shape)) keys.push(key, ...keysOf(inner, seen));
  for (const part of ['innerType', 'element', 'in', 'out', 'left', 'right', 'schema']) keys.push(...keysOf(def[part], seen));
  for (const option of (def.options as unknown[] | undefined) ?? []) keys.push(...keysOf(option, seen));
  return keys;
}

describe('executable allow-list', () => {
  it('covers every input field that names a program, a JVM, jars or a tree whose scripts run', () => {
    const looksExecutable = /^(java|javaHome|jre|jdk)$|Bin$|ctl$|Jars?$|^catalina(Home|Base)$|keytool|openssl|Exe$|Script$|Program$|Command$/i;
    const all = new Set(Object.values(operations).flatMap((spec) => keysOf(spec.input)));
    expect(all.has('nginxBin') && all.has('java') && all.has('driverJars')).toBe(true);
    const missing = [...all].filter((k) => looksExecutable.test(k) && !(EXECUTABLE_INPUT_KEYS as readonly string[]).includes(k));
    expect(missing).toEqual([]);
  });

  it('finds executable paths at any depth, in strings and lists', () => {
    expect(executablePaths({ install: '/opt/fr', java: '/usr/bin/java', nested: { driverJars: ['/a.jar', '/b.jar'] } })).toEqual([
      { field: 'java', path: '/usr/bin/java' },
      { field: 'nested.driverJars', path: '/a.jar' },
      { field: 'nested.driverJars', path: '/b.jar' },
    ]);
  });

  it('allows exact absolute paths that were confirmed or detected, nothing else', () => {
    const list = new ExecutableAllowList(['/usr/lib/jvm/java-17/bin/java', 'relative/java']);
    expect(list.allows('/usr/lib/jvm/java-17/bin/java')).toBe(true);
    expect(list.allows('/usr/lib/jvm/java-17/bin/../bin/java')).toBe(true);
    expect(list.allows('/usr/lib/jvm/java-17/bin/javac')).toBe(false);
    expect(list.allows('relative/java')).toBe(false);
    expect(list.confirmedPaths).toEqual(['/usr/lib/jvm/java-17/bin/java']);
    list.detected('/usr/sbin/nginx');
    expect(list.allows('/usr/sbin/nginx')).toBe(true);
  });

  it('takes from detect only what it judged safe to run', () => {
    const runs: never[] = [];
    const found = detectedExecutables({
      platform: 'linux',
      products: [],
      tomcats: [{ home: '/usr/share/tomcat10', base: '/var/lib/tomcat10', version: '10.1', serverXml: '/var/lib/tomcat10/conf/server.xml', connectors: [], java: '/opt/fr/jre/bin/java', runs, listening: [], owner: 'tomcat' }],
      nginx: [
        { binary: '/usr/sbin/nginx', version: '1.22.1', conf: '/etc/nginx/nginx.conf', prefix: '/usr/share/nginx', modules: [], runs, listening: [] },
        { binary: '/home/app/nginx/sbin/nginx', version: null, conf: null, prefix: null, modules: [], runs, listening: [], notRun: 'owned by app' },
      ],
      apache: [],
      java: [
        { home: '/usr/lib/jvm/java-17-openjdk-amd64', version: '17', trusted: true },
        { home: '/opt/fr/jre', version: '1.8', trusted: false },
      ],
      notes: [],
    });
    expect(found.sort()).toEqual(['/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '/usr/sbin/nginx', '/usr/share/tomcat10', '/var/lib/tomcat10'].sort());
  });

  it('refuses an unconfirmed nginxBin from a renderer without running it; runs it once the admin confirmed it', async () => {
    const conf = join(dir.path, 'nginx.conf');
    writeFileSync(conf, 'events {}\nhttp {\n}\n');
    const program = markerProgram('evil-nginx');
    const input = { profile: 'generic', nginxConf: conf, upstream: '127.0.0.1:9000', nginxBin: program.path };

    const refused = await runOperation('planNginxProxy', input, { executables: new ExecutableAllowList() });
    expect(refused).toMatchObject({ ok: false, error: { code: 'EXECUTABLE_NOT_CONFIRMED', evidence: { field: 'nginxBin', path: program.path } } });
    if (!refused.ok) expect(refused.error.fix).toContain(`--allow-exec ${program.path}`);
    expect(existsSync(program.marker)).toBe(false);

    // Confirmed at the terminal: the path is taken (and here the fake nginx runs and fails nginx -t).
    await runOperation('planNginxProxy', input, { executables: new ExecutableAllowList([program.path]) });
    expect(existsSync(program.marker)).toBe(true);
  });

  it('refuses unconfirmed java and driver jars for FineDB from a renderer', async () => {
    const java = markerProgram('evil-java');
    for (const input of [
      { install: dir.path, java: java.path },
      { install: dir.path, driverJars: [join(dir.path, 'evil.jar')] },
    ]) {
      const result = await runOperation('finedbGet', input, { executables: new ExecutableAllowList(), lang: 'zh-CN' });
      expect(result).toMatchObject({ ok: false, error: { code: 'EXECUTABLE_NOT_CONFIRMED' } });
    }
    expect(existsSync(java.marker)).toBe(false);
  });
});
