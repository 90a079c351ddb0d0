import { constants } from 'node:fs';
import { lstat, open as openFile } from 'node:fs/promises';
import { join } from 'node:path';
import yauzl from 'yauzl';

/** What a CATALINA_HOME's own jars say about its Tomcat. */
export interface TomcatVersion {
  /** server.info, e.g. "Apache Tomcat/10.1.60 (Debian)". */
  readonly info: string;
  /** e.g. "10.1.60". */
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  /**
   * The legacy TLS attributes on <Connector> (keystoreFile, keystorePass, keystoreType, …) are
   * read by Tomcat 8.5 and 9 only; 10.0+ ignores them ("failed to set property"), proven on
   * Debian's Tomcat 10.1 by test/integration/tomcat-configtest.test.ts.
   */
  readonly legacyConnectorTls: boolean;
  /** certificateKeystorePasswordFile exists (found in the jar's classes, 9.0.81/10.1.14/8.5.94+). */
  readonly passwordFile: boolean;
  /** The APR connector (Http11AprProtocol) exists (8.5 and 9). */
  readonly apr: boolean;
}

const MAX_ENTRY = 1 << 20;

/** Reads named entries (small ones) of a jar; absent entries are missing from the map. */
export async function readJarEntries(path: string, names: readonly string[]): Promise<Map<string, Buffer>> {
  // A symlink is followed only when root made it (Debian links lib/*.jar to /usr/share/java);
  // a link another account made is never followed. yauzl reads from the descriptor.
  const link = await lstat(path);
  const follow = link.isSymbolicLink() && link.uid === 0;
  const handle = await openFile(path, constants.O_RDONLY | (follow ? 0 : (constants.O_NOFOLLOW ?? 0)));
  const fd = handle.fd;
  const wanted = new Set(names);
  const out = new Map<string, Buffer>();
  try {
    await new Promise<void>((resolve, reject) => {
      yauzl.fromFd(fd, { lazyEntries: true, autoClose: false }, (err, zip) => {
        if (err !== null) return reject(err);
        zip.on('error', reject);
        zip.on('end', () => resolve());
        zip.on('entry', (entry: yauzl.Entry) => {
          if (!wanted.has(entry.fileName) || entry.uncompressedSize > MAX_ENTRY) return zip.readEntry();
          zip.openReadStream(entry, (e, stream) => {
            if (e !== null) return reject(e);
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('error', reject);
            stream.on('end', () => {
              out.set(entry.fileName, Buffer.concat(chunks));
              if (out.size === wanted.size) resolve();
              else zip.readEntry();
            });
          });
        });
        zip.readEntry();
      });
    });
  } finally {
    await handle.close();
  }
  return out;
}

export function parseServerInfo(text: string): { info: string; number: string } | null {
  const props = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([\w.]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m !== null && !line.trimStart().startsWith('#')) props.set(m[1]!, m[2]!);
  }
  const info = props.get('server.info');
  const number = props.get('server.number') ?? /\/(\d+(?:\.\d+)+)/.exec(info ?? '')?.[1];
  return info !== undefined && number !== undefined ? { info, number } : null;
}

const SERVER_INFO = 'org/apache/catalina/util/ServerInfo.properties';
const CERTIFICATE_CLASS = 'org/apache/tomcat/util/net/SSLHostConfigCertificate.class';

/** The Tomcat of a CATALINA_HOME, or null when lib/catalina.jar holds no ServerInfo.properties. */
export async function readTomcatVersion(home: string): Promise<TomcatVersion | null> {
  const entries = await readJarEntries(join(home, 'lib', 'catalina.jar'), [SERVER_INFO]);
  const props = entries.get(SERVER_INFO);
  const parsed = props === undefined ? null : parseServerInfo(props.toString('latin1'));
  if (parsed === null) return null;
  const parts = parsed.number.split('.').map(Number);
  const major = parts[0] ?? 0;
  const minor = parts[1] ?? 0;
  const version = parts.length >= 4 ? parts.slice(0, 3).join('.') : parsed.number;
  let passwordFile = false;
  for (const jar of ['tomcat-coyote.jar', 'tomcat-util.jar']) {
    try {
      const cls = (await readJarEntries(join(home, 'lib', jar), [CERTIFICATE_CLASS])).get(CERTIFICATE_CLASS);
      if (cls !== undefined) {
        passwordFile = cls.includes('setCertificateKeystorePasswordFile');
        break;
      }
    } catch {
      // a jar that is absent or unreadable says nothing
    }
  }
  return { info: parsed.info, version, major, minor, legacyConnectorTls: major <= 9, passwordFile, apr: major <= 9 };
}
