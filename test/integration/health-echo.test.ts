import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { EndpointReport } from '../../shared/contract/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { freePorts } from '../harness/ports.js';
import { startRawWsServer, type RawWsServer } from '../harness/raw-ws.js';

/**
 * Issue 9, item 17: a binary echo of the same bytes is an echo, and a healthy endpoint that never
 * echoes costs a short wait bounded by the server's answer to a ping, not the whole echo window.
 */
const closers: (() => Promise<void>)[] = [];
let ports: { binary: number; silent: number; deaf: number };

async function wsServer(port: number, onMessage: ((ws: import('ws').WebSocket, data: Buffer) => void) | null): Promise<void> {
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    if (onMessage !== null) ws.on('message', (data) => onMessage(ws, data as Buffer));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => {
    wss.close();
    server.closeAllConnections();
    server.close(() => resolve());
  }));
}

async function one(url: string): Promise<EndpointReport> {
  const result = await runOperation('check', { urls: [url], timeoutMs: 8000 }, { lang: 'en' });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value.endpoints[0]!;
}

beforeAll(async () => {
  const [binary, silent, deaf] = await freePorts(3);
  ports = { binary: binary!, silent: silent!, deaf: deaf! };
  // Node's ws, as many servers are written: the received Buffer sent back goes out as a binary frame.
  await wsServer(ports.binary, (ws, data) => ws.send(data));
  // A push-only service: never answers a message (ws answers pings by itself, as RFC 6455 asks).
  await wsServer(ports.silent, null);
  // A server that answers neither messages nor pings.
  const deafServer: RawWsServer = await startRawWsServer(ports.deaf, { kind: 'silent', answerPings: false });
  closers.push(() => deafServer.close());
});

afterAll(async () => {
  await Promise.allSettled(closers.map((close) => close()));
});

describe('echo', () => {
  it('a binary echo of the same bytes counts as an echo', async () => {
    const e = await one(`ws://127.0.0.1:${ports.binary}/`);
    expect(e.ok).toBe(true);
    expect(e.echo).toBe('ok');
    expect(e.findings).toEqual([]);
    expect(e.timings.echo).toBeGreaterThanOrEqual(0);
  });

  it('a healthy endpoint that never echoes: ok, NO_ECHO as information, the wait ended by the pong instead of the 1.5 s window', async () => {
    const e = await one(`ws://127.0.0.1:${ports.silent}/`);
    expect(e.ok).toBe(true);
    expect(e.echo).toBe('no-echo');
    expect(e.findings.map((f) => `${f.severity}:${f.code}`)).toEqual(['info:NO_ECHO']);
    const evidence = e.findings[0]!.evidence as { pongMs: number | null; waitedMs: number };
    expect(evidence.pongMs).not.toBeNull();
    expect(evidence.waitedMs).toBeLessThan(1500);
    expect(e.findings[0]!.message).toContain(`within ${Math.round(evidence.waitedMs)} ms`);
  });

  it('a server that answers no ping either: still only the bounded echo window, then NO_ECHO', async () => {
    const e = await one(`ws://127.0.0.1:${ports.deaf}/`);
    expect(e.ok).toBe(true);
    expect(e.echo).toBe('no-echo');
    const evidence = e.findings[0]!.evidence as { pongMs: number | null; waitedMs: number };
    expect(evidence.pongMs).toBeNull();
    expect(evidence.waitedMs).toBeGreaterThanOrEqual(1400);
  });
});
