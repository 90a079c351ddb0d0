import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckInput, EndpointReport } from '../../shared/contract/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { makeCa, makeLeaf } from '../harness/certs.js';
import { startNginx, type NginxInstance } from '../harness/nginx.js';
import { freePorts } from '../harness/ports.js';
import { startRawWsServer, type FirstFrameTiming, type RawBehaviour, type RawWsServer } from '../harness/raw-ws.js';
import { tempDir } from '../harness/temp.js';

/**
 * Issue 14: a server that writes the engine.io open packet (or a greeting) in the same write()
 * as its 101 was reported SOCKETIO_NO_OPEN, because the probe started listening for messages only
 * after it had awaited the WebSocket's open. Each server here decides which bytes go into which
 * write; every one of them is healthy, directly (ws://) and through real nginx with TLS (wss://).
 */
const dir = tempDir('wss-setup-health-first-');
const timings: readonly FirstFrameTiming[] = ['same-write', 'separate-writes', 'delayed'];
const socketIoCases = [3, 4].flatMap((eio) => timings.map((timing) => ({ name: `eio${eio}-${timing}`, behaviour: { kind: 'socket.io', eio, timing } as RawBehaviour, eio })));
const echoCases = timings.map((timing) => ({ name: `greet-${timing}`, behaviour: { kind: 'echo', greeting: 'welcome', timing } as RawBehaviour }));
const servers = new Map<string, RawWsServer>();
const tlsServers = new Map<string, RawWsServer>();
let nginx: NginxInstance;
let tlsPort: number;
let caFile: string;

async function one(url: string, extra: Partial<CheckInput> = {}): Promise<EndpointReport> {
  const result = await runOperation('check', { timeoutMs: 8000, ...extra, urls: [url] }, { lang: 'en' });
  if (!result.ok) throw new Error(`check failed: ${JSON.stringify(result.error)}`);
  return result.value.endpoints[0]!;
}

const errors = (e: EndpointReport) => e.findings.filter((f) => f.severity === 'error').map((f) => f.code);

beforeAll(async () => {
  const all = [...socketIoCases, ...echoCases, { name: 'close-at-once', behaviour: { kind: 'close-at-once', code: 1008, reason: 'policy' } as RawBehaviour }];
  const ports = await freePorts(2 * all.length + 1);
  tlsPort = ports.pop()!;
  const ca = makeCa();
  const leaf = makeLeaf(ca, { names: ['localhost', '127.0.0.1'] });
  for (const [i, c] of all.entries()) {
    servers.set(c.name, await startRawWsServer(ports[2 * i]!, c.behaviour));
    tlsServers.set(c.name, await startRawWsServer(ports[2 * i + 1]!, c.behaviour, { tls: leaf }));
  }
  caFile = join(dir.path, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  const locations = all
    .map((c) => `location /${c.name}/ { proxy_pass http://127.0.0.1:${servers.get(c.name)!.port}; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; }`)
    .join('\n    ');
  nginx = await startNginx({
    ports: [tlsPort],
    files: { 'cert.pem': leaf.cert, 'key.pem': leaf.key },
    httpBlock: `server { listen 127.0.0.1:${tlsPort} ssl; server_name localhost; ssl_certificate cert.pem; ssl_certificate_key key.pem; ssl_protocols TLSv1.2 TLSv1.3;
    ${locations}
  }`,
  });
});

afterAll(async () => {
  await Promise.allSettled([nginx?.stop(), ...[...servers.values(), ...tlsServers.values()].map((s) => s.close())]);
  dir.cleanup();
});

describe('messages that arrive with or right after the 101 are not lost', () => {
  for (const c of socketIoCases) {
    it(`socket.io EIO=${c.eio}, open packet ${c.behaviour.kind === 'socket.io' ? c.behaviour.timing : ''}, ws:// direct: healthy`, async () => {
      const port = servers.get(c.name)!.port;
      const e = await one(`ws://127.0.0.1:${port}/socket.io/?EIO=${c.eio}&transport=websocket`);
      expect(errors(e)).toEqual([]);
      expect(e.ok).toBe(true);
      expect(e.kind).toBe('socket.io');
      expect(e.echo).toBe('ok');
    });

    it(`socket.io EIO=${c.eio}, open packet ${c.behaviour.kind === 'socket.io' ? c.behaviour.timing : ''}, wss:// direct (one TLS record): healthy`, async () => {
      const port = tlsServers.get(c.name)!.port;
      const e = await one(`wss://localhost:${port}/socket.io/?EIO=${c.eio}&transport=websocket`, { caFile });
      expect(errors(e)).toEqual([]);
      expect(e.ok).toBe(true);
      expect(e.echo).toBe('ok');
    });

    it(`socket.io EIO=${c.eio}, open packet ${c.behaviour.kind === 'socket.io' ? c.behaviour.timing : ''}, wss:// through nginx: healthy`, async () => {
      const e = await one(`wss://localhost:${tlsPort}/${c.name}/socket.io/?EIO=${c.eio}&transport=websocket`, { caFile });
      expect(errors(e)).toEqual([]);
      expect(e.ok).toBe(true);
      expect(e.echo).toBe('ok');
    });
  }

  for (const c of echoCases) {
    it(`plain WebSocket greeting (${c.name}) then echo, ws:// direct: healthy, echo ok, greeting kept as evidence`, async () => {
      const port = servers.get(c.name)!.port;
      const e = await one(`ws://127.0.0.1:${port}/chat`);
      expect(errors(e)).toEqual([]);
      expect(e.ok).toBe(true);
      expect(e.kind).toBe('websocket');
      expect(e.echo).toBe('ok');
      // A delayed greeting comes after the echo, when the probe has finished.
      if (c.name !== 'greet-delayed') expect(e.received).toEqual(['welcome']);
    });

    it(`plain WebSocket greeting (${c.name}) then echo, wss:// direct: healthy, echo ok`, async () => {
      const port = tlsServers.get(c.name)!.port;
      const e = await one(`wss://localhost:${port}/chat`, { caFile });
      expect(errors(e)).toEqual([]);
      expect(e.echo).toBe('ok');
      if (c.name !== 'greet-delayed') expect(e.received).toEqual(['welcome']);
    });

    it(`plain WebSocket greeting (${c.name}) then echo, wss:// through nginx: healthy, echo ok`, async () => {
      const e = await one(`wss://localhost:${tlsPort}/${c.name}/chat`, { caFile });
      expect(errors(e)).toEqual([]);
      expect(e.echo).toBe('ok');
      if (c.name !== 'greet-delayed') expect(e.received).toEqual(['welcome']);
    });
  }

  it('a close frame sent with the 101 is seen at once, not waited for', async () => {
    const port = servers.get('close-at-once')!.port;
    const e = await one(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    expect(errors(e)).toEqual(['SOCKETIO_NO_OPEN']);
    const finding = e.findings.find((f) => f.code === 'SOCKETIO_NO_OPEN')!;
    expect(finding.evidence.closeCode).toBe(1008);
    expect(finding.evidence.closeReason).toBe('policy');
    // Without the close being seen, the probe waited its whole open window (3 s).
    expect(e.timings.total).toBeLessThan(2500);
  });
});
