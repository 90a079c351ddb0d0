import type { DetailedPeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { tlsFindings, type TlsFacts } from '../../main/engine/health/tls-findings.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');

function peer(options: { cn?: string; san?: string; issuer?: string; from?: number; to?: number } = {}): DetailedPeerCertificate {
  const cert = {
    subject: { CN: options.cn ?? 'localhost' },
    issuer: { CN: options.issuer ?? 'Local CA' },
    subjectaltname: options.san ?? 'DNS:localhost, IP Address:127.0.0.1',
    valid_from: new Date(options.from ?? NOW - 10 * DAY).toUTCString(),
    valid_to: new Date(options.to ?? NOW + 300 * DAY).toUTCString(),
    fingerprint256: 'AA:BB',
  } as unknown as DetailedPeerCertificate;
  (cert as { issuerCertificate: unknown }).issuerCertificate = { ...cert, subject: cert.issuer, fingerprint256: 'CC:DD' };
  return cert;
}

const facts = (extra: Partial<TlsFacts> = {}): TlsFacts => ({ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', authorized: true, authorizationError: null, peer: peer(), ...extra });
const codes = (f: TlsFacts, host = 'localhost') => tlsFindings(f, host, 'en', NOW).findings.map((x) => `${x.severity}:${x.code}`);

describe('TLS findings (pure: facts of a handshake + host + now → findings)', () => {
  it('a good certificate: no findings, described', () => {
    const { info, findings } = tlsFindings(facts(), 'localhost', 'en', NOW);
    expect(findings).toEqual([]);
    expect(info.certificate?.san).toEqual(['DNS:localhost', 'IP:127.0.0.1']);
    expect(info.certificate?.selfSigned).toBe(false);
    expect(codes(facts(), '127.0.0.1')).toEqual([]);
  });

  it('no certificate: nothing to judge', () => {
    expect(tlsFindings(facts({ peer: null }), 'localhost', 'en', NOW)).toEqual({ info: expect.objectContaining({ certificate: null }), findings: [] });
  });

  it('a name the certificate does not cover: CERT_NAME_MISMATCH naming what it covers', () => {
    const result = tlsFindings(facts({ peer: peer({ san: 'DNS:reports.other.example' }) }), 'localhost', 'en', NOW);
    expect(result.findings.map((f) => f.code)).toEqual(['CERT_NAME_MISMATCH']);
    expect(result.findings[0]!.params.names).toBe('reports.other.example');
  });

  it('untrusted chains: CERT_UNTRUSTED with a reason in the language asked, known or not', () => {
    const self = tlsFindings(facts({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'localhost', 'en', NOW);
    expect(self.findings.map((f) => f.code)).toEqual(['CERT_UNTRUSTED']);
    expect(self.findings[0]!.params.reason).toBe('it is self-signed');
    const zh = tlsFindings(facts({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'localhost', 'zh-CN', NOW);
    expect(zh.findings[0]!.params.reason).not.toBe('it is self-signed');
    const odd = tlsFindings(facts({ authorized: false, authorizationError: 'SOMETHING_NEW' }), 'localhost', 'en', NOW);
    expect(odd.findings[0]!.params.reason).toBe('verification failed with SOMETHING_NEW');
  });

  it('date errors from OpenSSL are judged from the dates, not reported as untrusted', () => {
    expect(codes(facts({ authorized: false, authorizationError: 'CERT_HAS_EXPIRED', peer: peer({ from: NOW - 400 * DAY, to: NOW - DAY }) }))).toEqual(['error:CERT_EXPIRED']);
    expect(codes(facts({ authorized: false, authorizationError: 'CERT_NOT_YET_VALID', peer: peer({ from: NOW + DAY, to: NOW + 400 * DAY }) }))).toEqual(['error:CERT_NOT_YET_VALID']);
    expect(codes(facts({ peer: peer({ to: NOW + 10 * DAY }) }))).toEqual(['warning:CERT_EXPIRES_SOON']);
    expect(codes(facts({ peer: peer({ to: NOW + 31 * DAY }) }))).toEqual([]);
  });

  it('TLS 1.0 and 1.1: TLS_OLD_PROTOCOL (a warning)', () => {
    expect(codes(facts({ protocol: 'TLSv1' }))).toEqual(['warning:TLS_OLD_PROTOCOL']);
    expect(codes(facts({ protocol: 'TLSv1.1' }))).toEqual(['warning:TLS_OLD_PROTOCOL']);
    expect(codes(facts({ protocol: 'TLSv1.2' }))).toEqual([]);
  });
});
