import { MOZILLA_INTERMEDIATE_CIPHERS } from '../common/mozilla-tls.js';
import { homedir } from 'node:os';
import { isAbsolute, resolve, win32 } from 'node:path';
import { attr, type XmlAttribute, type XmlDocument, type XmlElement } from './xml-document.js';

/**
 * The Connector model of Tomcat 8.5, 9, 10.1 and 11 read from server.xml: each Connector's
 * port, protocol implementation, TLS settings (SSLHostConfig/Certificate, or the legacy
 * attributes on the Connector that 8.5/9 still read) and redirectPort. Keystore passwords are
 * held for the engine (to open the keystore, to write the FineDB row) and never leave it.
 */
export type Implementation = 'nio' | 'nio2' | 'apr' | 'auto' | 'ajp' | 'other';

export interface KeystoreRef {
  /** Value as written (may be relative, may use ${catalina.base}). */
  readonly file: string;
  /** Absolute path (relative paths resolved against CATALINA_BASE, as Tomcat does). */
  readonly resolved: string;
  readonly relative: boolean;
  readonly type: string;
  /** The password Tomcat uses (default "changeit"); engine-internal. */
  readonly password: string;
  readonly passwordWritten: boolean;
  readonly alias?: string;
  /** Where the keystore file is named: element and line. */
  readonly element: 'Certificate' | 'SSLHostConfig' | 'Connector';
  readonly line: number;
}

export interface PemRef {
  readonly certificateFile: string;
  readonly keyFile?: string;
  readonly resolvedCertificate: string;
  readonly line: number;
}

export interface TlsConfig {
  readonly hostName: string;
  /** The SSLHostConfig element (null for legacy Connector attributes). */
  readonly element: XmlElement | null;
  readonly keystore?: KeystoreRef;
  readonly pem?: PemRef;
  readonly protocols?: string;
  readonly ciphers?: string;
  /** Settings read from the Connector's legacy attributes. */
  readonly legacy: boolean;
}

export interface ConnectorInfo {
  readonly element: XmlElement;
  readonly service: string;
  /** The port number, or null when it is not a number (a ${property}, or missing). */
  readonly port: number | null;
  readonly address?: string;
  readonly protocol: string;
  readonly implementation: Implementation;
  readonly sslEnabled: boolean;
  readonly scheme: string;
  readonly secure: boolean;
  readonly redirectPort?: number;
  readonly tls: readonly TlsConfig[];
  readonly line: number;
}

const LEGACY_KEYSTORE = ['keystoreFile', 'keystorePass', 'keystoreType', 'keyAlias', 'keyPass', 'SSLCertificateFile', 'SSLCertificateKeyFile', 'sslEnabledProtocols', 'sslProtocol', 'SSLProtocol', 'ciphers', 'SSLCipherSuite'] as const;
export const LEGACY_TLS_ATTRIBUTES: readonly string[] = LEGACY_KEYSTORE;

export function implementationOf(protocol: string): Implementation {
  if (protocol === '' || protocol === 'HTTP/1.1') return 'auto';
  if (protocol === 'AJP/1.3' || /Ajp/.test(protocol)) return 'ajp';
  if (/Http11Nio2Protocol$/.test(protocol)) return 'nio2';
  if (/Http11NioProtocol$/.test(protocol)) return 'nio';
  if (/Http11AprProtocol$/.test(protocol)) return 'apr';
  return 'other';
}

/** ${catalina.base} / ${catalina.home} / ${user.home} replaced; other ${…} left as written. */
export function substitute(value: string, props: { base: string; home: string }): string {
  return value.replace(/\$\{(catalina\.base|catalina\.home|user\.home)\}/g, (_w, name: string) => (name === 'catalina.base' ? props.base : name === 'catalina.home' ? props.home : homedir()));
}

const isAbs = (p: string) => isAbsolute(p) || win32.isAbsolute(p);

/** A file named in server.xml as Tomcat resolves it: absolute as is, else against CATALINA_BASE. */
export function resolveAgainstBase(value: string, props: { base: string; home: string }): string {
  const v = substitute(value, props);
  if (isAbs(v)) return v;
  return props.base.includes('\\') || /^[A-Za-z]:/.test(props.base) ? win32.resolve(props.base, v) : resolve(props.base, v);
}

const bool = (a: XmlAttribute | undefined) => a !== undefined && a.value.trim().toLowerCase() === 'true';
const num = (a: XmlAttribute | undefined) => (a !== undefined && /^\d{1,5}$/.test(a.value.trim()) ? Number(a.value.trim()) : null);

export function readConnectors(doc: XmlDocument, props: { base: string; home: string }): ConnectorInfo[] {
  const out: ConnectorInfo[] = [];
  for (const service of doc.root.children.filter((c) => c.name === 'Service')) {
    for (const el of service.children.filter((c) => c.name === 'Connector')) out.push(readConnector(el, attr(service, 'name')?.value ?? '', props));
  }
  return out;
}

function keystoreOf(el: XmlElement, names: { file: string; pass: string; type: string; alias: string }, kind: KeystoreRef['element'], props: { base: string; home: string }): KeystoreRef | undefined {
  const file = attr(el, names.file);
  const pass = attr(el, names.pass);
  if (file === undefined) return undefined;
  const resolved = resolveAgainstBase(file.value, props);
  const alias = attr(el, names.alias)?.value;
  return {
    file: file.value,
    resolved,
    relative: !isAbs(substitute(file.value, props)),
    type: attr(el, names.type)?.value ?? 'JKS',
    password: pass?.value ?? 'changeit',
    passwordWritten: pass !== undefined,
    ...(alias !== undefined ? { alias } : {}),
    element: kind,
    line: file.line,
  };
}

function readConnector(el: XmlElement, service: string, props: { base: string; home: string }): ConnectorInfo {
  const protocol = attr(el, 'protocol')?.value ?? 'HTTP/1.1';
  const tls: TlsConfig[] = [];
  for (const host of el.children.filter((c) => c.name === 'SSLHostConfig')) {
    const certs = host.children.filter((c) => c.name === 'Certificate');
    const names = { file: 'certificateKeystoreFile', pass: 'certificateKeystorePassword', type: 'certificateKeystoreType', alias: 'certificateKeyAlias' };
    const fromCert = certs.map((c) => ({ c, ks: keystoreOf(c, names, 'Certificate', props) })).find((x) => x.ks !== undefined || attr(x.c, 'certificateFile') !== undefined);
    const keystore = fromCert?.ks ?? keystoreOf(host, names, 'SSLHostConfig', props);
    const pemEl = fromCert !== undefined && fromCert.ks === undefined ? fromCert.c : attr(host, 'certificateFile') !== undefined ? host : null;
    const pem: PemRef | undefined =
      pemEl !== null
        ? {
            certificateFile: attr(pemEl, 'certificateFile')!.value,
            ...(attr(pemEl, 'certificateKeyFile') !== undefined ? { keyFile: attr(pemEl, 'certificateKeyFile')!.value } : {}),
            resolvedCertificate: resolveAgainstBase(attr(pemEl, 'certificateFile')!.value, props),
            line: attr(pemEl, 'certificateFile')!.line,
          }
        : undefined;
    const protocols = attr(host, 'protocols')?.value ?? attr(host, 'sslProtocol')?.value;
    const ciphers = attr(host, 'ciphers')?.value;
    tls.push({
      hostName: attr(host, 'hostName')?.value ?? '_default_',
      element: host,
      ...(keystore !== undefined ? { keystore } : {}),
      ...(pem !== undefined ? { pem } : {}),
      ...(protocols !== undefined ? { protocols } : {}),
      ...(ciphers !== undefined ? { ciphers } : {}),
      legacy: false,
    });
  }
  if (LEGACY_KEYSTORE.some((n) => attr(el, n) !== undefined)) {
    const keystore = keystoreOf(el, { file: 'keystoreFile', pass: 'keystorePass', type: 'keystoreType', alias: 'keyAlias' }, 'Connector', props);
    const certFile = attr(el, 'SSLCertificateFile');
    const protocols = attr(el, 'sslEnabledProtocols')?.value ?? attr(el, 'SSLProtocol')?.value;
    const ciphers = attr(el, 'ciphers')?.value ?? attr(el, 'SSLCipherSuite')?.value;
    tls.push({
      hostName: '_default_',
      element: null,
      ...(keystore !== undefined ? { keystore } : {}),
      ...(certFile !== undefined
        ? { pem: { certificateFile: certFile.value, ...(attr(el, 'SSLCertificateKeyFile') ? { keyFile: attr(el, 'SSLCertificateKeyFile')!.value } : {}), resolvedCertificate: resolveAgainstBase(certFile.value, props), line: certFile.line } }
        : {}),
      ...(protocols !== undefined ? { protocols } : {}),
      ...(ciphers !== undefined ? { ciphers } : {}),
      legacy: true,
    });
  }
  const port = num(attr(el, 'port'));
  const address = attr(el, 'address')?.value;
  const redirectPort = num(attr(el, 'redirectPort'));
  return {
    element: el,
    service,
    port,
    ...(address !== undefined ? { address } : {}),
    protocol,
    implementation: implementationOf(protocol),
    sslEnabled: bool(attr(el, 'SSLEnabled')),
    scheme: attr(el, 'scheme')?.value ?? 'http',
    secure: bool(attr(el, 'secure')),
    ...(redirectPort !== null ? { redirectPort } : {}),
    tls,
    line: el.line,
  };
}

/** Mozilla's intermediate profile (ssl-config.mozilla.org, Tomcat): TLS 1.2 + 1.3 and these TLS 1.2 suites. */
export const MOZILLA_INTERMEDIATE = {
  protocols: 'TLSv1.2+TLSv1.3',
  ciphers: MOZILLA_INTERMEDIATE_CIPHERS,
} as const;

/** Protocol names of a protocols/sslEnabledProtocols value older than TLS 1.2. */
export function weakProtocols(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(/[,+\s]+/)
    .map((p) => p.trim())
    .filter((p) => /^(SSLv2|SSLv3|SSLv2Hello|TLSv1|TLSv1\.1|all|TLS)$/i.test(p) && !p.startsWith('-'));
}
