import { randomBytes } from 'node:crypto';
import type { Received } from './inbox.js';

/** A text no server sends by itself, so its return can only be an echo. */
export function echoToken(): string {
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

/** At least this long (a worker thread's hand-off on a busy server), one more ping round trip at most, never above the max. */
export const ECHO_GRACE_MIN_MS = 20;
export const ECHO_GRACE_MAX_MS = 500;
