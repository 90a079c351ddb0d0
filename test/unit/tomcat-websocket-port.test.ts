import { describe, expect, it } from 'vitest';
import { websocketPortOf } from '../../main/engine/tomcat/plan-ssl.js';

/**
 * Method one's checks and readiness name the product's WebSocket port as its FineDB says
 * (WebSocketConfig.port, written by method two as a JSON list of strings), else the default.
 */
describe('websocketPortOf (WebSocketConfig.port)', () => {
  it('reads the first port of a JSON list of strings or numbers, or a bare number', () => {
    expect(websocketPortOf('["38890"]')).toBe(38890);
    expect(websocketPortOf('["38890","38891"]')).toBe(38890);
    expect(websocketPortOf('[38890]')).toBe(38890);
    expect(websocketPortOf('38890')).toBe(38890);
    expect(websocketPortOf(' 38890 ')).toBe(38890);
  });
  it('gives null (the default applies) for an absent row or a value that holds no port', () => {
    expect(websocketPortOf(undefined)).toBeNull();
    expect(websocketPortOf('')).toBeNull();
    expect(websocketPortOf('[]')).toBeNull();
    expect(websocketPortOf('["0"]')).toBeNull();
    expect(websocketPortOf('["65536"]')).toBeNull();
    expect(websocketPortOf('["38888x"]')).toBeNull();
    expect(websocketPortOf('{"port":38888}')).toBeNull();
    expect(websocketPortOf('-1')).toBeNull();
  });
});
