import { PLAN_ISSUE } from '../../../shared/contract/certs-inputs.js';
import { dirname } from 'node:path';
import type { CertOutputs } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { requireLocalCa } from './local-ca.js';
import { writeMaterial, type MaterialTarget } from './outputs.js';
import { signServerCertificate } from './server-cert.js';
import { checkTargets } from './write-files.js';

/** A plan's `issue` certificate action with its secrets resolved by apply (never stored). */
export interface IssueForPlan {
  readonly names: readonly string[];
  readonly outputs: CertOutputs;
  /** The values of the outputs' password references. */
  readonly secrets: Readonly<Record<string, string>>;
}

function targetsOf(outputs: CertOutputs): MaterialTarget[] {
  const targets: MaterialTarget[] = [];
  if (outputs.pem) targets.push({ kind: 'certificate', path: outputs.pem.certPath, secret: false }, { kind: 'key', path: outputs.pem.keyPath, secret: true });
  if (outputs.pkcs12) targets.push({ kind: 'pkcs12', path: outputs.pkcs12.path, secret: true });
  if (outputs.jks) targets.push({ kind: 'jks', path: outputs.jks.path, secret: true });
  return targets;
}

/** The files an `issue` action writes (apply backs them up and journals them before the step). */
export const issuedPaths = (outputs: CertOutputs): string[] => targetsOf(outputs).map((t) => t.path);

function keystorePassword(request: IssueForPlan): string | undefined {
  const refs = [request.outputs.pkcs12?.password.secretRef, request.outputs.jks?.password.secretRef].filter((r): r is string => r !== undefined);
  const values = [...new Set(refs.map((r) => request.secrets[r]))];
  if (values.some((v) => v === undefined || v === '')) throw new EngineError('CERT_PLAN_SECRET_MISSING', { names: refs.join(', ') }, { names: refs });
  if (values.length > 1) throw new EngineError('CERT_PLAN_PASSWORDS_DIFFER', { names: refs.join(', ') }, { names: refs });
  return values[0];
}

/**
 * What can fail before anything is written: the local CA is there and ours, each output path is
 * absent or holds certificate material (never a link or another kind of file), and a keystore
 * output has its password.
 */
export async function checkIssueForPlan(request: IssueForPlan, ctx: OpContext): Promise<void> {
  await requireLocalCa(ctx.ports.fs);
  keystorePassword(request);
  // A folder that does not exist yet is created by apply before the step (and removed on rollback).
  const present: string[] = [];
  for (const path of issuedPaths(request.outputs)) if ((await ctx.ports.fs.lstat(dirname(path)))?.isDirectory()) present.push(path);
  await checkTargets(present, true, ctx.ports.fs);
}

/**
 * Issues the plan's server certificate from the local CA at apply time and writes it to the paths
 * the plan names (PEM leaf + chain and key, PKCS#12, JKS), all or none. Replacing a file is allowed:
 * apply has backed it up and puts it back on rollback.
 */
export async function issueForPlan(request: IssueForPlan, ctx: OpContext): Promise<string[]> {
  const password = keystorePassword(request);
  const ca = await requireLocalCa(ctx.ports.fs);
  const material = await signServerCertificate({ names: request.names, keySize: PLAN_ISSUE.keyBits, validityDays: PLAN_ISSUE.validityDays }, ca, ctx, 'apply');
  const files = await writeMaterial(targetsOf(request.outputs), { keystorePassword: password, alias: request.outputs.jks?.alias ?? 'tomcat', pkcs12Encryption: 'aes256', overwrite: true }, material, ctx, 'apply');
  return files.map((f) => f.path);
}
