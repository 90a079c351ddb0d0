import { isAbsolute, resolve } from 'node:path';
import type { CertSummary, OutputFile } from '../../../../shared/contract/certs.js';
import type { Finding } from '../../../../shared/contract/check.js';
import { operations, type OpName, type OutputOf } from '../../../../shared/contract/index.js';
import { t } from '../../../../shared/i18n/index.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs, parseInteger, type OptionSpec } from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, reportError, usageError, type CliIO } from '../io.js';
import { readSecretSource } from '../secrets.js';

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

const COMMON: OptionSpec = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

const OUTPUT_OPTIONS: OptionSpec = {
  'out-dir': { type: 'string' },
  'base-name': { type: 'string' },
  format: { type: 'string', multiple: true },
  'password-file': { type: 'string' },
  'password-env': { type: 'string' },
  alias: { type: 'string' },
  'pkcs12-encryption': { type: 'string' },
  overwrite: { type: 'boolean', default: false },
};

const SOURCE_OPTIONS: OptionSpec = {
  cert: { type: 'string' },
  key: { type: 'string' },
  chain: { type: 'string', multiple: true },
  'from-pkcs12': { type: 'string' },
  'from-jks': { type: 'string' },
  'jks-alias': { type: 'string' },
  'passphrase-file': { type: 'string' },
  'passphrase-env': { type: 'string' },
  'key-passphrase-file': { type: 'string' },
  'key-passphrase-env': { type: 'string' },
};

/** Options that would put a secret into argv (shell history, process list): refused with a clear line. */
const SECRET_ARGV = /^--(password|passphrase|pass|keystore-password|storepass|keypass|key-password)(=|$)/;

const str = (v: Values, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
const list = (v: Values, name: string): string[] => {
  const raw = v[name];
  const items = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return items.flatMap((item) => item.split(',')).filter((item) => item !== '');
};
/** Files to read may be relative to the current folder; files to write must be absolute (servers and FineDB need absolute paths). */
const inputPath = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(p));
const defined = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

class Usage {
  constructor(
    readonly code: string,
    readonly key: string,
    readonly params: Record<string, string> = {},
  ) {}
}

function integer(v: Values, name: string): number | undefined {
  const raw = str(v, name);
  if (raw === undefined) return undefined;
  const n = parseInteger(raw);
  if (n === null) throw new Usage('INVALID_INPUT', 'cli.notANumber', { name: `--${name}`, value: raw });
  return n;
}

// ---------------------------------------------------------------------------------------------
// Secrets: from a file, from an environment variable named on the command line, or typed.

async function promptHidden(question: string, io: CliIO): Promise<string | null> {
  const stdin = process.stdin;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return null;
  io.stderr(question);
  return new Promise((resolvePrompt) => {
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    const done = (value: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr('\n');
      resolvePrompt(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(text);
        if (ch === '\u0003' || ch === '\u0004') return done(null);
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readSecret(v: Values, io: CliIO, option: 'password' | 'passphrase' | 'key-passphrase', required: boolean, confirm = false): Promise<string | undefined> {
  const source = await readSecretSource(io, str(v, `${option}-file`), str(v, `${option}-env`));
  if (!source.ok && source.problem === 'file') throw new Usage('INVALID_INPUT', 'certs.cli.passwordFileUnreadable', { path: source.path, reason: source.reason });
  if (!source.ok) throw new Usage('INVALID_INPUT', 'certs.cli.passwordEnvMissing', { name: source.name, option });
  if (source.value !== undefined) return source.value;
  if (!required) return undefined;
  if (io.interactive) {
    const promptKey = option === 'password' ? 'certs.cli.prompt.password' : 'certs.cli.prompt.passphrase';
    const first = await promptHidden(t(io.lang, promptKey), io);
    if (first !== null) {
      if (!confirm) return first;
      const second = await promptHidden(t(io.lang, 'certs.cli.prompt.passwordAgain'), io);
      if (second === first) return first;
      throw new Usage('INVALID_INPUT', 'certs.cli.prompt.mismatch');
    }
  }
  throw new Usage('INVALID_INPUT', 'certs.cli.passwordNeeded', { what: t(io.lang, option === 'password' ? 'certs.cli.what.password' : 'certs.cli.what.passphrase'), option });
}

// ---------------------------------------------------------------------------------------------
// Text output

const MARK = { error: '✖', warning: '!', info: 'i' } as const;

function formatSummary(c: CertSummary, io: CliIO, label: string): string[] {
  return [
    `${label}: ${c.subject}`,
    `  ${t(io.lang, 'certs.report.chain')}: ${c.issuer}`,
    ...(c.san.length > 0 ? [`  ${t(io.lang, 'certs.report.names')}: ${c.san.join(', ')}`] : []),
    `  ${t(io.lang, 'certs.report.valid')}: ${c.validFrom} → ${c.validTo}`,
    `  ${t(io.lang, 'certs.report.key')}: ${c.keyType.toUpperCase()} ${c.keyBits ?? '?'}; ${t(io.lang, 'certs.report.signature')}: ${c.signatureAlgorithm}`,
    `  ${t(io.lang, 'certs.report.fingerprint')}: ${c.fingerprint256}`,
  ];
}

function formatFiles(files: readonly OutputFile[], io: CliIO): string[] {
  return [`${t(io.lang, 'certs.report.files')}:`, ...files.map((f) => `  ${f.path}${f.secret ? `  (${t(io.lang, 'certs.report.secret')})` : ''}`)];
}

function formatFindings(findings: readonly Finding[], io: CliIO): string[] {
  if (findings.length === 0) return [t(io.lang, 'certs.report.noFindings')];
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${MARK[f.severity]} ${f.code} (${t(io.lang, `severity.${f.severity}`)}): ${f.message}`);
    lines.push(`  → ${t(io.lang, 'report.fix')}: ${f.fix}`);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  lines.push(t(io.lang, 'certs.report.summary', { errors, warnings: findings.filter((f) => f.severity === 'warning').length }));
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Subcommands: each builds the operation input and a text rendering of its output.

interface Prepared<N extends OpName> {
  readonly op: N;
  readonly input: unknown;
  readonly text: (out: OutputOf<N>) => string[];
  readonly exit?: (out: OutputOf<N>) => number;
  /** Retry once with a typed passphrase when the engine says one is needed. */
  readonly retryWithPassphrase?: (passphrase: string) => unknown;
}

async function outputInput(v: Values, io: CliIO) {
  const outDir = str(v, 'out-dir');
  if (outDir === undefined) throw new Usage('INVALID_INPUT', 'certs.cli.outDirNeeded');
  const formats = list(v, 'format');
  const wantsKeystore = formats.includes('pkcs12') || formats.includes('jks');
  const keystorePassword = await readSecret(v, io, 'password', wantsKeystore, true);
  return defined({
    outDir,
    baseName: str(v, 'base-name'),
    formats: formats.length > 0 ? formats : undefined,
    keystorePassword,
    alias: str(v, 'alias'),
    pkcs12Encryption: str(v, 'pkcs12-encryption'),
    overwrite: v.overwrite === true ? true : undefined,
  });
}

async function sourceInput(v: Values, io: CliIO, needsKeyPassphrase: boolean): Promise<{ source: Record<string, unknown>; withPassphrase: (p: string) => Record<string, unknown> }> {
  const cert = inputPath(str(v, 'cert'));
  const p12 = inputPath(str(v, 'from-pkcs12'));
  const jks = inputPath(str(v, 'from-jks'));
  if ([cert, p12, jks].filter((x) => x !== undefined).length !== 1) throw new Usage('INVALID_INPUT', 'certs.cli.sourceNeeded');
  if (cert !== undefined) {
    const passphrase = await readSecret(v, io, 'passphrase', false);
    const base = defined({ kind: 'pem', certFile: cert, keyFile: inputPath(str(v, 'key')), chainFiles: list(v, 'chain').map((c) => inputPath(c)!) });
    return { source: defined({ ...base, passphrase }), withPassphrase: (p) => ({ ...base, passphrase: p }) };
  }
  const password = (await readSecret(v, io, 'passphrase', needsKeyPassphrase)) ?? '';
  if (p12 !== undefined) return { source: { kind: 'pkcs12', file: p12, password }, withPassphrase: (p) => ({ kind: 'pkcs12', file: p12, password: p }) };
  const keyPassword = await readSecret(v, io, 'key-passphrase', false);
  const base = defined({ kind: 'jks', file: jks!, alias: str(v, 'jks-alias'), keyPassword });
  return { source: { ...base, password }, withPassphrase: (p) => ({ ...base, password: p }) };
}

const namesOf = (v: Values) => {
  const names = list(v, 'name');
  return names.length > 0 ? names : undefined;
};

const SUBCOMMANDS: Readonly<Record<string, { options: OptionSpec; prepare: (v: Values, positionals: string[], io: CliIO) => Promise<Prepared<OpName>> }>> = {
  suggest: {
    options: {},
    prepare: async (_v, _p, io) =>
      ({
        op: 'certSuggestNames',
        input: {},
        text: (out: OutputOf<'certSuggestNames'>) => [...out.names.map((n) => `${n.value}\t${n.kind}\t${n.source}`), '', `--name ${out.names.map((n) => n.value).join(' --name ')}`],
      }) satisfies Prepared<'certSuggestNames'> as never,
  },
  ca: {
    options: { cn: { type: 'string' }, org: { type: 'string' }, years: { type: 'string' }, 'key-size': { type: 'string' }, reuse: { type: 'boolean', default: false }, replace: { type: 'boolean', default: false } },
    prepare: async (v, _p, io) =>
      ({
        op: 'certCa',
        input: defined({
          commonName: str(v, 'cn'),
          organization: str(v, 'org'),
          validityYears: integer(v, 'years'),
          keySize: integer(v, 'key-size'),
          ifExists: v.replace === true ? 'replace' : v.reuse === true ? 'reuse' : undefined,
        }),
        text: (out: OutputOf<'certCa'>) => [
          t(io.lang, out.created ? 'certs.report.caCreated' : 'certs.report.caReused', { path: out.certPath }),
          t(io.lang, 'certs.report.caKey', { path: out.keyPath }),
          ...formatSummary(out.certificate, io, t(io.lang, 'certs.report.certificate')),
          '',
          t(io.lang, 'certs.report.caNext'),
        ],
      }) satisfies Prepared<'certCa'> as never,
  },
  server: {
    options: { name: { type: 'string', multiple: true }, cn: { type: 'string' }, org: { type: 'string' }, 'key-type': { type: 'string' }, 'key-size': { type: 'string' }, days: { type: 'string' }, ...OUTPUT_OPTIONS },
    prepare: async (v, _p, io) =>
      ({
        op: 'certServer',
        input: defined({
          names: namesOf(v) ?? [],
          commonName: str(v, 'cn'),
          organization: str(v, 'org'),
          keyType: str(v, 'key-type'),
          keySize: integer(v, 'key-size'),
          validityDays: integer(v, 'days'),
          ...(await outputInput(v, io)),
        }),
        text: (out: OutputOf<'certServer'>) => issueText(out, io),
      }) satisfies Prepared<'certServer'> as never,
  },
  csr: {
    options: {
      name: { type: 'string', multiple: true },
      cn: { type: 'string' },
      org: { type: 'string' },
      ou: { type: 'string' },
      locality: { type: 'string' },
      state: { type: 'string' },
      country: { type: 'string' },
      'key-type': { type: 'string' },
      'key-size': { type: 'string' },
      'out-dir': { type: 'string' },
      'base-name': { type: 'string' },
      overwrite: { type: 'boolean', default: false },
    },
    prepare: async (v, _p, io) => {
      const outDir = str(v, 'out-dir');
      if (outDir === undefined) throw new Usage('INVALID_INPUT', 'certs.cli.outDirNeeded');
      return {
        op: 'certCsr',
        input: defined({
          names: namesOf(v) ?? [],
          commonName: str(v, 'cn'),
          organization: str(v, 'org'),
          organizationalUnit: str(v, 'ou'),
          locality: str(v, 'locality'),
          state: str(v, 'state'),
          country: str(v, 'country'),
          keyType: str(v, 'key-type'),
          keySize: integer(v, 'key-size'),
          outDir,
          baseName: str(v, 'base-name'),
          overwrite: v.overwrite === true ? true : undefined,
        }),
        text: (out: OutputOf<'certCsr'>) => {
          const csr = out.files.find((f) => f.kind === 'csr')!.path;
          const key = out.files.find((f) => f.kind === 'key')!.path;
          return [...formatFiles(out.files, io), `${out.subject}; ${out.san.join(', ')}`, '', out.csrPem.trimEnd(), '', t(io.lang, 'certs.report.csrNext', { path: csr, key })];
        },
      } satisfies Prepared<'certCsr'> as never;
    },
  },
  import: {
    options: { ...SOURCE_OPTIONS, ...OUTPUT_OPTIONS, name: { type: 'string', multiple: true } },
    prepare: async (v, _p, io) => {
      const { source, withPassphrase } = await sourceInput(v, io, str(v, 'cert') === undefined);
      const rest = defined({ names: namesOf(v), ...(await outputInput(v, io)) });
      return {
        op: 'certImport',
        input: { source, ...rest },
        text: (out: OutputOf<'certImport'>) => issueText(out, io),
        retryWithPassphrase: (p: string) => ({ source: withPassphrase(p), ...rest }),
      } satisfies Prepared<'certImport'> as never;
    },
  },
  inspect: {
    options: { ...SOURCE_OPTIONS, name: { type: 'string', multiple: true }, ca: { type: 'string' } },
    prepare: async (v, _p, io) => {
      const { source, withPassphrase } = await sourceInput(v, io, str(v, 'cert') === undefined);
      const rest = defined({ names: namesOf(v), caFile: inputPath(str(v, 'ca')) });
      return {
        op: 'certInspect',
        input: { source, ...rest },
        text: (out: OutputOf<'certInspect'>) => [
          ...formatSummary(out.certificate, io, t(io.lang, 'certs.report.certificate')),
          ...out.chain.flatMap((c) => formatSummary(c, io, t(io.lang, 'certs.report.chain'))),
          ...(out.keyMatches === true ? [t(io.lang, 'certs.report.keyMatches')] : []),
          '',
          ...formatFindings(out.findings, io),
        ],
        exit: (out: OutputOf<'certInspect'>) => (out.ok ? EXIT_OK : EXIT_FINDINGS),
        retryWithPassphrase: (p: string) => ({ source: withPassphrase(p), ...rest }),
      } satisfies Prepared<'certInspect'> as never;
    },
  },
  trust: {
    options: { ca: { type: 'string' }, label: { type: 'string' } },
    prepare: async (v, positionals, io) => {
      const action = positionals[0];
      if (action === undefined) throw new Usage('INVALID_INPUT', 'certs.cli.trustAction');
      return {
        op: 'certTrust',
        input: defined({ action, caFile: inputPath(str(v, 'ca')), label: str(v, 'label') }),
        text: (out: OutputOf<'certTrust'>) => [
          t(io.lang, 'certs.report.store', { store: t(io.lang, `certs.store.${out.store}`) }),
          ...out.commands.map((c) => t(io.lang, 'certs.report.ran', { command: c.join(' ') })),
          t(io.lang, out.installed ? 'certs.report.installed' : 'certs.report.notInstalled', { fingerprint: out.caFingerprint256, path: out.anchorPath ?? '' }),
          ...(out.action === 'steps' || out.action === 'status'
            ? out.steps.flatMap((s) => ['', `# ${s.title}`, s.text, ...s.commands.map((c) => `  ${c}`)])
            : []),
        ],
      } satisfies Prepared<'certTrust'> as never;
    },
  },
  export: {
    options: { out: { type: 'string' }, der: { type: 'boolean', default: false }, overwrite: { type: 'boolean', default: false } },
    prepare: async (v, _p, io) => {
      const outFile = str(v, 'out');
      if (outFile === undefined) throw new Usage('INVALID_INPUT', 'certs.cli.outNeeded');
      return {
        op: 'certExport',
        input: defined({ outFile, format: v.der === true ? 'der' : undefined, overwrite: v.overwrite === true ? true : undefined }),
        text: (out: OutputOf<'certExport'>) => [t(io.lang, 'certs.report.exported', { path: out.path }), ...formatSummary(out.certificate, io, t(io.lang, 'certs.report.certificate'))],
      } satisfies Prepared<'certExport'> as never;
    },
  },
};

function issueText(out: OutputOf<'certServer'>, io: CliIO): string[] {
  return [
    ...formatFiles(out.files, io),
    '',
    ...formatSummary(out.certificate, io, t(io.lang, 'certs.report.certificate')),
    ...out.chain.flatMap((c) => formatSummary(c, io, t(io.lang, 'certs.report.chain'))),
    '',
    ...formatFindings(out.findings, io),
  ];
}

/** `wss-setup cert <subcommand>`: one engine operation per subcommand; secrets never from argv. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(`${t(io.lang, 'cli.usage')}: ${t(io.lang, 'certs.cli.usage')}`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const spec = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  if (spec === undefined) return usageError(io, json, 'UNKNOWN_COMMAND', 'certs.cli.unknownSubcommand' as never, { name: sub });
  const secretArg = rest.find((a) => SECRET_ARGV.test(a));
  if (secretArg !== undefined) {
    const name = secretArg.split('=')[0]!;
    const option = /passphrase/.test(name) ? 'passphrase' : 'password';
    return usageError(io, json, 'INVALID_INPUT', 'certs.cli.passwordArgv' as never, { name, option });
  }
  const parsed = parseCommandArgs(rest, { ...COMMON, ...spec.options });
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  if (parsed.values.help === true) {
    io.stdout(`${t(io.lang, 'cli.usage')}: ${t(io.lang, 'certs.cli.usage')}`);
    return EXIT_OK;
  }
  let prepared: Prepared<OpName>;
  try {
    prepared = await spec.prepare(parsed.values, parsed.positionals, io);
  } catch (error) {
    if (error instanceof Usage) return usageError(io, json, error.code, error.key as never, error.params);
    throw error;
  }
  const runIt = (input: unknown) =>
    runOperation(prepared.op, input, {
      lang: io.lang,
      onProgress: (event) => {
        if (io.interactive && !json) io.stderr(`${event.message}\n`);
      },
    });
  let result = await runIt(prepared.input);
  if (!result.ok && result.error.code === 'CERT_PASSPHRASE_REQUIRED' && prepared.retryWithPassphrase !== undefined && io.interactive) {
    const typed = await promptHidden(t(io.lang, 'certs.cli.prompt.passphrase'), io);
    if (typed !== null) result = await runIt(prepared.retryWithPassphrase(typed));
  }
  if (!result.ok) return reportError(io, json, result.error, operations[prepared.op].inputErrors);
  const value = result.value as never;
  if (json) io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  else io.stdout(`${prepared.text(value).join('\n')}\n`);
  return prepared.exit ? prepared.exit(value) : EXIT_OK;
}
