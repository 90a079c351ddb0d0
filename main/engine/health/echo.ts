import { randomBytes } from 'node:crypto';
import type { Received } from './inbox.js';

/** A text no server sends by itself, so its return can only be an echo. */
export function echoToken(): string {
  return `wss-setup probe ${randomBytes(6).toString('hex')}`;
}

/** Does this message echo the token? */
export function isEchoOf(token: string): (message: Received) => boolean {
  return (message) => !message.binary && message.data.toString('utf8') === token;
}
