import { join } from 'node:path';
import type { FilePort } from '../ports/index.js';

const UNIT_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

export interface TomcatUnit {
  readonly unit: string;
  readonly user: string | null;
  /** The unit may bind ports below 1024: it runs as root or has CAP_NET_BIND_SERVICE. */
  readonly bindsLowPorts: boolean;
}

/**
 * The systemd unit that runs this CATALINA_BASE (Environment=CATALINA_BASE=… in a unit file, as
 * Debian's tomcat10.service has), read through the file port; null when none does.
 */
export async function unitForBase(fs: FilePort, base: string): Promise<TomcatUnit | null> {
  for (const dir of UNIT_DIRS) {
    const names = await fs.readDir(dir).catch(() => [] as string[]);
    for (const name of [...names].sort()) {
      if (!name.endsWith('.service')) continue;
      const text = await fs
        .readText(join(dir, name), { maxBytes: 256 * 1024 })
        .catch(() => '');
      const env = [...text.matchAll(/^Environment=(.*)$/gm)].flatMap((m) => [...m[1]!.matchAll(/"?(CATALINA_BASE|CATALINA_HOME)=([^"\s]+)"?/g)]);
      const baseOf = env.find((m) => m[1] === 'CATALINA_BASE')?.[2] ?? env.find((m) => m[1] === 'CATALINA_HOME')?.[2];
      if (baseOf === undefined || baseOf.replace(/\/+$/, '') !== base.replace(/\/+$/, '')) continue;
      const user = /^User=(.+)$/m.exec(text)?.[1]?.trim() ?? null;
      return { unit: name, user, bindsLowPorts: user === null || user === 'root' || /^AmbientCapabilities=.*CAP_NET_BIND_SERVICE/m.test(text) };
    }
  }
  return null;
}
