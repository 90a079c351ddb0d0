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
