import { resolve } from 'node:path';
import { operations } from '../../../../shared/contract/index.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs, parseInteger } from '../args.js';
import { HELP_TOPICS, printHelp, type HelpTables } from '../help.js';
import { reportError, usageError, type CliIO } from '../io.js';
import { finishPlan } from '../save-plan.js';
import { OPTIONS as APACHE_OPTIONS } from './plan-apache.js';
import { OPTIONS as SHOW_OPTIONS } from './plan-show.js';
import { OPTIONS as TOMCAT_OPTIONS } from './plan-tomcat.js';

const OPTIONS = {
  'nginx-conf': { type: 'string' },
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
  'redirect-http': { type: 'boolean' },
  'http-port': { type: 'string' },
  cors: { type: 'boolean' },
  path: { type: 'string' },
  upstream: { type: 'string' },
  backend: { type: 'string', multiple: true },
  balance: { type: 'string' },
  'max-fails': { type: 'string' },
  'fail-timeout': { type: 'string' },
  'backend-tls': { type: 'boolean' },
  'backend-ca': { type: 'string' },
  'backend-server-name': { type: 'string' },
  'read-timeout': { type: 'string' },
  name: { type: 'string' },
  'nginx-bin': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** `plan` alone takes only --help; each target has its own table. */
const PLAN_OPTIONS = { help: OPTIONS.help } as const;

/** The option table each `plan` help id parses with; the help is generated from it. */
export const HELP: HelpTables = { plan: PLAN_OPTIONS, 'plan.nginx-proxy': OPTIONS, 'plan.tomcat-ssl': TOMCAT_OPTIONS, 'plan.apache-proxy': APACHE_OPTIONS, 'plan.show': SHOW_OPTIONS };

const NUMBERS = { 'https-port': 'httpsPort', 'websocket-port': 'websocketPort', 'forward-port': 'forwardPort', 'http-port': 'httpPort', 'max-fails': 'maxFails', 'fail-timeout': 'failTimeoutSeconds', 'read-timeout': 'readTimeoutSeconds' } as const;
const STRINGS = { profile: 'profile', product: 'product', 'jar-date': 'jarDate', 'listen-address': 'listenAddress', app: 'app', 'websocket-host': 'websocketHost', path: 'path', upstream: 'upstream', balance: 'balance', 'backend-server-name': 'backendServerName', name: 'name' } as const;
const PATHS = { 'nginx-conf': 'nginxConf', install: 'install', cert: 'certPath', key: 'keyPath', 'backend-ca': 'backendCa', 'nginx-bin': 'nginxBin' } as const;
const FLAGS = { 'container-websocket': 'containerWebSocket', 'redirect-http': 'redirectHttp', cors: 'cors', 'backend-tls': 'backendTls' } as const;

/** `wss-setup plan nginx-proxy ...`: computes and shows the plan (diffs, rows, checks); writes nothing but --out. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === 'show') return (await import('./plan-show.js')).run(argv.slice(1), io);
  if (argv[0] === 'tomcat-ssl') return (await import('./plan-tomcat.js')).run(argv.slice(1), io);
  if (argv[0] === 'apache-proxy') return (await import('./plan-apache.js')).run(argv.slice(1), io);
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  const { values, positionals } = parsed;
  const target = positionals[0];
  if (values.help === true) return target === 'nginx-proxy' ? printHelp(io, 'plan.nginx-proxy', OPTIONS) : printHelp(io, 'plan', PLAN_OPTIONS, HELP_TOPICS.plan);
  if (target !== 'nginx-proxy') return usageError(io, json, 'INVALID_INPUT', 'cli.plan.unknownTarget', { name: target ?? '' });

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
  if (Array.isArray(values.backend)) input.backends = values.backend;

  const result = await runOperation('planNginxProxy', input, { lang: io.lang });
  if (!result.ok) return reportError(io, json, result.error, operations.planNginxProxy.inputErrors);

  return finishPlan(values.out, result.value, io, json);
}
