import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FineDbConnection, FineDbLocation, FineInstallOut } from '../../../shared/contract/finedb.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { runAsFor } from '../common/run-as.js';
import type { FilePort } from '../ports/index.js';
import { BridgeStore, bridgeJarPath } from './bridge-client.js';
import { chooseDriver } from './drivers.js';
import { bridgeAccount, chooseJava, DB_PROPERTIES_MAX, dbKindOf, dbPropertiesPath, fileUrlPath, inspectInstall, parseDbProperties, type Account, type DbKind, type JavaSource } from '../fine/index.js';
import type { FineInstall } from '../fine/index.js';
import { scrubText } from './mask.js';
import { SqliteStore } from './sqlite-store.js';
import type { FineDbStore } from './store.js';

/** Everything needed to open FineDB, resolved from the install and the admin's overrides. */
export type ResolvedFineDb =
  | {
      readonly kind: 'embedded-hsqldb';
      readonly path: string;
      readonly jdbc: JdbcTarget;
    }
  | { readonly kind: 'external'; readonly jdbc: JdbcTarget }
  | { readonly kind: 'sqlite'; readonly path: string };

export interface JdbcTarget {
  readonly url: string;
  readonly dbKind: DbKind;
  readonly driverClass: string;
  readonly driverJars: readonly string[];
  readonly user: string;
  readonly password: string;
  /** Real path of the java that runs the bridge, and why that one. */
  readonly java: string;
  readonly javaSource: JavaSource;
  /** The account the bridge runs as (the FineDB folder's owner when we are root and it is not). */
  readonly runAs?: Account;
  readonly bridgeJar: string;
}

export function installOut(install: FineInstall): FineInstallOut {
  const f = install.finedb;
  const finedb =
    f.kind === 'external'
      ? { kind: f.kind, where: scrubText(f.jdbcUrl, []), passwordEncrypted: f.passwordEncrypted }
      : { kind: f.kind, where: f.path };
  return {
    dir: install.dir,
    product: install.product,
    webInf: install.webInf,
    ...(install.version !== undefined ? { version: install.version } : {}),
    ...(install.jarDate !== undefined ? { jarDate: install.jarDate } : {}),
    containerWebSocket: install.containerWebSocket,
    finedb,
  };
}

export function locationOf(resolved: ResolvedFineDb): FineDbLocation {
  if (resolved.kind === 'external') return { kind: 'external', where: scrubText(resolved.jdbc.url, [resolved.jdbc.password]) };
  return { kind: resolved.kind, where: resolved.path };
}

function embeddedExists(path: string): boolean {
  return existsSync(`${path}.script`) || existsSync(`${path}.properties`);
}

export async function resolveFineDb(request: FineDbConnection, ctx: Pick<OpContext, 'ports'>, install?: FineInstall): Promise<{ install: FineInstall; resolved: ResolvedFineDb }> {
  const inst = install ?? (await inspectInstall(request.install, ctx.ports.fs));
  const bridgeJar = bridgeJarPath();
  const url = request.jdbcUrl ?? (inst.finedb.kind === 'external' ? inst.finedb.jdbcUrl : inst.finedb.kind === 'embedded-hsqldb' ? `jdbc:hsqldb:file:${inst.finedb.path}` : `jdbc:sqlite:${inst.finedb.path}`);
  const kind = dbKindOf(url);
  if (kind === 'sqlite') {
    const path = fileUrlPath(url.slice('jdbc:sqlite:'.length), inst.webInf);
    if (!existsSync(path)) throw new EngineError('FINEDB_MISSING', { detail: path, url: path, driver: 'better-sqlite3' }, { path });
    return { install: inst, resolved: { kind: 'sqlite', path } };
  }
  const props = await readProps(inst.webInf, ctx.ports.fs);
  const embeddedPath = kind === 'hsqldb' && /^jdbc:hsqldb:file:/i.test(url) ? fileUrlPath(url.slice('jdbc:hsqldb:file:'.length), inst.webInf) : null;
  if (embeddedPath !== null && !embeddedExists(embeddedPath)) throw new EngineError('FINEDB_MISSING', { detail: embeddedPath, url: embeddedPath, driver: '' }, { path: embeddedPath });
  const fromProps = request.jdbcUrl === undefined && inst.finedb.kind === 'external';
  let password = request.password;
  if (password === undefined) {
    if (embeddedPath !== null) password = '';
    else if (fromProps && props?.passwordEncrypted) throw new EngineError('FINEDB_PASSWORD_ENCRYPTED', { path: dbPropertiesPath(inst.webInf) }, { path: dbPropertiesPath(inst.webInf) });
    else password = fromProps ? (props?.password ?? '') : '';
  }
  const user = request.user ?? (embeddedPath !== null ? 'sa' : fromProps ? (props?.username ?? '') : '');
  const driver = await chooseDriver({
    kind,
    webInf: inst.webInf,
    driverJars: request.driverJars ?? [],
    ...(request.driverClass !== undefined ? { driverClass: request.driverClass } : {}),
    ...(fromProps && props?.driverClassName ? { declaredClass: props.driverClassName } : {}),
  });
  // The folder's owner, else — for a folder of root's — the owner of driver jars another account can change (issue 9: never root).
  const runAs = (await bridgeAccount(embeddedPath !== null ? dirname(embeddedPath) : inst.webInf)) ?? (await runAsFor({ program: 'java', loads: driver.jars })).user;
  const java = await chooseJava({ installDir: inst.dir, ...(request.java !== undefined ? { requested: request.java } : {}), ...(request.installJava ? { useInstallJava: true } : {}), ...(runAs ? { runAs } : {}) });
  const jdbc: JdbcTarget = {
    url: embeddedPath !== null ? `jdbc:hsqldb:file:${embeddedPath}` : url,
    dbKind: kind,
    driverClass: driver.className,
    driverJars: driver.jars,
    user,
    password,
    java: java.path,
    javaSource: java.source,
    ...(runAs ? { runAs } : {}),
    bridgeJar,
  };
  return { install: inst, resolved: embeddedPath !== null ? { kind: 'embedded-hsqldb', path: embeddedPath, jdbc } : { kind: 'external', jdbc } };
}

async function readProps(webInf: string, fs: FilePort) {
  const path = dbPropertiesPath(webInf);
  if ((await fs.lstat(path)) === null) return null;
  try {
    return parseDbProperties(await fs.readText(path, { maxBytes: DB_PROPERTIES_MAX, encoding: 'latin1' }));
  } catch {
    return null;
  }
}

/** Opens the store; an embedded HSQLDB may be opened at another path (a copy) with `atPath`, as another account with `runAs`. */
export async function openStore(resolved: ResolvedFineDb, ctx: Pick<OpContext, 'ports'>, at?: { readonly path: string; readonly runAs?: Account }): Promise<FineDbStore> {
  if (resolved.kind === 'sqlite') return SqliteStore.open(at?.path ?? resolved.path);
  const j = resolved.jdbc;
  const url = at !== undefined ? `jdbc:hsqldb:file:${at.path}` : j.url;
  const runAs = at !== undefined ? at.runAs : j.runAs;
  return BridgeStore.open(
    { java: j.java, bridgeJar: j.bridgeJar, driverJars: j.driverJars, driverClass: j.driverClass, url, user: j.user, password: j.password, ...(runAs ? { runAs } : {}) },
    ctx.ports,
  );
}
