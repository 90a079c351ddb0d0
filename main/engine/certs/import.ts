import type * as z from '../../../shared/contract/z.js';
import type { CertImportInputSchema, CertIssueOutput } from '../../../shared/contract/certs.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { orderChain } from './chain.js';
import { formatDn, summarize } from './describe.js';
import { inspectMaterial } from './inspect.js';
import { findLocalCa } from './local-ca.js';
import { loadMaterial, type MaterialDeps } from './material.js';
import { preflightOutputs, progress, writeOutputs } from './outputs.js';

export type ImportRequest = z.output<typeof CertImportInputSchema>;

/**
 * The `certImport` operation: existing certificate + key (PEM, encrypted PEM, PFX/PKCS#12, JKS),
 * checked (the key belongs to the certificate, it is valid now), the chain put in order, and
 * written in the formats each server needs. Nothing is written when a check fails.
 */
export async function certImport(input: ImportRequest, ctx: OpContext, deps: MaterialDeps = {}): Promise<CertIssueOutput> {
  await preflightOutputs(input, ctx, deps);
  progress(ctx, 'certImport', 'progress.certs.read');
  const material = await loadMaterial(input.source, ctx.lang, ctx.ports, deps);
  if (material.key === null) throw new EngineError('CERT_KEY_MISSING', {}, { source: input.source.kind });
  const ordered = orderChain(material.certs, material.key);
  if (ordered.keyMatches !== true) {
    throw new EngineError('CERT_KEY_MISMATCH', { subject: formatDn(ordered.leaf.subject) }, { leafFingerprint256: ordered.leaf.fingerprint256 });
  }
  const now = Date.now();
  const leafSummary = summarize(ordered.leaf);
  if (new Date(ordered.leaf.validTo).getTime() < now) throw new EngineError('CERT_EXPIRED', { validTo: leafSummary.validTo, subject: leafSummary.subject }, { validTo: leafSummary.validTo });
  if (new Date(ordered.leaf.validFrom).getTime() > now) throw new EngineError('CERT_NOT_YET_VALID', { validFrom: leafSummary.validFrom, subject: leafSummary.subject }, { validFrom: leafSummary.validFrom });

  const files = await writeOutputs(input, { key: material.key, leaf: ordered.leaf, chain: ordered.chain }, ctx, 'certImport', deps);
  const localCa = await findLocalCa(ctx.ports.fs).catch(() => null);
  const inspected = inspectMaterial({
    certs: [ordered.leaf, ...ordered.chain],
    key: material.key,
    ...(input.names !== undefined ? { names: input.names } : {}),
    anchors: localCa ? [localCa.x509] : [],
    lang: ctx.lang,
  });
  return { files, certificate: leafSummary, chain: ordered.chain.map(summarize), findings: inspected.findings };
}
