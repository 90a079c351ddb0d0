import { describe, expect, it } from 'vitest';
import { HostNamesSchema, hostNameKind, hostNameProblem } from '../../shared/contract/certs.js';
import { suggestNames } from '../../main/engine/certs/suggest-names.js';
import { runOperation } from '../../main/engine/run-operation.js';

describe('host names a certificate can carry', () => {
  it.each([
    'reports.example.com',
    'localhost',
    'REPORTS-01.example.com',
    '*.example.com',
    'xn--fiqs8s.example.com',
    '127.0.0.1',
    '10.0.0.255',
    '::1',
    'fd00::2',
    '2001:db8::8a2e:370:7334',
    '::ffff:192.0.2.1',
  ])('accepts %s', (name) => {
    expect(hostNameProblem(name)).toBeNull();
  });

  it.each([
    ['', 'certs.input.name.empty'],
    ['reports example.com', 'certs.input.name.space'],
    [' reports.example.com', 'certs.input.name.space'],
    ['reports..example.com', 'certs.input.name.emptyLabel'],
    ['.example.com', 'certs.input.name.emptyLabel'],
    ['example.com.', 'certs.input.name.trailingDot'],
    ['re*ports.example.com', 'certs.input.name.wildcard'],
    ['reports.*.example.com', 'certs.input.name.wildcard'],
    ['*reports.example.com', 'certs.input.name.wildcard'],
    ['**.example.com', 'certs.input.name.wildcard'],
    ['*.com', 'certs.input.name.wildcardTld'],
    ['report_server.example.com', 'certs.input.name.char'],
    ['-reports.example.com', 'certs.input.name.hyphen'],
    ['reports-.example.com', 'certs.input.name.hyphen'],
    [`${'a'.repeat(64)}.example.com`, 'certs.input.name.label'],
    [`${'a.'.repeat(127)}com`, 'certs.input.name.long'],
    ['256.1.1.1', 'certs.input.name.ip'],
    ['1.2.3', 'certs.input.name.ip'],
    ['01.2.3.4', 'certs.input.name.ip'],
    ['fd00:::2', 'certs.input.name.ip'],
    ['[::1]', 'certs.input.name.brackets'],
    ['报表.example.com', 'certs.input.name.idn'],
  ])('rejects %j with %s', (name, key) => {
    expect(hostNameProblem(name)).toBe(key);
  });

  it('tells IP literals from DNS names', () => {
    expect(hostNameKind('192.0.2.1')).toBe('ip');
    expect(hostNameKind('fd00::1')).toBe('ip');
    expect(hostNameKind('reports.example.com')).toBe('dns');
  });

  it('normalizes and de-duplicates the list (case, IPv6 spelling)', () => {
    expect(HostNamesSchema.parse(['Reports.Example.com', 'reports.example.com', '0:0:0:0:0:0:0:1', '::1'])).toEqual(['reports.example.com', '::1']);
  });

  it('names the bad host in the message, in both languages', async () => {
    const input = { names: ['good.example.com', 'bad name.example.com', 'a.*.example.com'], outDir: '/tmp' };
    const en = await runOperation('certServer', input, { lang: 'en' });
    const zh = await runOperation('certServer', input, { lang: 'zh-CN' });
    expect(en.ok || en.error.message).toMatch(/"bad name\.example\.com" contains a space/);
    expect(en.ok || en.error.message).toMatch(/wildcard in "a\.\*\.example\.com" is in the wrong place/);
    expect(zh.ok || zh.error.message).toMatch(/主机名“bad name\.example\.com”包含空格/);
    expect(en.ok || en.error.code).toBe('INVALID_INPUT');
  });
});

describe('names the wizard proposes', () => {
  it('offers the host name, its short form, non-internal addresses and loopback, without link-local IPv6', () => {
    const out = suggestNames({
      hostname: 'Reports01.corp.example',
      interfaces: {
        lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: null }],
        eth0: [
          { address: '192.0.2.10', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '52:54:00:00:00:01', cidr: null },
          { address: 'fe80::5054:ff:fe00:1', family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '52:54:00:00:00:01', cidr: null, scopeid: 2 },
          { address: '2001:db8::10', family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '52:54:00:00:00:01', cidr: null, scopeid: 0 },
        ],
      },
    });
    expect(out.names.map((n) => `${n.value}/${n.kind}/${n.source}`)).toEqual([
      'reports01.corp.example/dns/fqdn',
      'reports01/dns/hostname',
      '192.0.2.10/ip/interface',
      '2001:db8::10/ip/interface',
      'localhost/dns/loopback',
      '127.0.0.1/ip/loopback',
      '::1/ip/loopback',
    ]);
  });

  it('leaves out a host name that a certificate cannot carry', () => {
    const out = suggestNames({ hostname: 'my_pc', interfaces: {} });
    expect(out.names.map((n) => n.value)).toEqual(['localhost', '127.0.0.1', '::1']);
  });

  it('runs as an operation on this machine', async () => {
    const r = await runOperation('certSuggestNames', {});
    expect(r.ok && r.value.names.some((n) => n.value === 'localhost')).toBe(true);
  });
});
