import { spawnSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectMaterial } from '../../main/engine/certs/inspect.js';
import { findingText } from '../../renderer/src/components/finding-text.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { CERT_FINDING_CODES } from '../../shared/contract/certs.js';
import { catalogKeys } from '../../shared/i18n/index.js';
import { days, makeCa, makeLeaf, makeSelfSigned } from '../harness/certs.js';
import { tempDir } from '../harness/temp.js';

const x = (pem: string) => new X509Certificate(pem);
const key = (pem: string) => createPrivateKey(pem);
const codes = (r: { findings: readonly { code: string; severity: string }[] }) => r.findings.map((f) => `${f.code}:${f.severity}`).sort();
const dir = tempDir('wss-setup-certs-inspect-');
afterAll(() => dir.cleanup());

const ca = makeCa('Inspect Test CA');
const good = makeLeaf(ca, { names: ['reports.example.com', '192.0.2.10'] });
const base = { lang: 'en' as const, anchors: [x(ca.cert)] };

/** A leaf signed by the test CA with whatever node-forge allows (weak keys, SHA-1, odd extensions). */
function custom(options: { bits?: number; md?: forge.md.MessageDigest; extensions?: object[]; notAfterDays?: number }): { cert: string; key: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const k = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.setRsaPublicKey(k.n, k.e);
  c.serialNumber = '0a1b2c';
  c.validity.notBefore = days(-1);
  c.validity.notAfter = days(options.notAfterDays ?? 300);
  c.setSubject([{ name: 'commonName', value: 'reports.example.com' }]);
  c.setIssuer(ca.forgeCert.subject.attributes);
  c.setExtensions(options.extensions ?? [{ name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames: [{ type: 2, value: 'reports.example.com' }] }]);
  c.sign(ca.forgeKey, options.md ?? forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(c), key: forge.pki.privateKeyToPem(k) };
}

describe('inspection findings', () => {
  it('finds nothing wrong with a good leaf + CA, key and names', () => {
    const r = inspectMaterial({ ...base, certs: [x(good.cert), x(ca.cert)], key: key(good.key), names: ['reports.example.com', '192.0.2.10'] });
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.keyMatches).toBe(true);
  });

  it('CERT_KEY_MISMATCH when the key belongs to another certificate', () => {
    const other = makeLeaf(ca, { names: ['reports.example.com'] });
    const r = inspectMaterial({ ...base, certs: [x(good.cert)], key: key(other.key) });
    expect(codes(r)).toEqual(['CERT_KEY_MISMATCH:error']);
    expect(r.keyMatches).toBe(false);
  });

  it('CERT_CHAIN_ORDER when the CA comes before the server certificate', () => {
    const r = inspectMaterial({ ...base, certs: [x(ca.cert), x(good.cert)], key: key(good.key) });
    expect(codes(r)).toEqual(['CERT_CHAIN_ORDER:error']);
    expect(r.findings[0]!.message).toBe('The certificates are not in order: the file starts with "CN=Inspect Test CA", but the server certificate is "CN=reports.example.com".');
  });

  it('CERT_CHAIN_INCOMPLETE when the issuer is neither sent nor known', () => {
    const r = inspectMaterial({ lang: 'en', certs: [x(good.cert)], key: null });
    expect(codes(r)).toEqual(['CERT_CHAIN_INCOMPLETE:error']);
    expect(r.findings[0]!.message).toContain('its issuer "CN=Inspect Test CA" is not included');
  });

  it('CERT_CHAIN_BROKEN when an intermediate of the same name did not sign it', () => {
    const impostor = makeCa('Inspect Test CA');
    const r = inspectMaterial({ lang: 'en', certs: [x(good.cert), x(impostor.cert)], key: null });
    expect(codes(r)).toEqual(['CERT_CHAIN_BROKEN:error', 'CERT_CHAIN_UNRELATED:warning']);
  });

  it('CERT_SAN_MISSING names the host that is not covered; a wildcard covers one level only', () => {
    const wild = makeLeaf(ca, { names: ['*.example.com'] });
    const r = inspectMaterial({ ...base, certs: [x(wild.cert)], key: null, names: ['a.example.com', 'a.b.example.com', 'example.com', '*.example.com', '192.0.2.10'] });
    expect(r.findings.filter((f) => f.code === 'CERT_SAN_MISSING').map((f) => f.evidence.name)).toEqual(['a.b.example.com', 'example.com', '192.0.2.10']);
    expect(r.findings[0]!.message).toBe('The certificate does not cover "a.b.example.com" (it names: *.example.com). Browsers show ERR_CERT_COMMON_NAME_INVALID for it.');
  });

  it('its findings read again in the other language equal a run in that language (the panel switches language without inspecting again)', () => {
    const wild = makeLeaf(ca, { names: ['*.example.com'] });
    const input = { anchors: [x(ca.cert)], certs: [x(wild.cert)], key: null, names: ['a.b.example.com', 'example.com'] };
    const en = inspectMaterial({ ...input, lang: 'en' }).findings;
    const zh = inspectMaterial({ ...input, lang: 'zh-CN' }).findings;
    expect(en.map((f) => f.code)).toContain('CERT_SAN_MISSING');
    en.forEach((f, i) => {
      expect(f.message).not.toBe(zh[i]!.message);
      expect(findingText(f, 'zh-CN'), f.code).toEqual({ message: zh[i]!.message, fix: zh[i]!.fix });
    });
  });

  it('CERT_NO_SAN for a certificate that only has a common name', () => {
    const r = inspectMaterial({ ...base, certs: [x(custom({ extensions: [{ name: 'extKeyUsage', serverAuth: true }] }).cert)], key: null, names: ['reports.example.com'] });
    expect(codes(r)).toEqual(['CERT_NO_SAN:error']);
  });

  it('CERT_EXPIRED, CERT_NOT_YET_VALID and CERT_EXPIRES_SOON from the dates', () => {
    const expired = makeLeaf(ca, { names: ['a.example.com'], notBefore: days(-100), notAfter: days(-1) });
    const future = makeLeaf(ca, { names: ['a.example.com'], notBefore: days(3), notAfter: days(100) });
    const soon = makeLeaf(ca, { names: ['a.example.com'], notAfter: days(10) });
    expect(codes(inspectMaterial({ ...base, certs: [x(expired.cert)], key: null }))).toEqual(['CERT_EXPIRED:error']);
    expect(codes(inspectMaterial({ ...base, certs: [x(future.cert)], key: null }))).toEqual(['CERT_NOT_YET_VALID:error']);
    const r = inspectMaterial({ ...base, certs: [x(soon.cert)], key: null });
    expect(codes(r)).toEqual(['CERT_EXPIRES_SOON:warning']);
    expect(r.findings[0]!.message).toMatch(/^The certificate expires in (9|10) days/);
  });

  it('CERT_VALIDITY_TOO_LONG beyond 825 days', () => {
    const r = inspectMaterial({ ...base, certs: [x(custom({ notAfterDays: 1000 }).cert)], key: null });
    expect(codes(r)).toEqual(['CERT_VALIDITY_TOO_LONG:warning']);
    expect(r.findings[0]!.evidence).toEqual({ days: 1001, max: 825 });
  });

  it('CERT_WEAK_KEY for RSA 1024 and CERT_WEAK_SIGNATURE for SHA-1', () => {
    expect(codes(inspectMaterial({ ...base, certs: [x(custom({ bits: 1024 }).cert)], key: null }))).toEqual(['CERT_WEAK_KEY:error']);
    const sha1 = inspectMaterial({ ...base, certs: [x(custom({ md: forge.md.sha1.create() }).cert)], key: null });
    expect(codes(sha1)).toEqual(['CERT_WEAK_SIGNATURE:error']);
    expect(sha1.findings[0]!.message).toContain('sha1WithRSAEncryption');
  });

  it('CERT_NO_SERVER_AUTH for a client certificate (error) and without any EKU (warning)', () => {
    const client = custom({ extensions: [{ name: 'extKeyUsage', clientAuth: true }, { name: 'subjectAltName', altNames: [{ type: 2, value: 'a.example.com' }] }] });
    const none = custom({ extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'a.example.com' }] }] });
    expect(codes(inspectMaterial({ ...base, certs: [x(client.cert)], key: null }))).toEqual(['CERT_NO_SERVER_AUTH:error']);
    expect(codes(inspectMaterial({ ...base, certs: [x(none.cert)], key: null }))).toEqual(['CERT_NO_SERVER_AUTH:warning']);
  });

  it('CERT_LEAF_IS_CA when a CA certificate is used as the server certificate', () => {
    const caLeaf = custom({ extensions: [{ name: 'basicConstraints', cA: true }, { name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames: [{ type: 2, value: 'a.example.com' }] }] });
    expect(codes(inspectMaterial({ ...base, certs: [x(caLeaf.cert)], key: null }))).toEqual(['CERT_LEAF_IS_CA:error']);
  });

  it('CERT_SELF_SIGNED_LEAF for a bare self-signed certificate (seed 003)', () => {
    const self = makeSelfSigned({ names: ['reports.example.com'] });
    expect(codes(inspectMaterial({ lang: 'en', certs: [x(self.cert)], key: key(self.key), names: ['reports.example.com'] }))).toEqual(['CERT_SELF_SIGNED_LEAF:warning']);
  });

  it('reproduces seed 000\'s five openssl commands and names each problem', async () => {
    const run = (...args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: dir.path, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    run('genrsa', '-des3', '-passout', 'pass:seed', '-out', 'server.key', '2048');
    run('rsa', '-in', 'server.key', '-passin', 'pass:seed', '-out', 'server.key');
    run('req', '-new', '-key', 'server.key', '-out', 'server.csr', '-subj', '/CN=reports.example.com');
    run('req', '-new', '-x509', '-key', 'server.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=Seed CA');
    run('x509', '-req', '-days', '3650', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'server.key', '-CAcreateserial', '-out', 'server.crt');
    const r = await runOperation('certInspect', {
      source: { kind: 'pem', certFile: join(dir.path, 'server.crt'), keyFile: join(dir.path, 'server.key'), chainFiles: [join(dir.path, 'ca.crt')] },
      names: ['reports.example.com'],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.ok).toBe(false);
    expect(r.value.keyMatches).toBe(true);
    expect(codes(r.value)).toEqual(['CERT_CA_SHARES_KEY:warning', 'CERT_NO_SAN:error', 'CERT_NO_SERVER_AUTH:warning', 'CERT_VALIDITY_TOO_LONG:warning']);
  });

  it('has text and a fix for every finding code in both languages', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const keys = new Set(catalogKeys(lang));
      for (const code of CERT_FINDING_CODES) {
        expect(keys.has(`finding.${code}`), `${lang} finding.${code}`).toBe(true);
        expect(keys.has(`finding.${code}.fix`), `${lang} finding.${code}.fix`).toBe(true);
      }
    }
  });

  it('speaks Chinese when asked', () => {
    const other = makeLeaf(ca, { names: ['reports.example.com'] });
    const r = inspectMaterial({ ...base, lang: 'zh-CN', certs: [x(good.cert)], key: key(other.key) });
    expect(r.findings[0]!.message).toBe('私钥与证书“CN=reports.example.com”不匹配。');
  });
});
