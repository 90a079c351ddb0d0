import { resolve } from 'node:path';
import { operations } from '../../../../shared/contract/index.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs, parseInteger } from '../args.js';
import { printHelp } from '../help.js';
import { reportError, usageError, type CliIO } from '../io.js';
import { finishPlan } from '../save-plan.js';
import { readSecretSource } from '../secrets.js';

export const OPTIONS = {
  install: { type: 'string' },
  'catalina-base': { type: 'string' },
  'catalina-home': { type: 'string' },
  'https-port': { type: 'string' },
  address: { type: 'string' },
  'server-name': { type: 'string', multiple: true },
  keystore: { type: 'string' },
  'keystore-type': { type: 'string' },
  'keystore-alias': { type: 'string' },
  'keystore-password-file': { type: 'string' },
  'keystore-password-env': { type: 'string' },
  'allow-privileged-port': { type: 'boolean' },
  'redirect-http': { type: 'boolean' },
  'ws-path': { type: 'string' },
  java: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const PATHS = { install: 'install', 'catalina-base': 'catalinaBase', 'catalina-home': 'catalinaHome', keystore: 'keystore', java: 'java' } as const;

/** `wss-setup plan tomcat-ssl ...` (method one): computes and shows the plan; writes nothing but --out. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  const { values } = parsed;
  if (values.help === true) return printHelp(io, 'plan.tomcat-ssl', OPTIONS);
  const input: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(PATHS)) if (typeof values[flag] === 'string') input[field] = resolve(values[flag] as string);
  if (typeof values.address === 'string') input.address = values.address;
  if (typeof values['keystore-type'] === 'string') input.keystoreType = values['keystore-type'].toUpperCase();
  if (typeof values['keystore-alias'] === 'string') input.keystoreAlias = values['keystore-alias'];
  if (values['allow-privileged-port'] === true) input.allowPrivilegedPort = true;
  if (values['redirect-http'] === true) input.redirectHttp = true;
  if (typeof values['ws-path'] === 'string') input.wsPath = values['ws-path'];
  if (Array.isArray(values['server-name'])) input.serverNames = values['server-name'];
  if (typeof values['https-port'] === 'string') {
    const n = parseInteger(values['https-port']);
    if (n === null) return usageError(io, json, 'INVALID_INPUT', 'cli.notANumber', { name: '--https-port', value: values['https-port'] });
    input.httpsPort = n;
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const secret = await readSecretSource(io, str(values['keystore-password-file']), str(values['keystore-password-env']));
  if (!secret.ok) {
    return secret.problem === 'file'
      ? usageError(io, json, 'INVALID_INPUT', 'finedb.cli.secretFile', { path: secret.path, reason: secret.reason })
      : usageError(io, json, 'INVALID_INPUT', 'finedb.cli.secretEnv', { name: secret.name });
  }
  if (secret.value !== undefined) input.keystorePassword = secret.value;

  const result = await runOperation('planTomcatSsl', input, { lang: io.lang });
  if (!result.ok) return reportError(io, json, result.error, operations.planTomcatSsl.inputErrors);
  return finishPlan(values.out, result.value, io, json);
}
