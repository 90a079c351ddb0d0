import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALINA_HOME } from './tomcat.js';

/**
 * A CATALINA_BASE in `dir` with Debian tomcat10's conf files (server.xml replaced when given),
 * for planning against; the home stays Debian's /usr/share/tomcat10.
 */
export function makeBase(dir: string, serverXml?: Buffer | string): string {
  mkdirSync(join(dir, 'conf'), { recursive: true });
  for (const sub of ['logs', 'temp', 'work', 'webapps']) mkdirSync(join(dir, sub), { recursive: true });
  const etc = join(CATALINA_HOME, 'etc');
  for (const file of readdirSync(etc)) copyFileSync(join(etc, file), join(dir, 'conf', file));
  if (serverXml !== undefined) writeFileSync(join(dir, 'conf', 'server.xml'), serverXml);
  return dir;
}

/** A keystore with a self-signed key made by the JDK's keytool (the password passed by environment). */
export function makeKeystore(path: string, password: string, type: 'PKCS12' | 'JKS' = 'PKCS12', cn = 'localhost'): void {
  const r = spawnSync('keytool', ['-genkeypair', '-alias', 'tomcat', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '30', '-dname', `CN=${cn}`, '-ext', `SAN=dns:${cn}`, '-storetype', type, '-keystore', path, '-storepass:env', 'KS_PW', '-keypass:env', 'KS_PW'], {
    env: { ...process.env, KS_PW: password },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`keytool failed: ${r.stderr}`);
}
