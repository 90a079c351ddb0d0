import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCa, makeLeaf } from './certs.js';

/** The nginx configuration corpus (Debian's tree, seed configs, nginx documentation examples, ...). */
export const NGINX_FIXTURES = new URL('../fixtures/nginx/', import.meta.url).pathname;

/**
 * A private copy of a fixture tree below `into`; Debian's absolute /etc/nginx paths are pointed at
 * the copy, so the copy is the "real" tree a test may edit. Returns the copy's nginx.conf.
 */
export function copyNginxFixture(into: string, name: string): string {
  const target = join(into, `${name}-${Math.random().toString(36).slice(2)}`);
  cpSync(join(NGINX_FIXTURES, name), target, { recursive: true, verbatimSymlinks: true });
  const main = join(target, 'nginx.conf');
  writeFileSync(main, readFileSync(main, 'utf8').split('/etc/nginx').join(target));
  return main;
}

/** A test CA and a leaf for `names`, written as ca.pem, server.crt and server.key (0600) below `into`. */
export function writeCertPair(into: string, names: readonly string[]): { caFile: string; certPath: string; keyPath: string; keyPem: string } {
  const ca = makeCa();
  const leaf = makeLeaf(ca, { names });
  const caFile = join(into, 'ca.pem');
  const certPath = join(into, 'server.crt');
  const keyPath = join(into, 'server.key');
  writeFileSync(caFile, ca.cert);
  writeFileSync(certPath, leaf.cert);
  writeFileSync(keyPath, leaf.key, { mode: 0o600 });
  return { caFile, certPath, keyPath, keyPem: leaf.key };
}
