import { get as getHttp } from 'node:http';
import { get as getHttps } from 'node:https';

/** GET over HTTPS trusting only `ca` (host name verified): status and body. */
export function httpsGet(url: string, ca: Buffer | string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    getHttps(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** GET over plain HTTP: status and, for a redirect, where it points. */
export function httpGet(url: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    getHttp(url, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ...(res.headers.location !== undefined ? { location: res.headers.location } : {}) });
    }).on('error', reject);
  });
}
