import type { KeyObject, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { OutputFile, OutputFileKind, OutputFormat } from '../../../shared/contract/certs.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t, type MessageKey } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { pkcs12ToJks, requireKeytool } from './keytool.js';
import { buildPkcs12 } from './pkcs12.js';
import { checkTargets, writeFilesAtomically, type PlannedFile } from './write-files.js';

export interface OutputRequest {
  readonly outDir: string;
  readonly baseName: string;
  readonly formats: readonly OutputFormat[];
  readonly keystorePassword?: string | undefined;
  readonly alias: string;
  readonly pkcs12Encryption: 'aes256' | '3des';
  readonly overwrite: boolean;
}

interface Target {
  readonly kind: OutputFileKind;
  readonly path: string;
  readonly secret: boolean;
}

/** <outDir>/<base>.crt (leaf + chain) and .key for nginx/Apache, .p12 for Tomcat/FineDB, .jks via keytool. */
function outputTargets(req: OutputRequest): Target[] {
  const file = (ext: string) => join(req.outDir, `${req.baseName}.${ext}`);
  const targets: Target[] = [];
  for (const format of req.formats) {
    switch (format) {
      case 'pem':
        targets.push({ kind: 'certificate', path: file('crt'), secret: false }, { kind: 'key', path: file('key'), secret: true });
        break;
      case 'pkcs12':
        targets.push({ kind: 'pkcs12', path: file('p12'), secret: true });
        break;
      case 'jks':
        targets.push({ kind: 'jks', path: file('jks'), secret: true });
        break;
    }
  }
  return targets;
}

export interface OutputDeps {
  /** Where keytool is looked for (JAVA_HOME, PATH); the process environment by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Checks that can fail before any key is generated: folders, existing files, keytool for JKS. */
export async function preflightOutputs(req: OutputRequest, ctx: OpContext, deps: OutputDeps = {}): Promise<void> {
  await checkTargets(outputTargets(req).map((t) => t.path), req.overwrite, ctx.ports.fs);
  if (req.formats.includes('jks')) requireKeytool(deps.env);
}

/** Builds every requested file in memory (JKS through keytool in a private temp folder), then writes them as one unit. */
export async function writeOutputs(
  req: OutputRequest,
  material: { readonly key: KeyObject; readonly leaf: X509Certificate; readonly chain: readonly X509Certificate[] },
  ctx: OpContext,
  operation: string,
  deps: OutputDeps = {},
): Promise<OutputFile[]> {
  return writeMaterial(outputTargets(req), req, material, ctx, operation, deps);
}

/** Material to write and where (any file names; `certServer` names them <outDir>/<base>.<ext>). */
export interface MaterialTarget {
  readonly kind: OutputFileKind;
  readonly path: string;
  readonly secret: boolean;
}

/** Builds the files for the targets (PKCS#12 in memory, JKS through keytool) and writes them as one unit, all or none. */
export async function writeMaterial(
  targets: readonly MaterialTarget[],
  req: Pick<OutputRequest, 'keystorePassword' | 'alias' | 'pkcs12Encryption' | 'overwrite'>,
  material: { readonly key: KeyObject; readonly leaf: X509Certificate; readonly chain: readonly X509Certificate[] },
  ctx: OpContext,
  operation: string,
  deps: OutputDeps = {},
): Promise<OutputFile[]> {
  const certPems = [material.leaf, ...material.chain].map((x) => x.toString());
  const keyPem = material.key.export({ type: 'pkcs8', format: 'pem' }).toString();
  let p12: Uint8Array | undefined;
  const pkcs12 = () => {
    if (req.keystorePassword === undefined) throw new EngineError('INVALID_INPUT', { details: t(ctx.lang, 'certs.input.password.required') });
    p12 ??= buildPkcs12(keyPem, certPems, { password: req.keystorePassword, alias: req.alias, encryption: req.pkcs12Encryption });
    return p12;
  };
  const planned: PlannedFile[] = [];
  for (const target of targets) {
    switch (target.kind) {
      case 'certificate':
        planned.push({ path: target.path, content: certPems.join(''), secret: false });
        break;
      case 'key':
        planned.push({ path: target.path, content: keyPem, secret: true });
        break;
      case 'pkcs12':
        planned.push({ path: target.path, content: pkcs12(), secret: true });
        break;
      case 'jks': {
        progress(ctx, operation, 'progress.certs.jks');
        const env = deps.env ?? process.env;
        const keytool = requireKeytool(env);
        planned.push({ path: target.path, content: await pkcs12ToJks(keytool, pkcs12(), req.keystorePassword!, ctx.ports, env.JAVA_HOME), secret: true });
        break;
      }
      default:
        throw new Error(`unexpected output ${target.kind}`);
    }
  }
  progress(ctx, operation, 'progress.certs.write');
  await writeFilesAtomically(planned, { overwrite: req.overwrite, lang: ctx.lang }, ctx.ports);
  return targets.map((t) => ({ kind: t.kind, path: t.path, secret: t.secret }));
}

export function progress(ctx: OpContext, operation: string, step: MessageKey, params: Record<string, string | number> = {}): void {
  ctx.onProgress({ operation, step, message: t(ctx.lang as Lang, step, params), params });
}
