import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

/**
 * A WebSocket server written against the socket itself (RFC 6455, ~100 lines), so that a test
 * decides exactly which bytes go into which write(): the 101 and the first frame in one write
 * (as a Java server under load often does), in two writes, or the frame after a delay.
 * Real servers (ws, socket.io) always write the 101 alone, which hid the bug in issue 14.
 */
export type FirstFrameTiming = 'same-write' | 'separate-writes' | 'delayed';

export type RawBehaviour =
  /** engine.io/socket.io: sends the open packet, answers CONNECT ("40") and pings ("2"). */
  | { readonly kind: 'socket.io'; readonly eio: 3 | 4; readonly timing: FirstFrameTiming }
  /** Plain WebSocket: sends `greeting` first (when given), then echoes every text frame. */
  | { readonly kind: 'echo'; readonly greeting?: string; readonly timing: FirstFrameTiming; readonly echoAs?: 'text' | 'binary' }
  /** Plain WebSocket that never answers a message (answers pings as RFC 6455 requires). */
  | { readonly kind: 'silent'; readonly answerPings?: boolean }
  /** Sends a close frame right after the 101, in the same write. */
  | { readonly kind: 'close-at-once'; readonly code: number; readonly reason: string };

export interface RawWsServer {
  readonly port: number;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65536 ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff]) : (() => {
    const h = Buffer.alloc(10);
    h[0] = 0x80 | opcode;
    h[1] = 127;
    h.writeBigUInt64BE(BigInt(length), 2);
    return h;
  })();
  return Buffer.concat([header, payload]);
}

const text = (s: string) => frame(0x1, Buffer.from(s, 'utf8'));

/** Parses masked client frames from `buffer`; returns the frames and the unconsumed rest. */
function parseFrames(buffer: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const opcode = buffer[offset]! & 0x0f;
    const masked = (buffer[offset + 1]! & 0x80) !== 0;
    let length = buffer[offset + 1]! & 0x7f;
    let at = offset + 2;
    if (length === 126) {
      if (buffer.length - at < 2) break;
      length = buffer.readUInt16BE(at);
      at += 2;
    } else if (length === 127) {
      if (buffer.length - at < 8) break;
      length = Number(buffer.readBigUInt64BE(at));
      at += 8;
    }
    const maskLength = masked ? 4 : 0;
    if (buffer.length - at < maskLength + length) break;
    const mask = masked ? buffer.subarray(at, at + 4) : null;
    const payload = Buffer.from(buffer.subarray(at + maskLength, at + maskLength + length));
    if (mask !== null) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    frames.push({ opcode, payload });
    offset = at + maskLength + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

function accept(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** `tls`: the server speaks TLS itself (wss:// direct), so the 101 and a frame written together travel in one TLS record. */
export async function startRawWsServer(port: number, behaviour: RawBehaviour, options: { readonly tls?: { readonly cert: string; readonly key: string } } = {}): Promise<RawWsServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head: Buffer = Buffer.alloc(0);
    let upgraded = false;
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (!upgraded) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const request = head.subarray(0, end).toString('latin1');
        pending = head.subarray(end + 4);
        upgraded = true;
        const key = /^sec-websocket-key:\s*(\S+)/im.exec(request)?.[1];
        if (key === undefined) {
          socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
          return;
        }
        const response = Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(key)}\r\n\r\n`, 'latin1');
        greet(socket, response);
      } else pending = Buffer.concat([pending, chunk]);
      const { frames, rest } = parseFrames(pending);
      pending = rest;
      for (const f of frames) onFrame(socket, f.opcode, f.payload);
    });
  };
  const server: Server = options.tls !== undefined ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onConnection) : createServer(onConnection);

  const firstFrame = (): Buffer | null => {
    switch (behaviour.kind) {
      case 'socket.io': {
        const sid = randomBytes(8).toString('hex');
        return text(`0{"sid":"${sid}","upgrades":[],"pingInterval":25000,"pingTimeout":${behaviour.eio === 3 ? 60000 : 20000}${behaviour.eio === 4 ? ',"maxPayload":1000000' : ''}}`);
      }
      case 'echo':
        return behaviour.greeting === undefined ? null : text(behaviour.greeting);
      case 'silent':
        return null;
      case 'close-at-once': {
        const reason = Buffer.from(behaviour.reason, 'utf8');
        const payload = Buffer.alloc(2 + reason.length);
        payload.writeUInt16BE(behaviour.code, 0);
        reason.copy(payload, 2);
        return frame(0x8, payload);
      }
    }
  };

  const greet = (socket: Socket, response: Buffer) => {
    const first = firstFrame();
    const timing = 'timing' in behaviour ? behaviour.timing : 'same-write';
    if (first === null) socket.write(response);
    else if (timing === 'same-write') socket.write(Buffer.concat([response, first]));
    else if (timing === 'separate-writes') {
      socket.write(response);
      socket.write(first);
    } else {
      socket.write(response);
      later(150, () => socket.writable && socket.write(first));
    }
  };

  const onFrame = (socket: Socket, opcode: number, payload: Buffer) => {
    if (opcode === 0x8) {
      socket.end(frame(0x8, payload.subarray(0, 2)));
      return;
    }
    if (opcode === 0x9) {
      if (behaviour.kind !== 'silent' || behaviour.answerPings !== false) socket.write(frame(0xa, payload));
      return;
    }
    if (opcode !== 0x1 && opcode !== 0x2) return;
    const message = payload.toString('utf8');
    switch (behaviour.kind) {
      case 'socket.io':
        if (behaviour.eio === 4 && message === '40') socket.write(text(`40{"sid":"${randomBytes(8).toString('hex')}"}`));
        else if (behaviour.eio === 3 && message === '2') socket.write(text('3'));
        return;
      case 'echo':
        socket.write(behaviour.echoAs === 'binary' ? frame(0x2, payload) : frame(opcode, payload));
        return;
      default:
        return;
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
