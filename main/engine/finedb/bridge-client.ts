import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { EngineError } from '../common/engine-error.js';
import { packageRoot } from '../common/paths.js';
import { scrubText } from './mask.js';
import type { FineConfRow } from '../fine/index.js';
import type { DatabaseInfo, FineDbStore, WriteChange, WriteResult } from './store.js';

export const BRIDGE_MAIN_CLASS = 'wsssetup.jdbcbridge.Main';

/** The bridge jar: WSS_SETUP_BRIDGE_JAR, else <package>/dist/resources/jdbc-bridge.jar. */
export function bridgeJarPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.WSS_SETUP_BRIDGE_JAR ?? join(packageRoot(), 'dist', 'resources', 'jdbc-bridge.jar');
}

export interface BridgeOptions {
  readonly java: string;
  readonly bridgeJar: string;
  readonly driverJars: readonly string[];
  readonly driverClass: string;
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Seconds to wait for one answer (connection attempts included). */
  readonly timeoutSeconds?: number;
}

interface Answer {
  readonly ok: boolean;
  readonly code?: string;
  readonly detail?: string;
  readonly sqlState?: string;
  readonly [key: string]: unknown;
}

/** Bridge failure codes → engine error codes (text in shared/i18n/<lang>/finedb.ts). */
const CODES: Readonly<Record<string, string>> = {
  DRIVER_NOT_FOUND: 'FINEDB_DRIVER_CLASS_NOT_LOADED',
  URL_NOT_ACCEPTED: 'FINEDB_URL_NOT_ACCEPTED',
  AUTH_FAILED: 'FINEDB_AUTH_FAILED',
  UNREACHABLE: 'FINEDB_UNREACHABLE',
  TABLE_MISSING: 'FINEDB_TABLE_MISSING',
  DB_LOCKED: 'FINEDB_LOCKED',
  DB_MISSING: 'FINEDB_MISSING',
  READBACK_MISMATCH: 'FINEDB_READBACK_MISMATCH',
};

/**
 * A session with the Java JDBC bridge: `java -cp bridge.jar:driver.jar wsssetup.jdbcbridge.Main`,
 * one JSON request per line. The password travels only on stdin (never argv, which other users
 * can read from /proc); every text coming back is scrubbed of it once more.
 */
export class BridgeStore implements FineDbStore {
  private readonly pending: Array<(line: string | null) => void> = [];
  private stderr = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly options: BridgeOptions,
    public info: DatabaseInfo,
  ) {}

  static async open(options: BridgeOptions): Promise<BridgeStore> {
    if (!existsSync(options.bridgeJar)) throw new EngineError('FINEDB_BRIDGE_MISSING', { path: options.bridgeJar }, { path: options.bridgeJar });
    const classpath = [options.bridgeJar, ...options.driverJars].join(delimiter);
    const child = spawn(options.java, ['-Xshare:auto', '-cp', classpath, BRIDGE_MAIN_CLASS], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const store = new BridgeStore(child, options, { driver: { className: options.driverClass, name: '', version: '' }, database: { product: '', version: '' } });
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        store.exited = true;
        reject(new EngineError('FINEDB_JAVA_NOT_FOUND', { java: options.java, reason: error.code ?? error.message }, { java: options.java }));
      });
    });
    spawnError.catch(() => undefined);
    child.stderr.on('data', (d: Buffer) => (store.stderr = (store.stderr + d.toString()).slice(-4000)));
    child.once('exit', () => {
      store.exited = true;
      for (const waiter of store.pending.splice(0)) waiter(null);
    });
    createInterface({ input: child.stdout }).on('line', (line) => store.pending.shift()?.(line));
    const answer = await Promise.race([
      store.send({ op: 'open', driver: options.driverClass, url: options.url, user: options.user, password: options.password, connectTimeoutSeconds: 15 }),
      spawnError,
    ]);
    if (!answer.ok) {
      await store.kill();
      throw store.failure(answer);
    }
    store.info = { driver: answer.driver as DatabaseInfo['driver'], database: answer.database as DatabaseInfo['database'] };
    return store;
  }

  private scrub(text: string): string {
    return scrubText(text, [this.options.password]);
  }

  private failure(answer: Answer): EngineError {
    const code = CODES[answer.code ?? ''] ?? 'FINEDB_SQL_ERROR';
    const detail = this.scrub(answer.detail ?? '');
    return new EngineError(code, { detail, url: this.scrub(this.options.url), driver: this.options.driverClass }, { bridgeCode: answer.code ?? null, sqlState: answer.sqlState ?? null, detail });
  }

  private send(request: Record<string, unknown>): Promise<Answer> {
    if (this.exited) return Promise.reject(new EngineError('FINEDB_BRIDGE_FAILED', { detail: this.scrub(this.stderr.trim()) }, {}));
    const timeoutMs = (this.options.timeoutSeconds ?? 60) * 1000;
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        void this.kill();
        reject(new EngineError('FINEDB_BRIDGE_TIMEOUT', { seconds: timeoutMs / 1000 }, {}));
      }, timeoutMs);
      this.pending.push((line) => {
        clearTimeout(timer);
        if (line === null) return reject(new EngineError('FINEDB_BRIDGE_FAILED', { detail: this.scrub(this.stderr.trim().split('\n').slice(-3).join(' ')) }, {}));
        try {
          resolve(JSON.parse(line) as Answer);
        } catch {
          reject(new EngineError('FINEDB_BRIDGE_FAILED', { detail: this.scrub(line.slice(0, 200)) }, {}));
        }
      });
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  private async call(request: Record<string, unknown>): Promise<Answer> {
    const answer = await this.send(request);
    if (!answer.ok) throw this.failure(answer);
    return answer;
  }

  async readIds(ids: readonly string[]): Promise<FineConfRow[]> {
    return (await this.call({ op: 'read', ids })).rows as FineConfRow[];
  }

  async readPrefix(prefix: string): Promise<FineConfRow[]> {
    return (await this.call({ op: 'read', prefix })).rows as FineConfRow[];
  }

  async write(change: WriteChange): Promise<WriteResult> {
    const a = await this.call({ op: 'write', delete: change.delete, upsert: change.upsert });
    return { updated: Number(a.updated), inserted: Number(a.inserted), deleted: Number(a.deleted) };
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      const answer = await this.send({ op: 'close' });
      this.child.stdin.end();
      if (!answer.ok) throw this.failure(answer);
      await exit;
    } finally {
      await this.kill();
    }
  }

  private kill(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin.end();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      timer.unref();
    });
  }
}
