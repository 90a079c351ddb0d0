import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseNginx } from '../../main/engine/nginx/diagnose.js';
import { loadTree, type NginxTree } from '../../main/engine/nginx/load.js';
import { effectiveProxy, findHttp, header, parseDuration, passesUpgrade, selectLocation, selectServer } from '../../main/engine/nginx/query.js';
import { tempDir } from '../harness/temp.js';

const FIXTURES = new URL('../fixtures/nginx/', import.meta.url).pathname;
const dir = tempDir('wss-setup-nginx-query-');
afterAll(() => dir.cleanup());

async function tree(path: string): Promise<NginxTree> {
  const loaded = await loadTree(path);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
  return loaded.tree;
}

async function treeOf(text: string, extra: Record<string, string> = {}): Promise<NginxTree> {
  const root = join(dir.path, Math.random().toString(36).slice(2));
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'nginx.conf'), text);
  for (const [name, content] of Object.entries(extra)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return tree(join(root, 'nginx.conf'));
}

describe('which server answers port + host (nginx docs: server names)', () => {
  const names = async (host: string, address?: string) => {
    const t = await tree(join(FIXTURES, 'docs/server-names.conf'));
    const match = selectServer(t, { port: 80, host, ...(address !== undefined ? { address } : {}) });
    return { how: match?.how, names: match?.server.names, line: match?.server.located.directive.line };
  };
  it('an exact name wins over wildcards', async () => expect(await names('www.example.org')).toMatchObject({ how: 'exact', line: 2 }));
  it('the longest leading wildcard', async () => expect(await names('mail.example.org')).toMatchObject({ how: 'wildcard-leading', line: 7 }));
  it('then a trailing wildcard', async () => expect(await names('mail.example.com')).toMatchObject({ how: 'wildcard-trailing', line: 12 }));
  it('then the first matching regex in order', async () => expect(await names('alice.example.net')).toMatchObject({ how: 'regex', line: 17 }));
  it('the catch-all regex of the last server takes any other name', async () => expect(await names('unknown.test')).toMatchObject({ how: 'regex', line: 33 }));
  it('else the default_server of the port, else its first server', async () => {
    const t = await treeOf('events {}\nhttp {\n server { listen 80; server_name a.test; }\n server { listen 80 default_server; server_name b.test; }\n server { listen 81; server_name c.test; }\n server { listen 81; server_name d.test; }\n}\n');
    expect(selectServer(t, { port: 80, host: 'zzz.test' })).toMatchObject({ how: 'default', server: { names: ['b.test'] } });
    expect(selectServer(t, { port: 81, host: 'zzz.test' })).toMatchObject({ how: 'default', server: { names: ['c.test'] } });
  });
  it('a listen on a specific address takes connections to that address', async () => {
    expect(await names('www3.example.net', '192.168.1.1')).toMatchObject({ how: 'regex', line: 28 });
    expect(await names('other.test', '192.168.1.1')).toMatchObject({ how: 'default', line: 28 });
  });
  it('no server on the port: null', async () => {
    const t = await tree(join(FIXTURES, 'docs/server-names.conf'));
    expect(selectServer(t, { port: 8443, host: 'example.org' })).toBeNull();
  });
});

describe('which location answers a path (nginx docs: location A-E)', () => {
  const answer = async (path: string) => {
    const t = await tree(join(FIXTURES, 'docs/locations.conf'));
    const server = selectServer(t, { port: 80, host: 'example.org' })!.server.located;
    const chain = selectLocation(t, server, path)?.chain ?? [];
    return chain.map((l) => `${l.modifier} ${l.pattern}`.trim());
  };
  it('"/" matches configuration A (exact)', async () => expect(await answer('/')).toEqual(['= /']));
  it('"/index.html" matches B (prefix)', async () => expect(await answer('/index.html')).toEqual(['/']));
  it('"/documents/document.html" matches C (longest prefix)', async () => expect(await answer('/documents/document.html')).toEqual(['/documents/']));
  it('"/images/1.gif" matches D (^~ stops regex search)', async () => expect(await answer('/images/1.gif')).toEqual(['^~ /images/']));
  it('"/documents/1.jpg" matches E (regex beats the prefix)', async () => expect(await answer('/documents/1.jpg')).toEqual(['~* \\.(gif|jpg|jpeg)$']));
  it('"/user" is the exact location, "/user/x" the prefix', async () => {
    expect(await answer('/user')).toEqual(['= /user']);
    expect(await answer('/user/x')).toEqual(['/user/']);
  });
  it('nested locations are searched inside the longest prefix first', async () => {
    const t = await tree(join(FIXTURES, 'features/nginx.conf'));
    const server = selectServer(t, { port: 80, host: 'site.example.com' })!.server.located;
    expect(selectLocation(t, server, '/nested/deeper/a')?.chain.map((l) => l.pattern)).toEqual(['/nested/', '/nested/deeper/']);
    expect(selectLocation(t, server, '/nested/deeper/a.json')?.chain.map((l) => l.pattern)).toEqual(['/nested/', '\\.json$']);
    expect(selectLocation(t, server, '/api/v2/x')?.chain.map((l) => l.pattern)).toEqual(['^/api/v[0-9]+/']);
  });
});

describe('effective proxy settings with inheritance', () => {
  it('a location that sets any proxy_set_header drops every inherited one', async () => {
    const t = await treeOf(`events {}
http {
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_read_timeout 30s;
    server {
        listen 8080;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_http_version 1.1;
        location /inherits/ { proxy_pass http://127.0.0.1:1; }
        location /own/ { proxy_pass http://127.0.0.1:1; proxy_set_header Host $host; }
        location /plain/ { proxy_pass http://127.0.0.1:1; proxy_read_timeout 2m; }
    }
}
`);
    const http = findHttp(t)!;
    const server = selectServer(t, { port: 8080, host: 'x' })!.server.located;
    const at = (path: string) => effectiveProxy(t, [http, server, ...selectLocation(t, server, path)!.chain.map((l) => l.located)]);
    const inherits = at('/inherits/');
    expect(inherits.headers.map((h) => h.name)).toEqual(['Upgrade', 'Connection']);
    expect(inherits.headersWhere?.line).toBe(7);
    expect(passesUpgrade(inherits)).toBe(true);
    expect(inherits.httpVersion).toMatchObject({ value: '1.1', where: { line: 9 } });
    expect(inherits.readTimeout).toMatchObject({ value: 30, where: { line: 4 } });
    const own = at('/own/');
    expect(own.headers.map((h) => h.name)).toEqual(['Host']);
    expect(passesUpgrade(own)).toBe(false);
    expect(header(own, 'upgrade')).toBeUndefined();
    expect(at('/plain/').readTimeout).toMatchObject({ value: 120, where: { line: 12 } });
  });

  it('nginx defaults when nothing is set: HTTP/1.0, Host $proxy_host, Connection close, 60 s', async () => {
    const t = await treeOf('events {}\nhttp { server { listen 8080; location / { proxy_pass http://127.0.0.1:1; } } }\n');
    const http = findHttp(t)!;
    const server = selectServer(t, { port: 8080, host: 'x' })!.server.located;
    const settings = effectiveProxy(t, [http, server, ...selectLocation(t, server, '/')!.chain.map((l) => l.located)]);
    expect(settings).toMatchObject({ httpVersion: { value: '1.0', where: null }, readTimeout: { value: 60, where: null }, headersWhere: null });
    expect(settings.headers.map((h) => `${h.name} ${h.value}`)).toEqual(['Host $proxy_host', 'Connection close']);
  });

  it('reads nginx time values', () => {
    expect([parseDuration('60'), parseDuration('1m30s'), parseDuration('500ms'), parseDuration('1h'), parseDuration('x')]).toEqual([60, 90, 0.5, 3600, null]);
  });
});

describe('config-aware diagnosis names file and line', () => {
  it('seed 000: weak TLS flagged on both servers; the 443 location has no upgrade headers; 38889 is fine', async () => {
    const conf = join(FIXTURES, 'seed-000/nginx.conf');
    const page = await diagnoseNginx(conf, new URL('wss://192.168.5.232/'), 'en');
    expect(page.map((f) => `${f.code}@${f.evidence.line}`)).toEqual(['NGINX_NO_UPGRADE_HEADERS@48', 'NGINX_WEAK_TLS@36']);
    expect(page[1]!.message).toContain(`${conf}:36`);
    expect(page[1]!.message).toMatch(/RC4\+RSA.*\+LOW.*\+SSLv2.*\+EXP/);
    const ws = await diagnoseNginx(conf, new URL('wss://192.168.5.232:38889/socket.io/?EIO=4&transport=websocket'), 'en');
    expect(ws.map((f) => f.code)).toEqual(['NGINX_WEAK_TLS']);
  });

  it('HTTP/1.0 upstream, short read timeout, missing location and server', async () => {
    const t = await treeOf(`events {}
http {
    server {
        listen 8443 ssl;
        ssl_protocols TLSv1 TLSv1.2;
        location /ws/ {
            proxy_pass http://127.0.0.1:1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 20s;
        }
        location = /exact { return 200; }
    }
}
`);
    const codes = async (url: string) => (await diagnoseNginx(t.mainPath, new URL(url), 'en', t)).map((f) => `${f.code}@${f.evidence.line}`);
    expect(await codes('wss://h:8443/ws/x')).toEqual(['NGINX_HTTP10_UPSTREAM@6', 'NGINX_SHORT_READ_TIMEOUT@10', 'NGINX_WEAK_TLS@5']);
    expect(await codes('wss://h:8443/other')).toEqual(['NGINX_NO_MATCHING_LOCATION@3', 'NGINX_WEAK_TLS@5']);
    expect(await codes('wss://h:9999/ws/')).toEqual(['NGINX_NO_MATCHING_SERVER@2']);
  });

  it('a broken configuration is a finding with file and line, in Chinese when asked', async () => {
    const root = join(dir.path, 'broken-diag');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'nginx.conf'), 'events {}\nhttp {\n  server { listen 80 }\n}\n');
    const findings = await diagnoseNginx(join(root, 'nginx.conf'), new URL('ws://h/'), 'zh-CN');
    expect(findings.map((f) => f.code)).toEqual(['NGINX_CONF_INVALID']);
    expect(findings[0]!.message).toContain(`${join(root, 'nginx.conf')}:3`);
    expect(findings[0]!.message).toContain('无法读取');
  });
});
