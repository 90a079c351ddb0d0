import forge from 'node-forge';
import { join } from 'node:path';
import type * as z from '../../../shared/contract/z.js';
import type { CertCsrInputSchema, CertCsrOutput } from '../../../shared/contract/certs.js';
import type { OpContext } from '../common/context.js';
import { generateRsaKey, signWithNodeKey } from './keys.js';
import { progress } from './outputs.js';
import { altNames, assertKeyTypeSupported, commonNameFor } from './server-cert.js';
import { checkTargets, writeFilesAtomically } from './write-files.js';

export type CsrRequest = z.output<typeof CertCsrInputSchema>;

/**
 * The `certCsr` operation: a new key (kept next to the request, owner-only) and a PKCS#10
 * request with the same subjectAltName, serverAuth and key usages as a local server certificate.
 * The CA's answer is imported later with certImport using this key.
 */
export async function certCsr(input: CsrRequest, ctx: OpContext): Promise<CertCsrOutput> {
  assertKeyTypeSupported(input.keyType);
  const csrPath = join(input.outDir, `${input.baseName}.csr`);
  const keyPath = join(input.outDir, `${input.baseName}.key`);
  await checkTargets([csrPath, keyPath], input.overwrite, ctx.ports.fs);
  progress(ctx, 'certCsr', 'progress.certs.key', { bits: input.keySize });
  const key = await generateRsaKey(input.keySize);

  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = key.forgePublic;
  const subject: forge.pki.CertificateField[] = [];
  if (input.country !== undefined) subject.push({ name: 'countryName', value: input.country });
  if (input.state !== undefined) subject.push({ name: 'stateOrProvinceName', value: input.state });
  if (input.locality !== undefined) subject.push({ name: 'localityName', value: input.locality });
  if (input.organization !== undefined) subject.push({ name: 'organizationName', value: input.organization });
  if (input.organizationalUnit !== undefined) subject.push({ name: 'organizationalUnitName', value: input.organizationalUnit });
  subject.push({ name: 'commonName', value: commonNameFor(input.names, input.commonName) });
  csr.setSubject(subject);
  csr.setAttributes([
    {
      name: 'extensionRequest',
      extensions: [
        { name: 'subjectAltName', altNames: altNames(input.names) },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
      ],
    },
  ]);
  signWithNodeKey(csr, key.node);
  const csrPem = forge.pki.certificationRequestToPem(csr).replace(/\r\n/g, '\n');
  progress(ctx, 'certCsr', 'progress.certs.write');
  await writeFilesAtomically(
    [
      { path: keyPath, content: key.pkcs8Pem, secret: true },
      { path: csrPath, content: csrPem, secret: false },
    ],
    { overwrite: input.overwrite, lang: ctx.lang },
    ctx.ports,
  );
  return {
    files: [
      { kind: 'csr', path: csrPath, secret: false },
      { kind: 'key', path: keyPath, secret: true },
    ],
    subject: subject.map((a) => `${shortName(a.name!)}=${String(a.value)}`).join(', '),
    san: input.names.map((n) => (altNames([n])[0]!.type === 7 ? `IP:${n}` : `DNS:${n}`)),
    csrPem,
  };
}

const SHORT: Readonly<Record<string, string>> = {
  countryName: 'C',
  stateOrProvinceName: 'ST',
  localityName: 'L',
  organizationName: 'O',
  organizationalUnitName: 'OU',
  commonName: 'CN',
};
const shortName = (name: string) => SHORT[name] ?? name;
