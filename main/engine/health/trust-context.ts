import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

const trustContexts = new Map<string, SecureContext>();

/**
 * A secure context trusting Node's root store plus the given CAs, cached per CA set. Node's
 * `ca` option replaces the store, and re-parsing every root certificate costs ~30 ms, so the
 * extra CAs are added to a copy of the already-parsed default store when Node allows it.
 */
export function trustContext(extraCa: readonly string[]): SecureContext {
  const key = extraCa.join('\n');
  const cached = trustContexts.get(key);
  if (cached !== undefined) return cached;
  let context = createSecureContext();
  const native = (context as unknown as { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert === 'function') for (const pem of extraCa) native.addCACert(pem);
  else context = createSecureContext({ ca: [...rootCertificates, ...extraCa] });
  trustContexts.set(key, context);
  return context;
}
