import type WebSocket from 'ws';

/** One WebSocket message as received: its bytes and whether it came in a binary frame. */
export interface Received {
  readonly data: Buffer;
  readonly binary: boolean;
}

/** How the connection ended, when it did. */
export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/**
 * Every message and the close of one WebSocket, recorded from the moment the socket object
 * exists. A server may write its first frame (an engine.io open packet, a greeting, a close) in
 * the same write() as its 101; `ws` then emits it in the tick after 'open', before any code
 * that awaited the open can attach a listener (issue 14). Attach the inbox right after
 * `new WebSocket(...)` and ask it for messages later: nothing is lost in between.
 */
export class Inbox {
  private readonly queue: Received[] = [];
  private readonly waiters = new Set<() => void>();
  private closedWith: Closed | null = null;
  /** Messages taken out of the queue that no wait accepted (greetings, pushes), oldest first. */
  readonly skipped: Received[] = [];

  constructor(ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      this.queue.push({ data: toBuffer(data), binary: isBinary });
      this.wake();
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closedWith = { code, reason: reason.toString('utf8') };
      this.wake();
    });
  }

  get closed(): Closed | null {
    return this.closedWith;
  }

  /**
   * The first message (already received or still to come) that `accept` takes, or null when
   * the connection closes or `ms` pass first. Messages looked at and not accepted are kept in
   * `skipped`; a call without `accept` takes the next message whatever it is. The wait also ends
   * (with null) when `until` settles.
   */
  next(ms: number, accept: (message: Received) => boolean = () => true, until?: Promise<unknown>): Promise<Received | null> {
    const take = (): Received | null | undefined => {
      while (this.queue.length > 0) {
        const message = this.queue.shift()!;
        if (accept(message)) return message;
        this.skipped.push(message);
      }
      return this.closedWith !== null ? null : undefined;
    };
    const now = take();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (value: Received | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const check = () => {
        const value = take();
        if (value !== undefined) finish(value);
      };
      const timer = setTimeout(() => finish(null), Math.max(0, ms));
      this.waiters.add(check);
      until?.then(() => finish(null), () => finish(null));
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

/** What a person reads for a message: its text, or "<n binary bytes>" for a binary frame. */
export function messageText(message: Received): string {
  return message.binary ? `<${message.data.length} binary bytes>` : message.data.toString('utf8');
}
