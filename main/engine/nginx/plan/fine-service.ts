import { isAbsolute, join } from 'node:path';
import type { ServiceRef } from '../../../../shared/contract/plan.js';
import { listeningByPid, listProcesses } from '../../detect/index.js';
import { argvLooksSecret } from '../../common/secret-args.js';
import type { FilePort } from '../../ports/index.js';

/** The product runs as a process whose command line holds what looks like a secret: its restart is left to the admin. */
export interface SecretCommandLine {
  readonly secretArgs: true;
  readonly pid: number;
}

/** What restarts the product, and the ports that prove it stopped and started. */
export interface ProductService {
  readonly service: ServiceRef;
  readonly ports: readonly { readonly host: string; readonly port: number }[];
  /** How it was found: the install's Tomcat, or the process listening on the application's port. */
  readonly how: 'catalina' | 'process';
}

const MAX_ARGS = 256;
const MAX_ARG = 4096;
const WILDCARD = new Set(['0.0.0.0', '::']);

/**
 * How the product runs, for its stop and start around the FineDB rows (FineDB can only be written
 * while the product is stopped): its Tomcat when the install sits in a Tomcat base with
 * conf/server.xml; else the process that listens on the application's port (a product started by
 * hand or by a script, read from /proc: its command line, program and working folder); else the
 * install's Tomcat layout as before; null when none is known (the restart is left to the admin).
 * Reads only; runs nothing.
 */
export async function productService(fs: FilePort, base: string | null, app: { host: string; port: number }, wsPort: number): Promise<ProductService | SecretCommandLine | null> {
  const productPorts = [{ host: '127.0.0.1', port: app.port }, { host: '127.0.0.1', port: wsPort }];
  const catalina = (b: string): ProductService => ({ service: { kind: 'catalina', home: b, base: b }, ports: productPorts, how: 'catalina' });
  if (base !== null && (await fs.lstat(join(base, 'conf', 'server.xml')).catch(() => null))?.isFile() === true) return catalina(base);
  const running = await listeningProcess(fs, app);
  if (running !== null && 'secretArgs' in running) return running;
  if (running !== null) {
    // Only the product's ports this process holds prove its stop and start (its WebSocket service may run apart).
    const ports = productPorts.filter((p) => running.listens.some((l) => l.port === p.port));
    return { service: running.service, ports, how: 'process' };
  }
  return base !== null ? catalina(base) : null;
}

async function listeningProcess(fs: FilePort, app: { host: string; port: number }): Promise<{ service: ServiceRef; listens: readonly { port: number }[] } | SecretCommandLine | null> {
  const procs = await listProcesses(fs);
  if (procs.length === 0) return null;
  const listening = await listeningByPid(fs, procs.map((p) => p.pid));
  const host = app.host.replace(/^\[|\]$/g, '');
  const own = new Set(['127.0.0.1', 'localhost', '::1']);
  for (const p of procs) {
    const listens = listening.get(p.pid) ?? [];
    if (!listens.some((l) => l.port === app.port && (l.address === host || WILDCARD.has(l.address) || (own.has(host) && own.has(l.address))))) continue;
    // Never copied into a plan: restarting it would need the secret word for word (common/secret-args.ts).
    if (argvLooksSecret(p.argv)) return { secretArgs: true, pid: p.pid };
    const program = isAbsolute(p.argv[0] ?? '') ? p.argv[0]! : p.exe;
    if (program === null || !isAbsolute(program) || p.argv.length > MAX_ARGS || p.argv.some((a) => a.length > MAX_ARG)) return null;
    const cwd = await fs.readLink(`/proc/${p.pid}/cwd`);
    const argv = [program, ...p.argv.slice(1)];
    return { service: { kind: 'process', pid: p.pid, argv, ...(cwd !== null && isAbsolute(cwd) ? { cwd } : {}) }, listens };
  }
  return null;
}
