import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../main/hosts/cli/main.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { formatCheckReport } from '../../main/hosts/cli/format-check.js';
import { runOperation } from '../../main/engine/run-operation.js';
import type { CheckOutput } from '../../shared/contract/check.js';
import { absolutePathSchemaFor, isAbsolutePathFor } from '../../shared/contract/common.js';
import { ListenAddressSchema, serverNameProblem, upstreamProblem } from '../../shared/contract/nginx.js';
import { tempDir } from '../harness/temp.js';

/**
 * The contract pieces the certs work reshaped: nginx's host rules now built on host-names.ts
 * (same accepted and refused values as the rules it wrote itself), absolute paths judged for the
 * platform the engine runs on, and the CLI's one findings formatter (same text as before).
 */
const dir = tempDir('wss-setup-certs-contract-');
afterAll(() => dir.cleanup());

// nginx.ts's own rules before host-names.ts, verbatim: the reference the shared module must match.
const OLD_LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const OLD_SERVER_NAME = new RegExp(`^(?:\\*\\.)?${OLD_LABEL}(?:\\.${OLD_LABEL})*(?:\\.\\*)?$`);
const OLD_IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const OLD_IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;
const OLD_HOST = `(?:\\[[0-9A-Fa-f:.]+\\]|${OLD_LABEL}(?:\\.${OLD_LABEL})*)`;
const OLD_UPSTREAM = new RegExp(`^${OLD_HOST}:(\\d{1,5})$`);
const OLD_UNSAFE = /[;{}"'#\\`\s\u0000-\u001f\u007f]/;
function oldServerNameProblem(value: string): string | null {
  if (OLD_UNSAFE.test(value)) return 'nginx.input.serverName.unsafe';
  if (value === '_' || OLD_IPV4.test(value) || OLD_IPV6.test(value)) return null;
  return value.length <= 253 && OLD_SERVER_NAME.test(value) ? null : 'nginx.input.serverName.invalid';
}
function oldUpstreamProblem(value: string): string | null {
  if (OLD_UNSAFE.test(value)) return 'nginx.input.upstream.unsafe';
  const m = OLD_UPSTREAM.exec(value);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 65535 ? null : 'nginx.input.upstream.invalid';
}
const oldListenOk = (v: string) => !OLD_UNSAFE.test(v) && (OLD_IPV4.test(v) || OLD_IPV6.test(v));

/** Strings made of the characters that matter to host grammars, plus some real-looking values. */
const hostish = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'ab_-.*[]:0125f9 ;x'.split('')), maxLength: 24 }),
  fc.constantFrom('_', '*.example.com', 'www.example.*', 'my_host.corp', '[::1]', '[fd00::1]', '[]', '[:::]', '10.0.0.1', '256.0.0.1', '01.2.3.4', 'a.b', `${'a'.repeat(64)}.com`, `${'a.'.repeat(126)}ab`, `${'a.'.repeat(127)}ab`),
);

describe('nginx host rules built on host-names.ts', () => {
  it('accept and refuse exactly what nginx.ts accepted and refused before', () => {
    fc.assert(
      fc.property(hostish, (value) => {
        expect(serverNameProblem(value)).toBe(oldServerNameProblem(value));
        expect(ListenAddressSchema.safeParse(value).success).toBe(oldListenOk(value));
        for (const port of ['80', '0', '65536', '8080']) expect(upstreamProblem(`${value}:${port}`)).toBe(oldUpstreamProblem(`${value}:${port}`));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('absolute paths, judged for the platform the tool runs on', () => {
  it.each([
    ['/etc/ssl/ca.pem', true, true],
    ['C:\\ca.crt', false, true],
    ['c:/certs/ca.crt', false, true],
    ['\\\\fileserver\\certs\\ca.crt', false, true],
    ['ca.crt', false, false],
    ['certs/ca.crt', false, false],
    ['C:ca.crt', false, false],
  ])('%s: absolute on Linux %s, on Windows %s', (path, posix, windows) => {
    expect(isAbsolutePathFor(path, 'posix')).toBe(posix);
    expect(isAbsolutePathFor(path, 'win32')).toBe(windows);
    expect(absolutePathSchemaFor('posix').safeParse(path).success).toBe(posix);
    expect(absolutePathSchemaFor('win32').safeParse(path).success).toBe(windows);
    // The renderer has no `process`: it takes either form and the engine judges again.
    expect(isAbsolutePathFor(path, 'any')).toBe(windows);
  });

  it.runIf(process.platform !== 'win32')('refuses C:\\ca.crt on Linux instead of writing a file of that name into the current folder', async () => {
    const cwd = process.cwd();
    const here = join(dir.path, 'cwd');
    const data = join(dir.path, 'data');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(here);
    process.env.WSS_SETUP_DATA_DIR = data;
    process.chdir(here);
    try {
      const ca = await runOperation('certCa', { keySize: 2048 });
      expect(ca.ok).toBe(true);
      const direct = await runOperation('certExport', { outFile: 'C:\\ca.crt' });
      expect(!direct.ok && direct.error.code).toBe('INVALID_INPUT');
      expect(!direct.ok && direct.error.message).toContain('The path "C:\\ca.crt" is not absolute on this machine');
      let stdout = '';
      let stderr = '';
      const io: CliIO = { lang: 'en', stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), interactive: false, env: process.env };
      const code = await main(['cert', 'export', '--out', 'C:\\ca.crt'], io);
      expect(code, stdout + stderr).toBe(2);
      expect(stderr).toContain('is not absolute on this machine');
      expect(existsSync(join(here, 'C:\\ca.crt'))).toBe(false);
      expect(readdirSync(here)).toEqual([]);
    } finally {
      process.chdir(cwd);
      delete process.env.WSS_SETUP_DATA_DIR;
    }
  });
});

describe('the CLI prints findings one way', () => {
  it('keeps the check report as it was, finding lines included', () => {
    const report: CheckOutput = {
      ok: false,
      endpoints: [
        {
          url: 'wss://reports.example.com:38889/',
          ok: false,
          kind: 'websocket',
          timings: { dns: 1.2, tcp: 2.6, total: 9 },
          tls: null,
          http: null,
          echo: 'skipped',
          findings: [
            { code: 'UPGRADE_NOT_FORWARDED', severity: 'error', message: 'The server answered 200.', fix: 'Forward the Upgrade headers.', evidence: {} },
            { code: 'NO_ECHO', severity: 'info', message: 'No echo.', fix: 'Nothing to do.', evidence: {} },
          ],
        },
      ],
    };
    expect(formatCheckReport(report, 'en')).toBe(
      [
        'wss://reports.example.com:38889/  ✖ not working',
        '  timings: dns 1 ms, tcp 3 ms, total 9 ms',
        '  ✖ UPGRADE_NOT_FORWARDED (error): The server answered 200.',
        '    → fix: Forward the Upgrade headers.',
        '  i NO_ECHO (info): No echo.',
        '    → fix: Nothing to do.',
        '',
        '0 of 1 endpoints healthy',
        '',
      ].join('\n'),
    );
  });
});
