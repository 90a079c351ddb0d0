import { existsSync, mkdirSync, copyFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type Managed } from './process.js';
import { waitForPort } from './ports.js';
import { tempDir } from './temp.js';

export const CATALINA_HOME = process.env.CATALINA_HOME ?? '/usr/share/tomcat10';
export const TOMCAT_EXAMPLES = process.env.TOMCAT_EXAMPLES ?? '/usr/share/tomcat10-examples/examples';
export const JAVA_BIN = process.env.JAVA_BIN ?? 'java';

export interface TomcatInstance {
  readonly base: string;
  readonly process: Managed;
  stop: () => Promise<void>;
}

export function httpConnector(port: number): string {
  return `<Connector port="${port}" address="127.0.0.1" protocol="org.apache.coyote.http11.Http11NioProtocol" connectionTimeout="20000" />`;
}

/** A TLS connector serving PEM files (certificate chain + key). */
export function httpsPemConnector(port: number, certFile: string, keyFile: string): string {
  return `<Connector port="${port}" address="127.0.0.1" protocol="org.apache.coyote.http11.Http11NioProtocol" SSLEnabled="true" scheme="https" secure="true" maxThreads="50">
      <SSLHostConfig protocols="TLSv1.2+TLSv1.3">
        <Certificate certificateFile="${certFile}" certificateKeyFile="${keyFile}" type="RSA" />
      </SSLHostConfig>
    </Connector>`;
}

/** A TLS connector serving a keystore (PKCS12 or JKS). */
export function httpsKeystoreConnector(port: number, keystoreFile: string, password: string, type: 'PKCS12' | 'JKS' = 'PKCS12'): string {
  return `<Connector port="${port}" address="127.0.0.1" protocol="org.apache.coyote.http11.Http11NioProtocol" SSLEnabled="true" scheme="https" secure="true" maxThreads="50">
      <SSLHostConfig protocols="TLSv1.2+TLSv1.3">
        <Certificate certificateKeystoreFile="${keystoreFile}" certificateKeystorePassword="${password}" certificateKeystoreType="${type}" />
      </SSLHostConfig>
    </Connector>`;
}

/**
 * Starts real Tomcat 10 (Debian tomcat10) as a plain process with its own CATALINA_BASE in a
 * temp dir, the given connectors, and the examples webapp (JSR-356 echo at
 * /examples/websocket/echoAnnotation) unless `examples` is false. Waits for every port.
 */
export async function startTomcat(options: { connectors: readonly string[]; ports: readonly number[]; examples?: boolean; webapps?: Readonly<Record<string, string>> }): Promise<TomcatInstance> {
  const dir = tempDir('wss-setup-tomcat-');
  const base = dir.path;
  for (const sub of ['conf', 'logs', 'temp', 'work', 'webapps', 'lib']) mkdirSync(join(base, sub), { recursive: true });
  const etc = join(CATALINA_HOME, 'etc');
  for (const file of readdirSync(etc)) if (file !== 'server.xml') copyFileSync(join(etc, file), join(base, 'conf', file));
  writeFileSync(
    join(base, 'conf', 'server.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<Server port="-1" shutdown="SHUTDOWN">
  <Service name="Catalina">
    ${options.connectors.join('\n    ')}
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />
    </Engine>
  </Service>
</Server>
`,
  );
  if (options.examples !== false) symlinkSync(TOMCAT_EXAMPLES, join(base, 'webapps', 'examples'));
  for (const [name, path] of Object.entries(options.webapps ?? {})) symlinkSync(path, join(base, 'webapps', name));
  const proc = startProcess(
    JAVA_BIN,
    [
      '-Xms64m',
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      '-Djava.security.egd=file:/dev/./urandom',
      `-Dcatalina.home=${CATALINA_HOME}`,
      `-Dcatalina.base=${base}`,
      `-Djava.io.tmpdir=${join(base, 'temp')}`,
      '-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager',
      `-Djava.util.logging.config.file=${join(base, 'conf', 'logging.properties')}`,
      '-classpath',
      `${join(CATALINA_HOME, 'bin', 'bootstrap.jar')}:${join(CATALINA_HOME, 'bin', 'tomcat-juli.jar')}`,
      'org.apache.catalina.startup.Bootstrap',
      'start',
    ],
    { cwd: base },
  );
  try {
    for (const port of options.ports) await waitForPort(port, 60_000, proc.alive);
    // Connectors bind before the webapps are deployed; wait for the end of start-up.
    const deadline = Date.now() + 60_000;
    while (!proc.output().includes('Server startup in')) {
      if (!proc.alive() || Date.now() > deadline) throw new Error('start-up did not complete');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await proc.stop();
    dir.cleanup();
    throw new Error(`Tomcat did not start: ${(error as Error).message}\n${proc.output()}`);
  }
  return {
    base,
    process: proc,
    stop: async () => {
      await proc.stop();
      dir.cleanup();
    },
  };
}

export const tomcatAvailable = (): boolean => existsSync(join(CATALINA_HOME, 'bin', 'bootstrap.jar')) && existsSync(TOMCAT_EXAMPLES);

/**
 * Starts real Tomcat 10 on an existing CATALINA_BASE (its own server.xml, as planned and
 * applied), as a plain process; waits for the ports and the end of start-up. The base is not removed.
 */
export async function startTomcatBase(base: string, ports: readonly number[]): Promise<{ process: Managed; stop: () => Promise<void> }> {
  const proc = startProcess(
    JAVA_BIN,
    [
      '-Xms64m',
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      '-Djava.security.egd=file:/dev/./urandom',
      `-Dcatalina.home=${CATALINA_HOME}`,
      `-Dcatalina.base=${base}`,
      `-Djava.io.tmpdir=${join(base, 'temp')}`,
      '-classpath',
      `${join(CATALINA_HOME, 'bin', 'bootstrap.jar')}:${join(CATALINA_HOME, 'bin', 'tomcat-juli.jar')}`,
      'org.apache.catalina.startup.Bootstrap',
      'start',
    ],
    { cwd: base },
  );
  try {
    for (const port of ports) await waitForPort(port, 60_000, proc.alive);
    const deadline = Date.now() + 60_000;
    while (!proc.output().includes('Server startup in')) {
      if (!proc.alive() || Date.now() > deadline) throw new Error('start-up did not complete');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await proc.stop();
    throw new Error(`Tomcat did not start: ${(error as Error).message}\n${proc.output()}`);
  }
  return { process: proc, stop: () => proc.stop() };
}
