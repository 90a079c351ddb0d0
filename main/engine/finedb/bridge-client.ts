import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { EngineError } from '../common/engine-error.js';
import { packageRoot } from '../common/paths.js';
import { scrubText } from './mask.js';
import type { FineConfRow } from '../fine/index.js';
import type { ChildHandle, Ports } from '../ports/index.js';
import { stageJars } from './stage-jars.js';
import type { Account } from '../fine/index.js';
import type { DatabaseInfo, FineDbStore, WriteChange, WriteResult } from './store.js';

const BRIDGE_MAIN_CLASS = 'wsssetup.jdbcbridge.Main';

/** The bridge jar: WSS_SETUP_BRIDGE_JAR, else <package>/dist/resources/jdbc-bridge.jar. */
export function bridgeJarPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.WSS_SETUP_BRIDGE_JAR ?? join(packageRoot(), 'dist', 'resources', 'jdbc-bridge.jar');
}

export interface BridgeOptions {
  /** Real path of the java that runs the bridge (see java-runtime.ts: never one the install's account can change while we are root). */
  readonly java: string;
  readonly bridgeJar: string;
  readonly driverJars: readonly string[];
  readonly driverClass: string;
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** The account the bridge runs as (the owner of the FineDB folder when we are root); undefined: ourselves. */
  readonly runAs?: Account;
  /** Seconds to wait for one answer (connection attempts included). */
  readonly timeoutSeconds?: number;
}

/** The bridge's environment: nothing of ours (no JAVA_TOOL_OPTIONS, CLASSPATH, LD_PRELOAD…), system folders only. */
const BRIDGE_ENV: Readonly<Record<string, string>> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };

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
    private readonly child: ChildHandle,
    private readonly options: BridgeOptions,
    public info: DatabaseInfo,
  ) {}

  /**
   * Starts the bridge through the process port: argv only, a minimal environment, cwd "/", as
   * `options.runAs` when given. The password travels on stdin only.
   */
  static async open(options: BridgeOptions, ports: Pick<Ports, 'process' | 'fs'>): Promise<BridgeStore> {
    if (!existsSync(options.bridgeJar)) throw new EngineError('FINEDB_BRIDGE_MISSING', { path: options.bridgeJar }, { path: options.bridgeJar });
    const staged = await stageJars([options.bridgeJar, ...options.driverJars], options.runAs, ports.fs);
    const classpath = staged.paths.join(delimiter);
    const child = ports.process.start({
      command: options.java,
      args: ['-Xshare:auto', '-XX:-UsePerfData', '-cp', classpath, BRIDGE_MAIN_CLASS],
      env: process.platform === 'win32' ? { ...BRIDGE_ENV, SystemRoot: process.env.SystemRoot ?? 'C:\\Windows' } : BRIDGE_ENV,
      cwd: process.platform === 'win32' ? (process.env.SystemRoot ?? 'C:\\Windows') : '/',
      secrets: [options.password].filter((p) => p !== ''),
      ...(options.runAs ? { user: options.runAs } : {}),
    });
    const store = new BridgeStore(child, options, { driver: { className: options.driverClass, name: '', version: '' }, database: { product: '', version: '' } });
    // The staged copies (if any) go when the bridge exits, however it exits.
    void child.wait().then(() => staged.cleanup().catch(() => undefined));
    const spawnError = new Promise<never>((_, reject) => {
      void child.wait().then((exit) => {
        store.exited = true;
        for (const waiter of store.pending.splice(0)) waiter(null);
        if (exit.spawnError !== undefined) reject(new EngineError('FINEDB_JAVA_NOT_FOUND', { java: options.java, reason: exit.spawnError }, { java: options.java }));
      });
    });
    spawnError.catch(() => undefined);
    if (child.stdin === null || child.stdout === null) {
      await spawnError;
      throw new EngineError('FINEDB_BRIDGE_FAILED', { detail: '' }, {});
    }
    child.stdin.on('error', () => undefined);
    child.stderr?.on('data', (d: Buffer) => (store.stderr = (store.stderr + d.toString()).slice(-4000)));
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
      this.child.stdin?.write(`${JSON.stringify(request)}\n`);
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
    try {
      const answer = await this.send({ op: 'close' });
      this.child.stdin?.end();
      if (!answer.ok) throw this.failure(answer);
      await this.child.wait();
    } finally {
      await this.kill();
    }
  }

  private async kill(): Promise<void> {
    if (this.exited) return;
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    timer.unref();
    await this.child.wait();
    clearTimeout(timer);
  }
}
