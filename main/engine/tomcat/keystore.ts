import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findKeytool } from '../certs/index.js';
import { minimalEnv, type ProcessPort } from '../ports/index.js';

/** The keytool next to a java binary (the same JRE), else JAVA_HOME's or PATH's. */
export function keytoolFor(java: string): string | null {
  const exe = process.platform === 'win32' ? 'keytool.exe' : 'keytool';
  if (java.includes('/') || java.includes('\\')) {
    const sibling = join(dirname(java), exe);
    if (existsSync(sibling)) return sibling;
  }
  return findKeytool();
}

export type KeystoreState = { readonly ok: true; readonly aliases: readonly string[]; /** Issuer DNs of the certificates, as keytool prints them. */ readonly issuers: readonly string[] } | { readonly ok: false; readonly reason: 'wrong-password' | 'no-alias' | 'no-private-key' | 'unreadable'; readonly detail: string };

const PASS_VAR = 'WSS_SETUP_STORE_PASS';
const excerpt = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 300);

/**
 * Opens a keystore with keytool the way Tomcat will (type, password, alias): refuses a wrong
 * password, a missing alias or a store without a private key. The password goes by environment
 * variable (-storepass:env), never on the command line.
 */
export async function openKeystore(proc: ProcessPort, keytool: string, store: { path: string; type: string; password: string; alias?: string }): Promise<KeystoreState> {
  const args = ['-list', '-v', '-keystore', store.path, '-storetype', store.type, '-storepass:env', PASS_VAR];
  if (store.alias !== undefined) args.push('-alias', store.alias);
  const result = await proc.run({ command: keytool, args, env: minimalEnv({ [PASS_VAR]: store.password }), timeoutMs: 60_000, secrets: [store.password] });
  const out = `${result.stdout}\n${result.stderr}`.split(store.password).join('••••');
  if (result.code !== 0) {
    if (/password was incorrect|keystore password|Given final block not properly padded|failed to decrypt|UnrecoverableKeyException|BadPaddingException/i.test(out)) return { ok: false, reason: 'wrong-password', detail: excerpt(out) };
    if (/Alias <.*> does not exist/i.test(out)) return { ok: false, reason: 'no-alias', detail: excerpt(out) };
    return { ok: false, reason: 'unreadable', detail: excerpt(out) };
  }
  if (!/PrivateKeyEntry/.test(out)) return { ok: false, reason: 'no-private-key', detail: excerpt(out) };
  const aliases = [...out.matchAll(/^Alias name: (.+)$/gm)].map((m) => m[1]!.trim());
  const issuers = [...out.matchAll(/^Issuer: (.+)$/gm)].map((m) => m[1]!.trim());
  return { ok: true, aliases, issuers };
}

/** A self-signed keystore for validating a configuration whose real keystore is issued at apply time. */
export async function makeThrowawayKeystore(proc: ProcessPort, keytool: string, store: { path: string; type: string; password: string }): Promise<boolean> {
  const args = ['-genkeypair', '-alias', 'tomcat', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '2', '-dname', 'CN=wss-setup configtest', '-storetype', store.type, '-keystore', store.path, '-storepass:env', PASS_VAR, '-keypass:env', PASS_VAR];
  const result = await proc.run({ command: keytool, args, env: minimalEnv({ [PASS_VAR]: store.password }), timeoutMs: 60_000, secrets: [store.password] });
  return result.code === 0;
}
