import type { CliIO } from '../../io.js';
import { defined, inputPath, list, overwriteOf, str, Usage, type Values } from './options.js';
import { readSecret } from './secret.js';

/** Output folder, formats and the keystore password (asked for when a keystore is wanted). */
export async function outputInput(v: Values, io: CliIO) {
  const outDir = str(v, 'out-dir');
  if (outDir === undefined) throw new Usage('INVALID_INPUT', 'certs.cli.outDirNeeded');
  const formats = list(v, 'format');
  const wantsKeystore = formats.includes('pkcs12') || formats.includes('jks');
  const keystorePassword = await readSecret(v, io, 'password', wantsKeystore, true);
  return defined({
    outDir,
    baseName: str(v, 'base-name'),
    formats: formats.length > 0 ? formats : undefined,
    keystorePassword,
    alias: str(v, 'alias'),
    pkcs12Encryption: str(v, 'pkcs12-encryption'),
    overwrite: overwriteOf(v),
  });
}

/** Exactly one of --cert, --from-pkcs12, --from-jks, with its passphrase; also how to retry with a typed one. */
export async function sourceInput(v: Values, io: CliIO, needsKeyPassphrase: boolean): Promise<{ source: Record<string, unknown>; withPassphrase: (p: string) => Record<string, unknown> }> {
  const cert = inputPath(str(v, 'cert'));
  const p12 = inputPath(str(v, 'from-pkcs12'));
  const jks = inputPath(str(v, 'from-jks'));
  if ([cert, p12, jks].filter((x) => x !== undefined).length !== 1) throw new Usage('INVALID_INPUT', 'certs.cli.sourceNeeded');
  if (cert !== undefined) {
    const passphrase = await readSecret(v, io, 'passphrase', false);
    const base = defined({ kind: 'pem', certFile: cert, keyFile: inputPath(str(v, 'key')), chainFiles: list(v, 'chain').map((c) => inputPath(c)!) });
    return { source: defined({ ...base, passphrase }), withPassphrase: (p) => ({ ...base, passphrase: p }) };
  }
  const password = (await readSecret(v, io, 'passphrase', needsKeyPassphrase)) ?? '';
  if (p12 !== undefined) return { source: { kind: 'pkcs12', file: p12, password }, withPassphrase: (p) => ({ kind: 'pkcs12', file: p12, password: p }) };
  const keyPassword = await readSecret(v, io, 'key-passphrase', false);
  const base = defined({ kind: 'jks', file: jks!, alias: str(v, 'jks-alias'), keyPassword });
  return { source: { ...base, password }, withPassphrase: (p) => ({ ...base, password: p }) };
}
