import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The java binary that runs the bridge: the admin's choice, else the install's own JRE
 * (product installers ship one next to the server: jre/, jdk/, jdk/jre/, server/jre/),
 * else `java` on PATH.
 */
export function findJava(installDir: string, requested?: string, platform: NodeJS.Platform = process.platform): string {
  if (requested) return requested;
  const exe = platform === 'win32' ? 'java.exe' : 'java';
  const roots = [installDir, dirname(installDir)];
  for (const root of roots) {
    for (const sub of [['jre'], ['jdk'], ['jdk', 'jre'], ['server', 'jre'], ['tomcat', 'jre']]) {
      const candidate = join(root, ...sub, 'bin', exe);
      if (existsSync(candidate)) return candidate;
    }
  }
  return 'java';
}
