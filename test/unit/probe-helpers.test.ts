import { describe, expect, it } from 'vitest';
import { formatName, parseSan } from '../../main/engine/health/certificate.js';
import { isEngineIoOpen } from '../../main/engine/health/engine-io.js';

describe('probe helpers', () => {
  it('recognizes the engine.io open packet and nothing else', () => {
    expect(isEngineIoOpen('0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000}')).toBe(true);
    expect(isEngineIoOpen('0{"upgrades":[]}')).toBe(false);
    expect(isEngineIoOpen('0not json')).toBe(false);
    expect(isEngineIoOpen('40')).toBe(false);
    expect(isEngineIoOpen('wss-setup probe 1234')).toBe(false);
    expect(isEngineIoOpen('')).toBe(false);
  });

  it('formats certificate names and subjectAltName entries', () => {
    expect(formatName({ CN: 'reports.example.com', O: 'Example' })).toBe('CN=reports.example.com, O=Example');
    expect(formatName({ OU: ['a', 'b'] })).toBe('OU=a+b');
    expect(formatName(undefined)).toBe('');
    expect(parseSan('DNS:reports.example.com, IP Address:10.0.0.5, DNS:*.example.com')).toEqual(['DNS:reports.example.com', 'IP:10.0.0.5', 'DNS:*.example.com']);
    expect(parseSan(undefined)).toEqual([]);
    expect(parseSan('')).toEqual([]);
  });
});

describe('echo helpers', () => {
  it('the same bytes are an echo in a text or a binary frame; other bytes are not', async () => {
    const { isEchoOf } = await import('../../main/engine/health/echo.js');
    const is = isEchoOf('wss-setup probe 0a1b');
    expect(is({ data: Buffer.from('wss-setup probe 0a1b'), binary: false })).toBe(true);
    expect(is({ data: Buffer.from('wss-setup probe 0a1b'), binary: true })).toBe(true);
    expect(is({ data: Buffer.from('wss-setup probe 0a1c'), binary: true })).toBe(false);
    expect(is({ data: Buffer.from('welcome'), binary: false })).toBe(false);
  });

  it('the wait after a pong is one more round trip, at least 20 ms and at most 500 ms', async () => {
    const { echoGraceMs } = await import('../../main/engine/health/echo.js');
    expect(echoGraceMs(0.3)).toBe(20);
    expect(echoGraceMs(80)).toBe(80);
    expect(echoGraceMs(5000)).toBe(500);
  });
});
