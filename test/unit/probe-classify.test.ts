import { describe, expect, it } from 'vitest';
import { classifyUpgrade, type UpgradeAnswer } from '../../main/engine/health/classify-upgrade.js';

const answer = (status: number, extra: Partial<UpgradeAnswer> = {}): UpgradeAnswer => ({ status, statusMessage: '', headers: {}, body: '', secure: true, ...extra });

describe('upgrade-status classifier (status + headers + body → finding)', () => {
  it('a page instead of a 101 (the browser\'s "Unexpected response code: 200"): UPGRADE_NOT_FORWARDED, for every 2xx and 3xx', () => {
    for (const status of [200, 204, 301, 302, 304, 399]) expect(classifyUpgrade(answer(status)).code).toBe('UPGRADE_NOT_FORWARDED');
    const v = classifyUpgrade(answer(200, { statusMessage: 'OK', headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' }, body: '<title>Report</title>' }));
    expect(v.params).toEqual({ status: '200 OK' });
    expect(v.evidence).toEqual({ status: 200, server: 'nginx/1.22.1', location: null, bodyExcerpt: '<title>Report</title>' });
  });

  it('a redirect keeps its Location as evidence', () => {
    const v = classifyUpgrade(answer(302, { statusMessage: 'Found', headers: { location: 'https://reports.example.com/login' } }));
    expect(v.code).toBe('UPGRADE_NOT_FORWARDED');
    expect(v.evidence.location).toBe('https://reports.example.com/login');
    expect(v.params.status).toBe('302 Found');
  });

  it('404: WS_PATH_NOT_FOUND; 502/503/504: BACKEND_UNAVAILABLE', () => {
    expect(classifyUpgrade(answer(404, { statusMessage: 'Not Found' }))).toMatchObject({ code: 'WS_PATH_NOT_FOUND', params: { status: '404 Not Found' } });
    for (const status of [502, 503, 504]) expect(classifyUpgrade(answer(status)).code).toBe('BACKEND_UNAVAILABLE');
  });

  it('any other status: UPGRADE_REJECTED (403 of an Origin check, 400, 426, 500, 1xx other than 101)', () => {
    for (const status of [100, 400, 401, 403, 405, 426, 500, 501, 505]) expect(classifyUpgrade(answer(status)).code).toBe('UPGRADE_REJECTED');
    expect(classifyUpgrade(answer(403)).params).toEqual({ status: '403' });
  });

  it("a plain request to nginx's TLS port (400 with its text): TLS_EXPECTED, only for ws:// URLs", () => {
    const body = '400 The plain HTTP request was sent to HTTPS port nginx';
    expect(classifyUpgrade(answer(400, { body, secure: false })).code).toBe('TLS_EXPECTED');
    expect(classifyUpgrade(answer(400, { body: 'This port requires TLS', secure: false })).code).toBe('TLS_EXPECTED');
    expect(classifyUpgrade(answer(400, { body, secure: true })).code).toBe('UPGRADE_REJECTED');
    expect(classifyUpgrade(answer(400, { body: 'bad request', secure: false })).code).toBe('UPGRADE_REJECTED');
    expect(classifyUpgrade(answer(200, { body, secure: false })).code).toBe('UPGRADE_NOT_FORWARDED');
  });

  it('repeated headers are joined for the evidence', () => {
    expect(classifyUpgrade(answer(200, { headers: { server: ['a', 'b'] } })).evidence.server).toBe('a, b');
  });
});
