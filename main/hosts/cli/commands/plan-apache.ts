import { resolve } from 'node:path';
import { operations } from '../../../../shared/contract/index.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs, parseInteger } from '../args.js';
import { printHelp } from '../help.js';
import { reportError, usageError, type CliIO } from '../io.js';
import { finishPlan } from '../save-plan.js';

export const OPTIONS = {
  'apache-conf': { type: 'string' },
  'server-root': { type: 'string' },
  profile: { type: 'string' },
  install: { type: 'string' },
  product: { type: 'string' },
  'jar-date': { type: 'string' },
  'container-websocket': { type: 'boolean' },
  'server-name': { type: 'string', multiple: true },
  cert: { type: 'string' },
  key: { type: 'string' },
  'https-port': { type: 'string' },
  'listen-address': { type: 'string' },
  app: { type: 'string' },
  'websocket-host': { type: 'string' },
  'websocket-port': { type: 'string' },
  'forward-port': { type: 'string' },
  omk: { type: 'string' },
  opcommon: { type: 'string' },
  'omk-service': { type: 'string' },
  'redirect-http': { type: 'boolean' },
  'http-port': { type: 'string' },
  path: { type: 'string' },
  upstream: { type: 'string' },
  'read-timeout': { type: 'string' },
  name: { type: 'string' },
  'apache-bin': { type: 'string' },
  apachectl: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const NUMBERS = { 'https-port': 'httpsPort', 'websocket-port': 'websocketPort', 'forward-port': 'forwardPort', 'http-port': 'httpPort', 'read-timeout': 'readTimeoutSeconds' } as const;
const STRINGS = { profile: 'profile', product: 'product', 'jar-date': 'jarDate', 'listen-address': 'listenAddress', app: 'app', 'websocket-host': 'websocketHost', omk: 'omk', 'omk-service': 'omkService', path: 'path', upstream: 'upstream', name: 'name' } as const;
const PATHS = { 'apache-conf': 'apacheConf', 'server-root': 'serverRoot', install: 'install', cert: 'certPath', key: 'keyPath', opcommon: 'opCommon', 'apache-bin': 'apacheBin', apachectl: 'apachectl' } as const;
const FLAGS = { 'container-websocket': 'containerWebSocket', 'redirect-http': 'redirectHttp' } as const;

/** `wss-setup plan apache-proxy ...`: computes and shows the plan (diffs, modules, rows, checks); writes nothing but --out. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  const { values } = parsed;
  if (values.help === true) return printHelp(io, 'plan.apache-proxy', OPTIONS);
  const input: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(STRINGS)) if (typeof values[flag] === 'string') input[field] = values[flag];
  for (const [flag, field] of Object.entries(PATHS)) if (typeof values[flag] === 'string') input[field] = resolve(values[flag] as string);
  for (const [flag, field] of Object.entries(FLAGS)) if (values[flag] === true) input[field] = true;
  for (const [flag, field] of Object.entries(NUMBERS)) {
    const text = values[flag];
    if (typeof text !== 'string') continue;
    const n = parseInteger(text);
    if (n === null) return usageError(io, json, 'INVALID_INPUT', 'cli.notANumber', { name: `--${flag}`, value: text });
    input[field] = n;
  }
  if (Array.isArray(values['server-name'])) input.serverNames = values['server-name'];

  const result = await runOperation('planApacheProxy', input, { lang: io.lang });
  if (!result.ok) return reportError(io, json, result.error, operations.planApacheProxy.inputErrors);

  return finishPlan(values.out, result.value, io, json);
}
