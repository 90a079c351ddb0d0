import { describe, expect, it } from 'vitest';
import { isSocketIoUrl, wsUrlProblem } from '../../shared/contract/url.js';

describe('wsUrlProblem', () => {
  it.each([
    ['wss://reports.example.com:38889/socket.io/?EIO=3&transport=websocket', null],
    ['ws://127.0.0.1:38888/', null],
    ['wss://[::1]:8443/ws', null],
    ['  wss://host/  ', null],
    ['', 'input.url.empty'],
    ['   ', 'input.url.empty'],
    ['http://host/', 'input.url.http'],
    ['HTTPS://host/', 'input.url.http'],
    ['ftp://host/', 'input.url.scheme'],
    ['host:8080', 'input.url.scheme'],
    ['reports.example.com', 'input.url.malformed'],
    ['wss://', 'input.url.malformed'],
    ['wss://host:70000/', 'input.url.port'],
    ['wss://host:0/', 'input.url.port'],
    ['wss://[::1]:99999/', 'input.url.port'],
    ['wss://host/#frag', 'input.url.fragment'],
    ['wss://user:pw@host/', 'input.url.credentials'],
    ['wss://ho st/', 'input.url.malformed'],
  ])('%j → %s', (url, expected) => {
    expect(wsUrlProblem(url)).toBe(expected);
  });

  it('recognizes socket.io endpoints by path or EIO parameter', () => {
    expect(isSocketIoUrl(new URL('wss://h/socket.io/?EIO=4&transport=websocket'))).toBe(true);
    expect(isSocketIoUrl(new URL('wss://h/push/?EIO=3'))).toBe(true);
    expect(isSocketIoUrl(new URL('wss://h/websocket/'))).toBe(false);
  });
});
