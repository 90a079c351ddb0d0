import type * as z from '../../../shared/contract/z.js';
import type { CertInspectInputSchema, CertInspectOutput } from '../../../shared/contract/certs.js';
import type { OpContext } from '../common/context.js';
import type { X509Certificate } from 'node:crypto';
import { readCaCertificates } from './ca-file.js';
import { orderChain } from './chain.js';
import { summarize } from './describe.js';
import { inspectMaterial } from './inspect.js';
import { findLocalCa } from './local-ca.js';
import { loadMaterial, type MaterialDeps } from './material.js';

export type InspectRequest = z.output<typeof CertInspectInputSchema>;

/** The `certInspect` operation: findings about a certificate (and key, chain) as files on disk. */
export async function certInspect(input: InspectRequest, ctx: OpContext, deps: MaterialDeps = {}): Promise<CertInspectOutput> {
  const material = await loadMaterial(input.source, ctx.lang, ctx.ports, deps);
  // A keystore has no order; only PEM files are served in the order written.
  const certs = input.source.kind === 'pem' ? material.certs : (() => {
    const o = orderChain(material.certs, material.key);
    return [o.leaf, ...o.chain, ...o.unrelated];
  })();
  const anchors: X509Certificate[] = [];
  if (input.caFile !== undefined) anchors.push(...(await readCaCertificates(ctx.ports.fs, input.caFile, ctx.lang)));
  const localCa = await findLocalCa(ctx.ports.fs).catch(() => null);
  if (localCa !== null) anchors.push(localCa.x509);
  const result = inspectMaterial({ certs, key: material.key, ...(input.names !== undefined ? { names: input.names } : {}), anchors, lang: ctx.lang });
  return {
    ok: result.ok,
    certificate: result.certificate,
    chain: certs.filter((c) => c !== result.leaf).map(summarize),
    keyMatches: result.keyMatches,
    findings: result.findings,
  };
}
