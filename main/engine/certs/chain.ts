import type { KeyObject, X509Certificate } from 'node:crypto';
import { isSelfSigned } from './describe.js';

export interface OrderedChain {
  readonly leaf: X509Certificate;
  /** Issuers of the leaf in order (leaf's issuer first), as far as the given certificates go. */
  readonly chain: readonly X509Certificate[];
  /** Given certificates that are not part of the leaf's chain. */
  readonly unrelated: readonly X509Certificate[];
  /** Certificates whose issuer is named but whose signature does not verify with it. */
  readonly broken: readonly { readonly cert: X509Certificate; readonly claimedIssuer: X509Certificate }[];
  /** null without a key; otherwise whether the leaf belongs to the key. */
  readonly keyMatches: boolean | null;
}

export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function matchesKey(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/**
 * Finds the leaf among certificates given in any order (the one that belongs to the key; without
 * a key, the one that issued none of the others) and follows the issuers from it.
 */
export function orderChain(certs: readonly X509Certificate[], key: KeyObject | null): OrderedChain {
  if (certs.length === 0) throw new Error('orderChain needs at least one certificate');
  let leaf: X509Certificate | undefined;
  let keyMatches: boolean | null = null;
  if (key !== null) {
    leaf = certs.find((c) => matchesKey(c, key));
    keyMatches = leaf !== undefined;
  }
  if (leaf === undefined) {
    const issuesOthers = (c: X509Certificate) => certs.some((o) => o !== c && !isSelfSigned(o) && issuedBy(o, c));
    leaf = certs.find((c) => !issuesOthers(c) && !c.ca) ?? certs.find((c) => !issuesOthers(c)) ?? certs[0]!;
  }
  const chain: X509Certificate[] = [];
  const broken: { cert: X509Certificate; claimedIssuer: X509Certificate }[] = [];
  const remaining = new Set(certs.filter((c) => c !== leaf));
  let current = leaf;
  while (!isSelfSigned(current)) {
    const next = [...remaining].find((c) => issuedBy(current, c));
    if (next === undefined) {
      const claimed = [...remaining].find((c) => current.checkIssued(c));
      if (claimed !== undefined) broken.push({ cert: current, claimedIssuer: claimed });
      break;
    }
    chain.push(next);
    remaining.delete(next);
    current = next;
  }
  return { leaf, chain, unrelated: [...remaining], broken, keyMatches };
}
