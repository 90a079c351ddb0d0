import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Is host:port free to bind right now? (Tried for real: bound and released at once.) */
export function portFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, ...(host !== undefined ? { host } : {}), exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Linux: the lowest port an unprivileged account may bind (net.ipv4.ip_unprivileged_port_start), 1024 when unknown. */
export function unprivilegedPortStart(read: (p: string) => string = (p) => readFileSync(p, 'utf8')): number {
  try {
    const n = Number(read('/proc/sys/net/ipv4/ip_unprivileged_port_start').trim());
    return Number.isInteger(n) && n >= 0 ? n : 1024;
  } catch {
    return 1024;
  }
}
