import { closeSync, fstatSync, openSync, readSync, statSync, constants as fsConstants } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

/**
 * What the check trusts: Node's root store, plus the machine's system trust store (where
 * `cert trust install` puts the local CA: update-ca-certificates / update-ca-trust regenerate
 * these bundles), plus the CAs given with --ca. Node does not read the system store by itself.
 *
 * The context is cached, keyed on the extra CAs and on each bundle's identity (inode, size,
 * mtime, ctime): a check in the same serve-mode process right after "Install CA" sees the new
 * bundle (issue 9, item 23), while an unchanged store costs a few stat calls per probe.
 * Windows keeps its store in the registry, which Node 20 cannot read: there only Node's roots
 * and --ca count.
 */
const DEFAULT_SYSTEM_TRUST_FILES: readonly string[] =
  process.platform === 'win32'
    ? []
    : [
        '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu (update-ca-certificates)
        '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // RHEL, Fedora (update-ca-trust)
        '/etc/ssl/ca-bundle.pem', // SUSE
        '/etc/ssl/cert.pem', // Alpine, macOS
      ];

let systemTrustFiles: readonly string[] = DEFAULT_SYSTEM_TRUST_FILES;

/** Points the check at other bundle files (tests use a temp folder, never the real store). */
export function useSystemTrustFiles(files: readonly string[] | null): void {
  systemTrustFiles = files ?? DEFAULT_SYSTEM_TRUST_FILES;
}

/** A bundle larger than this is not a trust store (read at most this much). */
const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
// split + join: several times faster than a global regex replace over ~300 PEMs (the check's start-up, bench:check).
const compact = (pem: string) => pem.split(/\s+/).join('');

let nodeRoots: Set<string> | undefined;
const contexts = new Map<string, { readonly stamp: string; readonly context: SecureContext }>();
/** The system-only certificates per set of bundle files, with the store's stamp when read. */
const systemOnly = new Map<string, { readonly stamp: string; readonly certs: readonly string[] }>();

/** Identity of every bundle that exists now; changes when any is rewritten, replaced, added or removed. */
function storeStamp(files: readonly string[]): string {
  return files
    .map((file) => {
      try {
        const s = statSync(file, { bigint: true });
        return s.isFile() ? `${file}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : `${file}:-`;
      } catch {
        return `${file}:-`;
      }
    })
    .join('|');
}

/** A regular file's text, at most MAX_BUNDLE_BYTES; '' when absent or unreadable (a store we cannot read adds nothing). */
function readBundle(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile()) return '';
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_BUNDLE_BYTES));
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return buffer.subarray(0, filled).toString('latin1');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The system store's certificates that Node's own root store does not already hold. */
function systemOnlyCertificates(files: readonly string[]): readonly string[] {
  const stamp = storeStamp(files);
  const cached = systemOnly.get(files.join('\n'));
  if (cached !== undefined && cached.stamp === stamp) return cached.certs;
  nodeRoots ??= new Set(rootCertificates.map(compact));
  const seen = new Set<string>();
  const extra: string[] = [];
  for (const file of files) {
    for (const pem of readBundle(file).match(PEM_CERT) ?? []) {
      const key = compact(pem);
      if (nodeRoots.has(key) || seen.has(key)) continue;
      seen.add(key);
      extra.push(pem);
    }
  }
  systemOnly.set(files.join('\n'), { stamp, certs: extra });
  return extra;
}

/**
 * What a probe trusts, in two steps. `quick` is Node's root store plus the --ca certificates: cheap
 * (no system bundle read), and enough for a public CA or a CA given with --ca, which is nearly
 * every check. Only when a handshake against it is not authorized does the probe ask `full`
 * (the system store too) and shake hands again; `full` is null when the system store adds
 * nothing, so the verdict is always the one the whole store gives (issue 9: the bundle read and
 * ~20 certificate parses were ~8 ms of every `wss-setup check`).
 */
export interface Trust {
  readonly quick: () => SecureContext;
  readonly full: () => SecureContext | null;
}

/**
 * One check's view of the trust store: taken at its first use (from the cache when the store has
 * not changed), then the same for every endpoint of that check — a check of 100 endpoints looks
 * at the store once, and every endpoint is judged against the same store.
 */
export function trustForOneCheck(extraCa: readonly string[]): Trust {
  let quick: SecureContext | undefined;
  let full: SecureContext | null | undefined;
  return {
    quick: () => (quick ??= quickTrustContext(extraCa)),
    full: () => (full === undefined ? (full = systemAddsNothing() ? null : trustContext(extraCa)) : full),
  };
}

const quickContexts = new Map<string, SecureContext>();

/** Node's root store plus the extra CAs (a damaged --ca fails the handshake that uses it, as before). */
export function quickTrustContext(extraCa: readonly string[]): SecureContext {
  const key = extraCa.join('\n');
  let context = quickContexts.get(key);
  if (context === undefined) {
    context = defaultStorePlus([], extraCa);
    quickContexts.set(key, context);
  }
  return context;
}

/** True when the system store holds no certificate Node's own store lacks (then `full` would equal `quick`). */
function systemAddsNothing(): boolean {
  return systemOnlyCertificates(systemTrustFiles).length === 0;
}

/**
 * Node's `ca` option replaces the store, and re-parsing every root certificate costs ~30 ms, so the
 * system-only and extra CAs are added to a copy of the already-parsed default store when Node allows it.
 */
function defaultStorePlus(system: readonly string[], extraCa: readonly string[]): SecureContext {
  const context = createSecureContext();
  const native = (context as unknown as { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert !== 'function') return createSecureContext({ ca: [...rootCertificates, ...system, ...extraCa] });
  for (const pem of system) {
    try {
      native.addCACert(pem);
    } catch {
      // one damaged certificate in a bundle does not void the rest (OpenSSL skips it too)
    }
  }
  for (const pem of extraCa) native.addCACert(pem); // a damaged --ca fails the handshake, as before
  return context;
}

/** The secure context for a probe: Node's roots, the system store's own certificates and the extra CAs, cached while the store is unchanged. */
export function trustContext(extraCa: readonly string[]): SecureContext {
  const files = systemTrustFiles;
  const key = `${files.join('\n')}\n--\n${extraCa.join('\n')}`;
  const stamp = storeStamp(files);
  const cached = contexts.get(key);
  if (cached !== undefined && cached.stamp === stamp) return cached.context;
  const context = defaultStorePlus(systemOnlyCertificates(files), extraCa);
  contexts.set(key, { stamp, context });
  return context;
}
