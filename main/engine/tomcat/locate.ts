import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EngineError } from '../common/engine-error.js';
import { findWebInf } from '../fine/index.js';

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** A CATALINA_HOME: holds lib/catalina.jar and bin/bootstrap.jar. */
export const isCatalinaHome = (dir: string): boolean => isFile(join(dir, 'lib', 'catalina.jar')) && isFile(join(dir, 'bin', 'bootstrap.jar'));

export interface Located {
  readonly base: string;
  readonly home: string;
  /** The product install (its Tomcat base) when webapps/webroot/WEB-INF is there. */
  readonly fineDir: string | null;
}

/**
 * Where the Tomcat of a request lives. `--install` takes a product install: its Tomcat base
 * (conf/server.xml + webapps/webroot) or the product folder whose server/ is that base
 * (FineReport_11.0/server on Windows). The home defaults to the base when it holds Tomcat's
 * jars (bundled Tomcat), else the only system Tomcat found.
 */
export function locate(input: { install?: string; catalinaBase?: string; catalinaHome?: string }): Located {
  let base: string | null = null;
  let fineDir: string | null = null;
  if (input.install !== undefined) {
    const dir = resolve(input.install);
    for (const candidate of [dir, join(dir, 'server'), join(dir, 'tomcat')]) {
      if (isFile(join(candidate, 'conf', 'server.xml'))) {
        base = candidate;
        break;
      }
    }
    if (base === null) throw new EngineError('TOMCAT_BASE_NOT_FOUND', { dir }, { dir });
    fineDir = findWebInf(base) !== null ? base : findWebInf(dir) !== null ? dir : null;
    if (fineDir === null) throw new EngineError('FINE_INSTALL_NOT_FOUND', { dir }, { dir });
  } else {
    base = resolve(input.catalinaBase!);
    if (!isFile(join(base, 'conf', 'server.xml'))) throw new EngineError('TOMCAT_BASE_NOT_FOUND', { dir: base }, { dir: base });
    fineDir = findWebInf(base) !== null ? base : null;
  }
  let home: string | null = null;
  if (input.catalinaHome !== undefined) home = isCatalinaHome(input.catalinaHome) ? resolve(input.catalinaHome) : null;
  else if (isCatalinaHome(base)) home = base;
  else home = ['/usr/share/tomcat11', '/usr/share/tomcat10', '/usr/share/tomcat9', '/opt/tomcat'].find((h) => existsSync(h) && isCatalinaHome(h)) ?? null;
  if (home === null) throw new EngineError('TOMCAT_HOME_NOT_FOUND', { dir: input.catalinaHome ?? base }, { base, home: input.catalinaHome ?? null });
  return { base, home, fineDir };
}
