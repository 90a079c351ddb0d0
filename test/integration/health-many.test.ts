import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { CHECK_CONCURRENCY } from '../../main/engine/health/check.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { freePort } from '../harness/ports.js';

/**
 * Issue 9, item 25: a few hundred URLs in one check, run with bounded concurrency. The server
 * holds every upgrade until CHECK_CONCURRENCY of them wait at once (or 300 ms pass without a new
 * one), so the most it ever saw waiting together is how many probes ran in parallel.
 */
let server: Server;
let port: number;
let maxWaiting = 0;
let upgrades = 0;

beforeAll(async () => {
  port = await freePort();
  server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  let waiting: { req: IncomingMessage; socket: Duplex; head: Buffer }[] = [];
  let idle: NodeJS.Timeout | undefined;
  const release = () => {
    clearTimeout(idle);
    const now = waiting;
    waiting = [];
    for (const w of now) wss.handleUpgrade(w.req, w.socket, w.head, (ws) => wss.emit('connection', ws, w.req));
  };
  server.on('upgrade', (req, socket, head) => {
    upgrades += 1;
    waiting.push({ req, socket, head });
    maxWaiting = Math.max(maxWaiting, waiting.length);
    clearTimeout(idle);
    if (waiting.length >= CHECK_CONCURRENCY) release();
    else idle = setTimeout(release, 300);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('many endpoints in one check', () => {
  it('300 URLs are accepted and all checked, at most CHECK_CONCURRENCY (100) at once and that many in parallel', async () => {
    const urls = Array.from({ length: 300 }, (_, i) => `ws://127.0.0.1:${port}/node/${i}`);
    const result = await runOperation('check', { urls, timeoutMs: 20_000 }, { lang: 'en' });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.endpoints).toHaveLength(300);
    expect(result.value.endpoints.map((e) => e.url)).toEqual(urls);
    expect(result.value.endpoints.every((e) => e.ok && e.echo === 'ok')).toBe(true);
    expect(result.value.ok).toBe(true);
    expect(upgrades).toBe(300);
    expect(CHECK_CONCURRENCY).toBe(100);
    expect(maxWaiting).toBe(CHECK_CONCURRENCY);
  });

  it('more than 500 URLs are refused with a clear message', async () => {
    const urls = Array.from({ length: 501 }, (_, i) => `ws://127.0.0.1:${port}/node/${i}`);
    const result = await runOperation('check', { urls }, { lang: 'en' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    expect(result.error.message).toContain('At most 500 URLs');
  });
});
