import type { Received } from './inbox.js';
import { messageText } from './inbox.js';

/** engine.io open packet: "0" followed by a JSON handshake holding a sid. */
export function isEngineIoOpen(message: string): boolean {
  if (!message.startsWith('0')) return false;
  try {
    const handshake = JSON.parse(message.slice(1)) as { sid?: unknown };
    return typeof handshake.sid === 'string';
  } catch {
    return false;
  }
}

/** The engine.io protocol revision a socket.io URL asks for (`EIO=3` or 4, the default). */
export function engineIoVersion(url: URL): '3' | '4' {
  return url.searchParams.get('EIO') === '3' ? '3' : '4';
}

/**
 * The round trip that proves a socket.io endpoint answers after its open packet: a socket.io
 * CONNECT to the main namespace ("40", answered "40{…}" or refused "44{…}") for engine.io 4, an
 * engine.io ping ("2", answered "3") for engine.io 3, where the server connects by itself.
 */
export function socketIoRoundTrip(eio: '3' | '4'): { readonly request: string; readonly isAnswer: (message: Received) => boolean } {
  if (eio === '3') return { request: '2', isAnswer: (m) => !m.binary && messageText(m) === '3' };
  return {
    request: '40',
    isAnswer: (m) => {
      if (m.binary) return false;
      const text = messageText(m);
      return text.startsWith('40') || text.startsWith('44');
    },
  };
}

/** socket.io's CONNECT_ERROR: the server refused the namespace connection. */
export const isSocketIoRefusal = (message: string): boolean => message.startsWith('44');
