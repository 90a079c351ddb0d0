import { mkdirSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CATALINA_HOME } from './tomcat.js';
import { nginxHttpPreamble } from './nginx.js';

/**
 * Fixtures for the services and apply tests: an nginx configuration that daemonizes the way a
 * production nginx does (pid file in the prefix), and a Tomcat CATALINA_BASE that the real
 * catalina scripts (startup.sh / shutdown.sh) run, with a shutdown port.
 */
export function nginxDaemonConf(prefix: string, httpBody: string, daemon = true): string {
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  const conf = `${user}${daemon ? '' : 'daemon off;\n'}worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 256; }
http {
${nginxHttpPreamble(prefix)}${httpBody}
}
`;
  const path = join(prefix, 'nginx.conf');
  writeFileSync(path, conf);
  return path;
}

/** A CATALINA_BASE with the given connectors, a shutdown port (or -1) and optional webapps folder content. */
export function catalinaBase(base: string, options: { connectors: readonly string[]; shutdownPort: number }): string {
  for (const sub of ['conf', 'logs', 'temp', 'work', 'webapps', 'lib']) mkdirSync(join(base, sub), { recursive: true });
  const etc = join(CATALINA_HOME, 'etc');
  for (const file of readdirSync(etc)) if (file !== 'server.xml') copyFileSync(join(etc, file), join(base, 'conf', file));
  writeFileSync(
    join(base, 'conf', 'server.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<Server port="${options.shutdownPort}" address="127.0.0.1" shutdown="SHUTDOWN">
  <Service name="Catalina">
    ${options.connectors.join('\n    ')}
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />
    </Engine>
  </Service>
</Server>
`,
  );
  // Fast start on a loaded test machine: small heap, C1 only.
  writeFileSync(join(base, 'bin-setenv.sh'), '');
  mkdirSync(join(base, 'bin'), { recursive: true });
  writeFileSync(join(base, 'bin', 'setenv.sh'), 'CATALINA_OPTS="-Xms32m -Xmx192m -XX:TieredStopAtLevel=1 -Xshare:auto -Djava.security.egd=file:/dev/./urandom"\n');
  return base;
}
