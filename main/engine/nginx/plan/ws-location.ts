import { EngineError } from '../../common/engine-error.js';
import type { Directive } from '../ast.js';
import { appendLines, MARKER, sameValues, setArgs } from '../edit.js';
import { effectiveProxy, locationsOf, passesUpgrade, selectLocation, whereOf } from '../query.js';
import { checkHost, note, text, where, type ProfileContext } from './draft.js';
import { existingServer, upgradeMap, weakTlsNotes } from './existing.js';
import { indent, listenLine, parseStatement, quote, timeoutLines, upgradeLines } from './snippets.js';

/** A WebSocket location the generic and pool profiles want at `path`. */
interface WsLocation {
  readonly path: string;
  /** proxy_pass target, e.g. http://127.0.0.1:9502; null = keep the existing location's own. */
  readonly proxyPass: string | null;
  /** Further statements of the location (e.g. proxy_ssl_* for a TLS backend pool). */
  readonly extra: readonly string[];
}

/**
 * Puts a WebSocket location for `spec.path` into the TLS server that answers the name on
 * httpsPort (in place, each line marked), or into a new server in the owned file when
 * there is none. `ownedPrefix` (upstream blocks) always goes to the owned file.
 */
export function wsLocation(c: ProfileContext, spec: WsLocation, ownedPrefix: readonly string[] = []): void {
  const input = c.input;
  const match = existingServer(c, input.httpsPort, input.serverNames, true);
  c.draft.checks.push({ url: `wss://${checkHost(input.serverNames)}:${input.httpsPort}${spec.path}`, proves: text('plan.check.path', { path: spec.path, port: input.httpsPort }) });
  if (match === null) {
    c.draft.listens.set(input.httpsPort, input.listenAddress ?? null);
    newServer(c, spec, ownedPrefix);
    return;
  }
  // The existing server keeps its own listen line: probe it where it listens.
  c.draft.listens.set(input.httpsPort, match.listen.address);

  const server = match.server.located;
  weakTlsNotes(c, server);
  // The existing server keeps its own listen lines and certificate: say which options that leaves unused.
  const unused = [...(input.certPath !== undefined ? ['--cert', '--key'] : []), ...(input.listenAddress !== undefined ? ['--listen-address'] : [])];
  if (unused.length > 0) c.draft.notes.push(note('OPTIONS_NOT_USED', 'info', { options: unused.join(', '), where: where(whereOf(server)) }, { ...whereOf(server), options: unused }));
  if (ownedPrefix.length > 0) c.draft.owned = [...upgradeMap(c), ...ownedPrefix];
  const connection = c.draft.owned !== null ? '$connection_upgrade' : '"upgrade"';
  const reason = text('plan.reason.location', { path: spec.path, where: where(whereOf(server)) });
  const existing = locationsOf(c.work, server).find((l) => (l.modifier === '' || l.modifier === '^~') && l.pattern === spec.path);
  const outer = effectiveProxy(c.work, [c.http, server]);
  // A location that sets any proxy_set_header drops every inherited one: copy them in.
  const inherited = outer.headersWhere !== null ? outer.headers.filter((h) => !/^(upgrade|connection)$/i.test(h.name)).map((h) => `proxy_set_header ${h.name} ${quote(h.value)};`) : [];

  if (existing === undefined) {
    if (spec.proxyPass === null) throw new EngineError('NGINX_UPSTREAM_REQUIRED', { path: spec.path }, { path: spec.path });
    const lines = [`location ^~ ${spec.path} { ${MARKER}`, `    proxy_pass ${spec.proxyPass};`, ...indent([...upgradeLines(connection), ...inherited, ...spec.extra, ...timeoutLines(c.readTimeout)], 1), '}'];
    appendLines(c.work.files.get(server.file)!, server.directive, server.directive.block!, lines);
    c.draft.touched.set(server.file, reason);
    c.draft.notes.push(note('LOCATION_ADDED', 'info', { path: spec.path, where: where(whereOf(server)) }, { ...whereOf(server) }));
    return;
  }

  // Edit the admin's own location in place, one marked line per change.
  const loc = existing.located;
  const nodes = loc.directive.block!;
  const chain = selectLocation(c.work, server, spec.path)?.chain.map((l) => l.located) ?? [loc];
  const upTo = chain.findIndex((l) => l.directive === loc.directive);
  const effective = effectiveProxy(c.work, [c.http, server, ...(upTo >= 0 ? chain.slice(0, upTo + 1) : [loc])]);
  const wanted: { name: string; args: string[]; key?: string }[] = [];
  if (spec.proxyPass !== null) wanted.push({ name: 'proxy_pass', args: [spec.proxyPass] });
  else if (effective.proxyPass.value === null) throw new EngineError('NGINX_UPSTREAM_REQUIRED', { path: spec.path }, { path: spec.path, ...whereOf(loc) });
  if (effective.httpVersion.value !== '1.1') wanted.push({ name: 'proxy_http_version', args: ['1.1'] });
  const ownHeaders = nodes.some((n) => n.kind === 'directive' && n.name === 'proxy_set_header');
  if (!passesUpgrade(effective)) {
    if (!ownHeaders) for (const line of inherited) wanted.push(parseStatement(line));
    wanted.push({ name: 'proxy_set_header', args: ['Upgrade', '$http_upgrade'], key: 'upgrade' }, { name: 'proxy_set_header', args: ['Connection', connection], key: 'connection' });
  }
  // The read timeout: exactly --read-timeout when given; otherwise the profile's default unless the
  // admin set a usable one (nginx's own 60 s closes an idle WebSocket after a minute).
  const timeout = effective.readTimeout;
  if (input.readTimeoutSeconds !== undefined ? timeout.value !== input.readTimeoutSeconds : timeout.where === null || timeout.value < 60) {
    wanted.push({ name: 'proxy_read_timeout', args: [`${c.readTimeout}s`] });
  } else if (input.readTimeoutSeconds === undefined && timeout.where !== null) {
    c.draft.notes.push(note('READ_TIMEOUT_KEPT', 'info', { seconds: timeout.value, where: where(timeout.where) }, { ...timeout.where, seconds: timeout.value }));
  }
  for (const line of spec.extra) wanted.push(parseStatement(line));
  let changed = false;
  for (const w of wanted) {
    const key = w.key ?? (w.name === 'proxy_set_header' ? w.args[0]!.toLowerCase() : undefined);
    const index = nodes.findIndex((n) => n.kind === 'directive' && n.name === w.name && (key === undefined || n.args[0]?.value.toLowerCase() === key));
    if (index >= 0) {
      if (sameValues(nodes[index] as Directive, w.args)) continue;
      setArgs(nodes, index, w.args);
    } else appendLines(c.work.files.get(loc.file)!, loc.directive, nodes, [`${w.name} ${w.args.join(' ')}; ${MARKER}`]);
    changed = true;
  }
  if (changed) {
    c.draft.touched.set(loc.file, reason);
    c.draft.notes.push(note('LOCATION_EDITED', 'info', { path: spec.path, where: where(whereOf(loc)) }, { ...whereOf(loc) }));
  }
}

/** No TLS server answers the name on the port: a new one in the owned file. */
function newServer(c: ProfileContext, spec: WsLocation, ownedPrefix: readonly string[]): void {
  const input = c.input;
  if (spec.proxyPass === null) throw new EngineError('NGINX_UPSTREAM_REQUIRED', { path: spec.path }, { path: spec.path });
  c.draft.owned = [
    ...upgradeMap(c),
    ...ownedPrefix,
    `# WebSocket over TLS at ${spec.path}`,
    'server {',
    ...indent([listenLine(input.listenAddress, input.httpsPort, true), `server_name ${input.serverNames.join(' ')};`, ...c.tls()], 1),
    '',
    `    location ^~ ${spec.path} {`,
    ...indent(
      [
        `proxy_pass ${spec.proxyPass};`,
        ...upgradeLines('$connection_upgrade'),
        'proxy_set_header Host $host;',
        'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        'proxy_set_header X-Forwarded-Proto $scheme;',
        ...spec.extra,
        ...timeoutLines(c.readTimeout),
      ],
      2,
    ),
    '    }',
    '}',
  ];
}
