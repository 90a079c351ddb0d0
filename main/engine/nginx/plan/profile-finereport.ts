import type { NginxPlanRequest } from '../../../../shared/contract/nginx.js';
import { EngineError } from '../../common/engine-error.js';
import { DEFAULT_PORTS, inspectInstall, methodTwoRows, usesLegacyRequestPort, type FineProduct } from '../../fine/index.js';
import { whereOf } from '../query.js';
import { checkHost, note, text, where, type ProfileContext } from './draft.js';
import { clashes, existingServer, upgradeMap } from './existing.js';
import { appAddress, tomcatBaseOf } from './fine-app.js';
import { productService } from './fine-service.js';
import { redirectTo } from './redirect.js';
import { CORS_LINES, forwardedLines, hostHeader, indent, listenLine, PRODUCT_NAMES, timeoutLines, upgradeLines } from './snippets.js';

type FineRequest = Extract<NginxPlanRequest, { profile: 'finereport' }>;

/**
 * FineReport / FineBI / FineDataLink behind nginx (seed 000, method two): a TLS server for the
 * pages (with the upgrade headers the container WebSocket of 11.0.2+ needs), a TLS server on the
 * forwarding port in front of the product's WebSocket service (before 11.0.2), an optional
 * HTTP -> HTTPS redirect, and the WebSocketConfig rows that tell the product about the port.
 */
export async function planFineReport(input: FineRequest, c: ProfileContext): Promise<void> {
  const install = input.install !== undefined ? await inspectInstall(input.install) : undefined;
  const product: FineProduct = input.product ?? install?.product ?? 'finereport';
  const jarDate = input.jarDate ?? install?.jarDate;
  const container = input.containerWebSocket ?? install?.containerWebSocket ?? false;
  const wsPort = input.websocketPort ?? DEFAULT_PORTS[product].websocket;
  const forward = input.forwardPort ?? DEFAULT_PORTS[product].forward;
  const names = input.serverNames.join(' ');
  const host = checkHost(input.serverNames);
  const productName = PRODUCT_NAMES[product];
  const app = await appAddress(input.app, install, c.fs, c.lang);
  if (app.note !== null) c.draft.notes.push(app.note);

  const conflict = (port: number) => {
    const match = existingServer(c, port, input.serverNames);
    if (clashes(match, input.serverNames)) {
      const w = whereOf(match.server.located);
      throw new EngineError('NGINX_SERVER_CONFLICT', { port, where: where(w) }, { port, ...w });
    }
  };
  conflict(input.httpsPort);
  if (!container) conflict(forward);

  const proxied = [...upgradeLines('$connection_upgrade'), ...forwardedLines(hostHeader(input.httpsPort))];
  const body: string[] = [...upgradeMap(c)];
  body.push(
    `# ${productName} over HTTPS: the pages, and the container WebSocket of 11.0.2+ (upgrade headers)`,
    'server {',
    ...indent([listenLine(input.listenAddress, input.httpsPort, true), `server_name ${names};`, ...c.tls(), ...(input.cors ? CORS_LINES : [])], 1),
    '',
    '    location / {',
    ...indent([`proxy_pass http://${app.app};`, ...proxied, 'proxy_buffering off;', 'proxy_connect_timeout 20s;', ...timeoutLines(c.readTimeout, 300)], 2),
    '    }',
    '}',
  );
  if (!container) {
    body.push(
      '',
      `# ${productName} WebSocket over TLS: port ${forward} -> the WebSocket service on ${wsPort}`,
      'server {',
      ...indent([listenLine(input.listenAddress, forward, true), `server_name ${names};`, ...c.tls()], 1),
      '',
      '    location / {',
      ...indent([`proxy_pass http://${input.websocketHost}:${wsPort};`, ...proxied, 'proxy_buffering off;', 'proxy_request_buffering off;', 'proxy_connect_timeout 20s;', ...timeoutLines(c.readTimeout)], 2),
      '    }',
      '}',
    );
  }
  if (input.redirectHttp) {
    const match = existingServer(c, input.httpPort, input.serverNames, false);
    if (clashes(match, input.serverNames)) {
      const w = whereOf(match.server.located);
      c.draft.notes.push(note('REDIRECT_SKIPPED', 'warning', { port: input.httpPort, where: where(w) }, { ...w, port: input.httpPort }));
    } else {
      const redirect = redirectTo(c, input.serverNames, input.httpsPort, input.name ?? input.profile);
      body.push(
        '',
        ...redirect.prefix,
        '# HTTP -> HTTPS: path, query and port kept; the host is a name the certificate covers',
        'server {',
        ...indent([listenLine(input.listenAddress, input.httpPort, false), `server_name ${names};`, `return 301 ${redirect.target};`], 1),
        '}',
      );
      c.draft.notes.push(redirect.note);
    }
  }
  c.draft.owned = body;

  const address = input.listenAddress ?? null;
  c.draft.listens.set(input.httpsPort, address);
  if (!container) c.draft.listens.set(forward, address);
  if (input.redirectHttp && c.draft.owned.some((l) => l.startsWith('# HTTP -> HTTPS'))) c.draft.listens.set(input.httpPort, address);

  // Checks after apply are only those that must pass: the product's WebSocket service behind the
  // forwarding port. The page's root is no WebSocket endpoint (a check there fails with
  // UPGRADE_NOT_FORWARDED), and the container WebSocket's path belongs to the product.
  if (container) {
    c.draft.notes.push(note('FINE_CONTAINER_WEBSOCKET', 'info', { product: productName, port: input.httpsPort }, { version: install?.version ?? null }));
    return;
  }
  const legacy = usesLegacyRequestPort(jarDate);
  const rows = methodTwoRows({ websocketPorts: [wsPort], requestPorts: [forward], legacyRequestPort: legacy });
  if (legacy) c.draft.notes.push(note('FINE_LEGACY_REQUEST_PORT', 'info', { jarDate: jarDate ?? '' }, { jarDate }));
  if (install !== undefined) {
    // The value each row has now is read when the plan is applied (reading FineDB needs the product stopped).
    for (const row of rows) c.draft.rows.push({ install: install.dir, product, id: row.id, after: row.value, phase: 'after-certificates', reason: text('plan.reason.fineRow', { id: row.id, product: productName }) });
    const running = await productService(c.fs, tomcatBaseOf(install), { host: appHost(app.app), port: appPort(app.app) }, wsPort);
    if (running !== null && 'secretArgs' in running) {
      c.draft.notes.push(note('FINE_PROCESS_ARGS_SECRET', 'warning', { product: productName, pid: running.pid }, { pid: running.pid }));
    } else if (running !== null) {
      const ports = [...running.ports];
      c.draft.services.push({ id: product, service: running.service, action: 'stop-start', ready: ports, mustBeFree: ports, reason: text('plan.reason.productRestart', { product: productName }) });
      if (running.service.kind === 'process') c.draft.notes.push(note('FINE_RUNS_AS_PROCESS', 'info', { product: productName, pid: running.service.pid, port: appPort(app.app) }, { pid: running.service.pid }));
    } else c.draft.notes.push(note('FINE_RESTART_BY_HAND', 'warning', { product: productName, dir: install.dir }, { dir: install.dir, webInf: install.webInf }));
  } else {
    const list = rows.map((r) => `${r.id}=${r.value}`).join(', ');
    c.draft.notes.push(note('FINE_ROWS_BY_HAND', 'warning', { product: productName, rows: list, ws: wsPort, forward }, { rows, product }));
  }
  c.draft.checks.push({ url: `wss://${host}:${forward}/socket.io/?EIO=4&transport=websocket`, proves: text('plan.check.forward', { forward, port: wsPort }) });
  if (c.issuesCertificate) c.draft.notes.push(note('SECOND_PORT_TRUST', 'info', { forward }, { forward }));
}

/** The port of a host:port address ([v6]:port included). */
const appPort = (address: string): number => Number(address.slice(address.lastIndexOf(':') + 1));
/** The host of a host:port address. */
const appHost = (address: string): string => address.slice(0, address.lastIndexOf(':'));
