import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsFor } from '../../main/engine/common/run-as.js';
import { untrustedReason } from '../../main/engine/ports/trusted.js';
import { EngineError } from '../../main/engine/common/engine-error.js';
import { realFilePort, realPorts } from '../../main/engine/ports/index.js';
import { loadTree as loadNginxTree, nginxTestTree } from '../../main/engine/nginx/index.js';
import { loadTree as loadApacheTree } from '../../main/engine/apache/load.js';
import { apacheTestTree } from '../../main/engine/apache/validate.js';
import { NGINX_BIN, nginxAvailable } from '../harness/nginx.js';
import { APACHE_BIN, apacheAvailable } from '../harness/apache.js';
import { adapterFor, realClock, realProcessPort, type ServiceDeps, type ServiceRef } from '../../main/engine/services/index.js';
import { configtest } from '../../main/engine/tomcat/configtest.js';
import { tempDir } from '../harness/temp.js';
import { createFineInstall } from '../harness/finereport.js';
import { resolveFineDb } from '../../main/engine/finedb/connection.js';
import { CATALINA_HOME } from '../harness/tomcat.js';

/**
 * Issue 9 item 2, for every program the engine runs: as root, nothing another account controls
 * (here `nobody`, owning trees in this test's temp folder) may run as root. Each attacker program
 * writes `id -u` into a marker file in the test's folder: the marker is never written by uid 0 —
 * the program ran as nobody (the marker says 65534 and nobody owns it) or it was refused. The same
 * program owned by root still runs as root.
 */
const NOBODY = 65534;
const NOGROUP = 65534;
const asRoot = process.platform !== 'win32' && process.getuid?.() === 0;
const dir = tempDir('wss-setup-rootrun-');
const deps: ServiceDeps = { process: realProcessPort, clock: realClock };
const JAVA = '/usr/lib/jvm/default-java/bin/java';
const JAVAC = '/usr/lib/jvm/default-java/bin/javac';

/** A folder nobody may write markers into (owned by nobody). */
let out = '';
let n = 0;

beforeAll(() => {
  if (!asRoot) return;
  chmodSync(dir.path, 0o755); // nobody must reach its own trees inside the test's folder
  out = join(dir.path, 'out');
  mkdirSync(out);
  chownSync(out, NOBODY, NOGROUP);
});
afterAll(() => dir.cleanup());

function skipUnlessRoot(): boolean {
  if (!asRoot) console.warn('skipped: these tests prove what happens when wss-setup runs as root; run them as root');
  return !asRoot;
}

/** A fresh folder owned by `uid` (nobody's tree, or root's for the legitimate case). */
function tree(uid: number): string {
  const path = join(dir.path, `tree-${n++}`);
  mkdirSync(path);
  chmodSync(path, 0o755);
  if (uid !== 0) chownSync(path, uid, NOGROUP);
  return path;
}

/** An executable script owned by `uid` that records who ran it. */
function markerScript(path: string, uid: number, marker: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\nid -u > '${marker}'\nexit 0\n`, { mode: 0o755 });
  if (uid !== 0) chownSync(path, uid, NOGROUP);
}

const newMarker = () => join(out, `marker-${n++}`);

/** Who wrote the marker: its content (the uid of the process) and its owner must agree. */
function writer(marker: string): number | null {
  if (!existsSync(marker)) return null;
  const uid = Number(readFileSync(marker, 'utf8').trim());
  expect(statSync(marker).uid).toBe(uid);
  return uid;
}

async function waitFor(path: string): Promise<void> {
  // Created before `id -u` has written into it: wait for the line.
  for (let i = 0; i < 100 && !(existsSync(path) && readFileSync(path, 'utf8').endsWith('\n')); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('runAsFor: who runs a program', () => {
  it('root for root-owned programs (Debian Tomcat scripts, the system java); the owner for one another account can change', async () => {
    if (skipUnlessRoot()) return;
    expect(await runAsFor({ program: join(CATALINA_HOME, 'bin', 'startup.sh'), loads: [join(CATALINA_HOME, 'bin', 'catalina.sh'), join(CATALINA_HOME, 'lib')] })).toEqual({});
    expect(await runAsFor({ program: JAVA })).toEqual({});
    const theirs = tree(NOBODY);
    const script = join(theirs, 'run.sh');
    markerScript(script, NOBODY, newMarker());
    expect(await untrustedReason(realFilePort, script)).toBe(`owner:${script}`);
    expect(await runAsFor({ program: script })).toEqual({ user: { uid: NOBODY, gid: NOGROUP } });
    // A root-owned file in nobody's folder: nobody can replace it.
    const rootFile = join(theirs, 'root.sh');
    markerScript(rootFile, 0, newMarker());
    expect(await runAsFor({ program: rootFile })).toEqual({ user: { uid: NOBODY, gid: NOGROUP } });
    // A root program loading nobody's file.
    expect(await runAsFor({ program: '/bin/sh', loads: [script] })).toEqual({ user: { uid: NOBODY, gid: NOGROUP } });
  });

  it('refuses what no single account owns, and where running as the owner is not allowed', async () => {
    if (skipUnlessRoot()) return;
    const mine = tree(0);
    const writable = join(mine, 'w.sh');
    markerScript(writable, 0, newMarker());
    chmodSync(writable, 0o777);
    const codeOf = async (p: Promise<unknown>) => p.then(() => 'ran', (e: unknown) => (e instanceof EngineError ? e.code : String(e)));
    expect(await codeOf(runAsFor({ program: writable }))).toBe('ROOT_RUN_UNTRUSTED');
    const theirs = tree(NOBODY);
    const script = join(theirs, 'run.sh');
    markerScript(script, NOBODY, newMarker());
    expect(await codeOf(runAsFor({ program: script, asOwner: false }))).toBe('ROOT_RUN_UNTRUSTED');
    const other = tree(1);
    const otherScript = join(other, 'x.sh');
    markerScript(otherScript, 1, newMarker());
    expect(await codeOf(runAsFor({ program: script, loads: [otherScript] }))).toBe('ROOT_RUN_UNTRUSTED');
  });
});

describe('the process port, last line of defence', () => {
  it('as root, refuses to start a program another account can change unless told whom to run it as', async () => {
    if (skipUnlessRoot()) return;
    const theirs = tree(NOBODY);
    const marker = newMarker();
    markerScript(join(theirs, 'prog'), NOBODY, marker);
    const refused = await realProcessPort.run({ command: join(theirs, 'prog'), args: [] });
    expect(refused.spawnError).toBe('EUNTRUSTED');
    const child = realProcessPort.start({ command: join(theirs, 'prog'), args: [] });
    expect((await child.wait()).spawnError).toBe('EUNTRUSTED');
    expect(writer(marker)).toBe(null);
    const ran = await realProcessPort.run({ command: join(theirs, 'prog'), args: [], user: { uid: NOBODY, gid: NOGROUP } });
    expect(ran.code).toBe(0);
    expect(writer(marker)).toBe(NOBODY);
    // Root's own programs run as before.
    expect((await realProcessPort.run({ command: '/bin/true', args: [] })).code).toBe(0);
  });
});

describe('service adapters never run another account’s program as root', () => {
  it('catalina: startup.sh of an install nobody owns runs as nobody; a root-owned install’s as root', async () => {
    if (skipUnlessRoot()) return;
    for (const [owner, expected] of [[NOBODY, NOBODY], [0, 0]] as const) {
      const home = tree(owner);
      const base = tree(owner);
      const marker = newMarker();
      markerScript(join(home, 'bin', 'startup.sh'), owner, marker);
      const ref: ServiceRef = { kind: 'catalina', home, base };
      await adapterFor(ref, deps).start();
      expect(writer(marker)).toBe(expected);
    }
  });

  it('catalina: a root-owned home with a base (setenv.sh, webapps) nobody owns runs as nobody', async () => {
    if (skipUnlessRoot()) return;
    const home = tree(0);
    const base = tree(NOBODY);
    mkdirSync(join(base, 'webapps'));
    chownSync(join(base, 'webapps'), NOBODY, NOGROUP);
    const marker = newMarker();
    markerScript(join(home, 'bin', 'shutdown.sh'), 0, marker);
    await adapterFor({ kind: 'catalina', home, base }, deps).stop();
    expect(writer(marker)).toBe(NOBODY);
  });

  it('SysV: an init script nobody owns runs as nobody', async () => {
    if (skipUnlessRoot()) return;
    const theirs = tree(NOBODY);
    const marker = newMarker();
    const script = join(theirs, 'init.d', 'app');
    mkdirSync(join(theirs, 'init.d'));
    chownSync(join(theirs, 'init.d'), NOBODY, NOGROUP);
    markerScript(script, NOBODY, marker);
    await adapterFor({ kind: 'sysv', script }, deps).status();
    expect(writer(marker)).toBe(NOBODY);
  });

  it('apachectl and nginx binaries nobody owns run as nobody', async () => {
    if (skipUnlessRoot()) return;
    const theirs = tree(NOBODY);
    const apacheMarker = newMarker();
    markerScript(join(theirs, 'apachectl'), NOBODY, apacheMarker);
    await adapterFor({ kind: 'apache', apachectl: join(theirs, 'apachectl') }, deps).status();
    expect(writer(apacheMarker)).toBe(NOBODY);

    const nginxMarker = newMarker();
    markerScript(join(theirs, 'nginx'), NOBODY, nginxMarker);
    const conf = join(theirs, 'nginx.conf');
    writeFileSync(conf, 'events {}\n');
    chownSync(conf, NOBODY, NOGROUP);
    await adapterFor({ kind: 'nginx', binary: join(theirs, 'nginx'), prefix: theirs, conf }, deps).start();
    expect(writer(nginxMarker)).toBe(NOBODY);
  });

  it('nginx: a root-owned binary with a configuration nobody owns (load_module) does not run as root', async () => {
    if (skipUnlessRoot()) return;
    const mine = tree(0);
    const theirs = tree(NOBODY);
    const marker = newMarker();
    markerScript(join(mine, 'nginx'), 0, marker);
    const conf = join(theirs, 'nginx.conf');
    writeFileSync(conf, 'events {}\n');
    chownSync(conf, NOBODY, NOGROUP);
    await adapterFor({ kind: 'nginx', binary: join(mine, 'nginx'), prefix: theirs, conf }, deps).start();
    expect(writer(marker)).toBe(NOBODY);
  });

  it('a plain process whose command line names a script nobody owns is started as nobody; a root-owned one as root', async () => {
    if (skipUnlessRoot()) return;
    for (const [owner, expected] of [[NOBODY, NOBODY], [0, 0]] as const) {
      const home = tree(owner);
      const marker = newMarker();
      markerScript(join(home, 'app.sh'), owner, marker);
      await adapterFor({ kind: 'process', pid: 999_999, argv: ['/bin/sh', join(home, 'app.sh')] }, deps).start();
      await waitFor(marker);
      expect(writer(marker)).toBe(expected);
    }
  });
});

describe('Tomcat configtest never runs a base’s code as root', () => {
  /** A base whose catalina.properties puts a class folder on the loader and whose server.xml instantiates its Listener. */
  function base(owner: number, marker: string): { base: string; text: string } | null {
    if (!existsSync(JAVAC)) return null;
    const b = tree(owner);
    const classes = join(b, 'classes');
    mkdirSync(join(b, 'conf'), { recursive: true });
    mkdirSync(classes);
    writeFileSync(
      join(b, 'Marker.java'),
      `public class Marker implements org.apache.catalina.LifecycleListener {\n` +
        `  public Marker() throws Exception { java.nio.file.Files.writeString(java.nio.file.Path.of("${marker}"), String.valueOf(new com.sun.security.auth.module.UnixSystem().getUid())); }\n` +
        `  public void lifecycleEvent(org.apache.catalina.LifecycleEvent e) {}\n}\n`,
    );
    execFileSync(JAVAC, ['-cp', join(CATALINA_HOME, 'lib', 'catalina.jar'), '-d', classes, join(b, 'Marker.java')], { stdio: 'ignore' });
    const confOf = (f: string) => [join(CATALINA_HOME, 'conf', f), join(CATALINA_HOME, 'etc', f)].find((p) => existsSync(p));
    const props = readFileSync(confOf('catalina.properties')!, 'latin1').replace(/^common\.loader=.*$/m, (line) => `${line},"${classes}/"`);
    writeFileSync(join(b, 'conf', 'catalina.properties'), props);
    for (const f of ['web.xml', 'logging.properties']) if (confOf(f) !== undefined) copyFileSync(confOf(f)!, join(b, 'conf', f));
    if (owner !== 0) execFileSync('/bin/chown', ['-R', `${owner}:${NOGROUP}`, b]);
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Server port="-1" shutdown="SHUTDOWN">\n  <Listener className="Marker" />\n  <Service name="Catalina">\n    <Connector port="8080" address="127.0.0.1" />\n    <Engine name="Catalina" defaultHost="localhost"><Host name="localhost" appBase="webapps" /></Engine>\n  </Service>\n</Server>\n`;
    return { base: b, text };
  }

  it.each([
    ['nobody', NOBODY],
    ['root', 0],
  ] as const)('a base %s owns: its Listener runs as that account, configtest still answers', async (_who, owner) => {
    if (skipUnlessRoot()) return;
    const marker = newMarker();
    const made = base(owner, marker);
    if (made === null) {
      console.warn(`skipped: ${JAVAC} is needed to build the base's Listener`);
      return;
    }
    // The caller's work folder sits in a root-only temp folder, as planTomcatSsl's does.
    const work = tree(0);
    chmodSync(work, 0o700);
    const result = await configtest({ process: realProcessPort, java: JAVA, home: CATALINA_HOME, base: made.base, decoded: { bom: Buffer.alloc(0), encoding: 'utf8' }, text: made.text, work: join(work, 'base') });
    expect(writer(marker), result.output).toBe(owner);
    expect(result.ok, result.output).toBe(true);
  }, 120_000);
});

describe('validators (nginx -t, httpd -t) never load another account’s module as root', () => {
  /** A shared object whose constructor records who loaded it (dlopen runs it before nginx/httpd look inside). */
  function markerModule(at: string, owner: number, marker: string): string | null {
    if (!existsSync('/usr/bin/gcc')) return null;
    const src = join(at, 'marker.c');
    writeFileSync(src, `#include <stdio.h>\n#include <unistd.h>\n__attribute__((constructor)) static void mark(void) { FILE *f = fopen("${marker}", "w"); if (f) { fprintf(f, "%d\\n", (int)getuid()); fclose(f); } }\n`);
    const so = join(at, 'marker.so');
    execFileSync('/usr/bin/gcc', ['-shared', '-fPIC', '-o', so, src], { stdio: 'ignore' });
    if (owner !== 0) execFileSync('/bin/chown', ['-R', `${owner}:${NOGROUP}`, at]);
    return so;
  }

  it.each([
    ['nobody', NOBODY],
    ['root', 0],
  ] as const)('nginx -t of a tree %s owns (load_module of its own module) runs as that account', async (_who, owner) => {
    if (skipUnlessRoot()) return;
    if (!nginxAvailable()) throw new Error('nginx is required (apt-get install nginx)');
    const theirs = tree(owner);
    const marker = newMarker();
    const so = markerModule(theirs, owner, marker);
    if (so === null) return console.warn('skipped: gcc is needed to build the module');
    const conf = join(theirs, 'nginx.conf');
    writeFileSync(conf, `load_module ${so};\nevents {}\nhttp { server { listen 127.0.0.1:1; } }\n`);
    if (owner !== 0) chownSync(conf, owner, NOGROUP);
    const loaded = await loadNginxTree(conf);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    const result = await nginxTestTree(loaded.tree, { nginxBin: NGINX_BIN, process: realProcessPort });
    expect(writer(marker), result.output).toBe(owner);
  });

  it('httpd -t of a tree nobody owns is refused before anything runs; a root-owned tree is still tested as root', async () => {
    if (skipUnlessRoot()) return;
    if (!apacheAvailable()) throw new Error('apache2 is required (apt-get install apache2)');
    for (const owner of [NOBODY, 0]) {
      const theirs = tree(owner);
      const marker = newMarker();
      const so = markerModule(theirs, owner, marker);
      if (so === null) return console.warn('skipped: gcc is needed to build the module');
      const conf = join(theirs, 'httpd.conf');
      writeFileSync(conf, `ServerRoot "${theirs}"\nLoadModule marker_module ${so}\nListen 127.0.0.1:1\n`);
      if (owner !== 0) chownSync(conf, owner, NOGROUP);
      const loaded = await loadApacheTree(conf, {});
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
      const outcome = await apacheTestTree(realPorts, loaded.tree, { bin: APACHE_BIN }).then(
        () => 'ran',
        (e: unknown) => (e instanceof EngineError ? e.code : String(e)),
      );
      if (owner === NOBODY) {
        expect(outcome).toBe('ROOT_RUN_UNTRUSTED');
        expect(writer(marker)).toBe(null);
      } else {
        expect(outcome).toBe('ran');
        expect(writer(marker)).toBe(0);
      }
    }
  });
});

describe('the JDBC bridge', () => {
  it('runs as the owner of driver jars another account can change, even when the FineDB folder is root’s', async () => {
    if (skipUnlessRoot()) return;
    const s = createFineInstall(join(dir.path, `fr-${n++}`));
    const lib = join(s.dir, 'webapps', 'webroot', 'WEB-INF', 'lib');
    execFileSync('/bin/chown', ['-R', `${NOBODY}:${NOGROUP}`, lib]);
    const { resolved } = await resolveFineDb({ install: s.dir }, { ports: realPorts });
    expect(resolved.kind).toBe('embedded-hsqldb');
    expect(resolved.kind !== 'sqlite' ? resolved.jdbc.runAs : null).toEqual({ uid: NOBODY, gid: NOGROUP });
    // The same install, all root's: the bridge runs as root.
    const mine = createFineInstall(join(dir.path, `fr-${n++}`));
    const again = await resolveFineDb({ install: mine.dir }, { ports: realPorts });
    expect(again.resolved.kind !== 'sqlite' ? again.resolved.jdbc.runAs : 'sqlite').toBe(undefined);
  });
});
