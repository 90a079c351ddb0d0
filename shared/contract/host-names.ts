import * as z from './z.js';

/**
 * Host names and IP literals: the one place their grammar is written. Certificates (SAN
 * entries, shared/contract/certs.ts) and nginx (server_name, upstreams, shared/contract/nginx.ts)
 * both build on it; each adds the rules of its own consumer. Kept free of Node so the renderer
 * can validate as the admin types.
 */

/** One DNS label (RFC 1123): letters, digits and inner hyphens, at most 63 characters. nginx also takes `_` (`server_name _`, `my_host`). */
export function dnsLabelPattern(options: { readonly underscore: boolean }): string {
  const edge = options.underscore ? 'A-Za-z0-9_' : 'A-Za-z0-9';
  return `[${edge}](?:[${edge}-]{0,61}[${edge}])?`;
}

/** Longest DNS name (without the trailing dot). */
export const MAX_DNS_NAME = 253;

/** Characters of an IPv6 literal (hex digits, colons, and dots for an embedded IPv4). */
export const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const CERT_LABEL = new RegExp(`^${dnsLabelPattern({ underscore: false })}$`);

/** Dotted-quad IPv4, each part 0–255 without leading zeros (an octal reading is never guessed). */
export function isIpv4(name: string): boolean {
  const m = IPV4.exec(name);
  return m !== null && m.slice(1).every((part) => Number(part) <= 255 && (part === '0' || !part.startsWith('0')));
}

/** IPv6 literal without brackets, checked with the WHATWG URL parser (works in Node and the browser). */
function isIpv6(name: string): boolean {
  if (!name.includes(':') || !IPV6_CHARS.test(name)) return false;
  try {
    return new URL(`http://[${name}]/`).hostname !== '';
  } catch {
    return false;
  }
}

export type HostNameKind = 'dns' | 'ip';

export function hostNameKind(name: string): HostNameKind {
  return isIpv4(name) || isIpv6(name) ? 'ip' : 'dns';
}

/** Problems of a name a certificate must cover; each is an i18n key taking {value} (shared/i18n/<lang>/certs.ts). */
export type HostNameProblem =
  | 'certs.input.name.empty'
  | 'certs.input.name.space'
  | 'certs.input.name.long'
  | 'certs.input.name.label'
  | 'certs.input.name.emptyLabel'
  | 'certs.input.name.char'
  | 'certs.input.name.hyphen'
  | 'certs.input.name.wildcard'
  | 'certs.input.name.wildcardTld'
  | 'certs.input.name.trailingDot'
  | 'certs.input.name.ip'
  | 'certs.input.name.brackets'
  | 'certs.input.name.idn';

/**
 * The first problem of a name a certificate must cover, or null. RFC 1123 labels; a wildcard
 * only as the whole left-most label above at least two labels (`*.example.com`); IPv4 and IPv6
 * literals.
 */
export function hostNameProblem(name: string): HostNameProblem | null {
  if (name === '') return 'certs.input.name.empty';
  if (/\s/.test(name)) return 'certs.input.name.space';
  if (name.startsWith('[') || name.endsWith(']')) return 'certs.input.name.brackets';
  if (name.includes(':')) return isIpv6(name) ? null : 'certs.input.name.ip';
  if (/^[\d.]+$/.test(name)) return isIpv4(name) ? null : 'certs.input.name.ip';
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(name)) return 'certs.input.name.idn';
  if (name.length > MAX_DNS_NAME) return 'certs.input.name.long';
  if (name.endsWith('.')) return 'certs.input.name.trailingDot';
  const labels = name.split('.');
  for (const [index, label] of labels.entries()) {
    if (label === '') return 'certs.input.name.emptyLabel';
    if (label.includes('*')) {
      if (index !== 0 || label !== '*') return 'certs.input.name.wildcard';
      if (labels.length < 3) return 'certs.input.name.wildcardTld';
      continue;
    }
    if (label.length > 63) return 'certs.input.name.label';
    if (!/^[A-Za-z0-9-]+$/.test(label)) return 'certs.input.name.char';
    if (!CERT_LABEL.test(label)) return 'certs.input.name.hyphen';
  }
  return null;
}

const HostNameSchema = z.string({ message: 'certs.input.name.empty' }).superRefine((value, ctx) => {
  const problem = hostNameProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: value });
});

/** Normal form of a name: DNS names in lower case, IPv6 compressed the way URL parsing does. */
export function normalizeHostName(name: string): string {
  if (isIpv6(name)) return new URL(`http://[${name}]/`).hostname.slice(1, -1);
  return name.toLowerCase();
}

/** The names a certificate covers: 1–100, each valid, normalized and de-duplicated. */
export const HostNamesSchema = z
  .array(HostNameSchema, { message: 'certs.input.names.empty' })
  .min(1, { message: 'certs.input.names.empty' })
  .max(100, { message: 'certs.input.names.many' })
  .transform((names) => [...new Set(names.map(normalizeHostName))]);
