import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lang } from '../../../shared/contract/common.js';
import { t, type MessageKey } from '../../../shared/i18n/index.js';
import { realPorts } from '../../engine/ports/index.js';
import { runOperation } from '../../engine/run-operation.js';

/**
 * Serve mode's file moves, for an admin whose files are on the desktop at the other end of
 * `ssh -L`: upload a PEM / PFX / JKS into a private folder this server created (0700, removed
 * when it stops), and download the local CA's ca.crt and a CSR. Same authentication and
 * Host/Origin rules as every other route (checked before this is reached). An upload is
 * POST application/octet-stream (never a "simple" request, so no other site can send it).
 */
export const MAX_UPLOAD = 1024 * 1024;
const MAX_CSR = 64 * 1024;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\.(pem|crt|cer|key|pfx|p12|jks)$/i;

export type UploadKind = 'pem' | 'pkcs12' | 'jks';

/** The kind an upload is, or the i18n key of why it is refused (name, then content). */
export function uploadVerdict(name: string, bytes: Buffer): { readonly kind: UploadKind } | { readonly problem: MessageKey } {
  const match = NAME.exec(name);
  if (match === null) return { problem: 'serve.upload.name' };
  const ext = match[1]!.toLowerCase();
  if (bytes.length === 0) return { problem: 'serve.upload.empty' };
  if (ext === 'pfx' || ext === 'p12') return bytes[0] === 0x30 && bytes.length >= 16 ? { kind: 'pkcs12' } : { problem: 'serve.upload.content' };
  if (ext === 'jks') return bytes.length >= 16 && bytes.readUInt32BE(0) === 0xfeedfeed ? { kind: 'jks' } : { problem: 'serve.upload.content' };
  const text = bytes.toString('latin1');
  return /^[\x09\x0a\x0d\x20-\x7e]*$/.test(text) && /-----BEGIN [A-Z0-9 ]+-----/.test(text) ? { kind: 'pem' } : { problem: 'serve.upload.content' };
}

/** The private folder uploads go to: created on the first upload (mkdtemp: 0700, random name), removed at close. */
export class UploadFolder {
  private dir: string | null = null;

  store(name: string, bytes: Buffer): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'wss-setup-upload-'));
    const path = join(this.dir, `${randomBytes(6).toString('hex')}-${name}`);
    writeFileSync(path, bytes, { mode: 0o600, flag: 'wx' });
    return path;
  }

  remove(): void {
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}

const json = (res: ServerResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};
const refusal = (res: ServerResponse, status: number, code: string, lang: Lang, key: MessageKey) => json(res, status, { ok: false, error: { code, message: t(lang, key) } });

const attachment = (res: ServerResponse, name: string, type: string, bytes: Buffer) => {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': bytes.length, 'Content-Disposition': `attachment; filename="${name}"` });
  res.end(bytes);
};

/** Reads a binary body up to `max` bytes; null when larger (announced or sent). */
function readBytes(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > max) return resolve(null);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(size > max ? null : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Handles /api/upload and /api/download/*; false when the path is none of them. */
export async function handleFileRoute(req: IncomingMessage, res: ServerResponse, url: URL, lang: Lang, uploads: UploadFolder): Promise<boolean> {
  if (url.pathname === '/api/upload') {
    if (req.method !== 'POST') return (refusal(res, 405, 'METHOD_NOT_ALLOWED', lang, 'serve.usePost'), true);
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/octet-stream')) return (refusal(res, 415, 'UNSUPPORTED_MEDIA_TYPE', lang, 'serve.upload.type'), true);
    const bytes = await readBytes(req, MAX_UPLOAD);
    if (bytes === null) {
      res.setHeader('Connection', 'close');
      return (refusal(res, 413, 'BODY_TOO_LARGE', lang, 'serve.upload.tooLarge'), true);
    }
    const name = url.searchParams.get('name') ?? '';
    const verdict = uploadVerdict(name, bytes);
    if ('problem' in verdict) return (refusal(res, 400, 'UPLOAD_INVALID', lang, verdict.problem), true);
    return (json(res, 200, { ok: true, value: { path: uploads.store(name, bytes), kind: verdict.kind } }), true);
  }
  if (!url.pathname.startsWith('/api/download/')) return false;
  if (req.method !== 'GET') return (refusal(res, 405, 'METHOD_NOT_ALLOWED', lang, 'serve.methodNotAllowed'), true);
  if (url.pathname === '/api/download/ca.crt') {
    const status = await runOperation('certTrust', { action: 'status' }, { lang });
    if (!status.ok) return (json(res, 404, status), true);
    attachment(res, 'ca.crt', 'application/x-x509-ca-cert', await realPorts.fs.readFile(status.value.caPath, { maxBytes: MAX_CSR }));
    return true;
  }
  if (url.pathname === '/api/download/csr') {
    const path = url.searchParams.get('path') ?? '';
    if (!path.startsWith('/') || !path.endsWith('.csr') || path.includes('\0')) return (refusal(res, 400, 'CSR_INVALID', lang, 'serve.download.csr'), true);
    // Regular file only, never through a symlink, at most 64 KiB, and a CSR by its content.
    const bytes = await realPorts.fs.readFile(path, { maxBytes: MAX_CSR }).catch(() => null);
    if (bytes === null || !/^-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(bytes.toString('latin1').trimStart())) return (refusal(res, 400, 'CSR_INVALID', lang, 'serve.download.csr'), true);
    attachment(res, path.replace(/^.*\//, ''), 'application/pkcs10', bytes);
    return true;
  }
  refusal(res, 404, 'NOT_FOUND', lang, 'serve.notFound');
  return true;
}
