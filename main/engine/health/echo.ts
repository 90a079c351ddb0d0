import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import type { Inbox, Received } from './inbox.js';

/** A text no server sends by itself, so its return can only be an echo. */
function echoToken(): string {
  return `wss-setup probe ${randomBytes(6).toString('hex')}`;
}

/**
 * Does this message echo the token? The same bytes count in a text or a binary frame: many
 * servers send back the received buffer as binary (Node's `ws` does when a handler sends the
 * Buffer it got), and that is an echo all the same.
 */
export function isEchoOf(token: string): (message: Received) => boolean {
  const bytes = Buffer.from(token, 'utf8');
  return (message) => message.data.equals(bytes);
}

/** At least this long (a worker thread's hand-off on a busy server), one more ping round trip at most, never above the max. */
const ECHO_GRACE_MIN_MS = 20;
const ECHO_GRACE_MAX_MS = 500;

/**
 * How long to keep waiting for an echo once the server has answered our ping, given the ping's
 * round trip: a server handles frames in order, so an echo of the message sent before the ping
 * usually arrives before the pong; a server that hands messages to a worker may be a little
 * later. Long enough for that, short enough that a healthy endpoint that never echoes costs only
 * a few round trips (issue 9, item 17).
 */
export function echoGraceMs(pingRoundTripMs: number): number {
  return Math.min(ECHO_GRACE_MAX_MS, Math.max(ECHO_GRACE_MIN_MS, pingRoundTripMs));
}

/**
 * Sends a token, then a ping, and waits for the token to come back: until `windowMs` passes, or
 * until a grace after the pong (every server answers a ping, RFC 6455), whichever comes first.
 */
export async function echoRoundTrip(ws: WebSocket, inbox: Inbox, windowMs: number): Promise<{ readonly echoed: boolean; readonly waitedMs: number; readonly pongMs: number | null }> {
  const token = echoToken();
  const sent = performance.now();
  let pongMs: number | null = null;
  const settled = new Promise<void>((resolve) => {
    ws.once('pong', () => {
      pongMs = Math.round((performance.now() - sent) * 100) / 100;
      setTimeout(resolve, echoGraceMs(pongMs)).unref();
    });
  });
  ws.send(token);
  ws.ping();
  const answer = await inbox.next(windowMs, isEchoOf(token), settled);
  return { echoed: answer !== null, waitedMs: Math.round((performance.now() - sent) * 100) / 100, pongMs };
}
