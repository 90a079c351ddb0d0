import { X509Certificate } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang } from '../../../../shared/contract/common.js';
import type { NginxPlanRequest } from '../../../../shared/contract/nginx.js';
import { EngineError } from '../../common/engine-error.js';
import { describeErrno, errnoOf } from '../../common/errno.js';
import type { FilePort } from '../../ports/index.js';
import { tlsLines } from '../tls-profile.js';
import { concreteNames, note } from './draft.js';
import type { CertificateAction, PlanNote } from '../../../../shared/contract/plan.js';

/**
 * The certificate new TLS servers name: the admin's PEM files (--cert/--key), or one the local CA
 * issues at apply time into <confdir>/wss-setup/certs/. It becomes a certificate action of the
 * plan only when a written line uses it (`tls()` was called).
 */
export class PlannedCertificate {
  private used = false;
  private constructor(
    readonly certPath: string,
    readonly keyPath: string,
    /** True when the admin gave --cert/--key. */
    readonly given: boolean,
    private readonly names: readonly string[],
    private readonly parsed: X509Certificate | null,
  ) {}

  static async choose(input: NginxPlanRequest, confDir: string, fileName: string, lang: Lang, fs: Pick<FilePort, 'readFile'>): Promise<PlannedCertificate> {
    const names = concreteNames(input.serverNames);
    if (input.certPath === undefined || input.keyPath === undefined) {
      return new PlannedCertificate(join(confDir, 'wss-setup', 'certs', `${fileName}.crt`), join(confDir, 'wss-setup', 'certs', `${fileName}.key`), false, names, null);
    }
    // Read as nginx will (through links, e.g. Let's Encrypt's live/), but only regular files of a sane size.
    const read = async (path: string): Promise<Buffer> => {
      try {
        return await fs.readFile(await realpath(path), { maxBytes: MAX_PEM_BYTES });
      } catch (error) {
        const code = errnoOf(error);
        throw new EngineError('NGINX_CERT_UNREADABLE', { path, reason: describeErrno(code, lang) }, { path, errno: code });
      }
    };
    const cert = await read(input.certPath);
    (await read(input.keyPath)).fill(0);
    return new PlannedCertificate(input.certPath, input.keyPath, true, names, parse(cert));
  }

  /** The TLS lines of a new server (certificate, key, Mozilla intermediate); marks the certificate as used. */
  tls(): string[] {
    this.used = true;
    return tlsLines(this.certPath, this.keyPath);
  }

  /** Does the certificate cover this host name or IP address? An issued one covers exactly the server names. */
  covers(host: string): boolean {
    if (!this.given) return this.names.includes(host);
    if (this.parsed === null) return false;
    return /^[\d.]+$/.test(host) || host.startsWith('[') ? this.parsed.checkIP(host.replace(/^\[|\]$/g, '')) !== undefined : this.parsed.checkHost(host) !== undefined;
  }

  /** The certificate action (none when no written line uses it), the files nginx -t must stand in for, and what to say. */
  outcome(): { actions: CertificateAction[]; pending: Set<string>; notes: { first: PlanNote[]; last: PlanNote[] } } {
    if (!this.used) return { actions: [], pending: new Set(), notes: { first: [], last: [] } };
    if (this.given) {
      const uncovered = this.names.filter((n) => !this.covers(n)).map((name) => note('CERT_NOT_FOR_NAME', 'warning', { name, cert: this.certPath }, { name, certPath: this.certPath }));
      const unnamed = this.names.length === 0 ? [note('SERVER_NAME_ANY', 'warning')] : [];
      return { actions: [{ kind: 'use-existing', certPath: this.certPath, keyPath: this.keyPath }], pending: new Set(), notes: { first: unnamed, last: uncovered } };
    }
    // Without a server name there is nothing better to issue for than localhost: said, never silent.
    const unnamed = this.names.length === 0 ? [note('CERT_FOR_LOCALHOST_ONLY', 'warning', { cert: this.certPath }, { certPath: this.certPath })] : [];
    return {
      actions: [{ kind: 'issue', names: this.names.length > 0 ? [...this.names] : ['localhost'], outputs: { pem: { certPath: this.certPath, keyPath: this.keyPath } } }],
      pending: new Set([this.certPath, this.keyPath]),
      notes: { first: [note('CERT_TO_ISSUE', 'info', { cert: this.certPath, key: this.keyPath }, { certPath: this.certPath, keyPath: this.keyPath }), ...unnamed], last: [] },
    };
  }
}

/** A PEM chain or key is a few KiB; a megabyte is far more than any. */
const MAX_PEM_BYTES = 1024 * 1024;

function parse(pem: Buffer): X509Certificate | null {
  try {
    return new X509Certificate(pem);
  } catch {
    return null;
  }
}
