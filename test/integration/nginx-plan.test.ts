import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NginxPlanInput, NginxPlanOutput } from '../../shared/contract/nginx.js';
import type { Lang } from '../../shared/contract/common.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { diagnoseNginx } from '../../main/engine/nginx/diagnose.js';
import { loadTree } from '../../main/engine/nginx/load.js';
import { printFile } from '../../main/engine/nginx/print.js';
import { locationsOf, selectLocation, selectServer } from '../../main/engine/nginx/query.js';
import { findNginxBinary, nginxTestTree } from '../../main/engine/nginx/validate.js';
import { realPorts } from '../../main/engine/ports/index.js';
import { applyUnifiedDiff } from '../../main/engine/common/unified-diff.js';
import { parsePlan, type Plan } from '../../shared/contract/plan.js';
import { noteMessage } from '../../shared/i18n/plan-text.js';
import { createFineInstall } from '../harness/finereport.js';
import { nginxAvailable } from '../harness/nginx.js';
import { copyNginxFixture, writeCertPair } from '../harness/fixtures.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir('wss-setup-nginx-plan-');
let certPath: string;
let keyPath: string;
let keyPem: string;

beforeAll(() => {
  if (!nginxAvailable()) throw new Error('nginx is required for these tests (apt-get install nginx)');
  ({ certPath, keyPath, keyPem } = writeCertPair(dir.path, ['localhost', 'reports.example.com', 'www.joshua317.com']));
});
afterAll(() => dir.cleanup());

const copyTree = (name: string): string => copyNginxFixture(dir.path, name);

function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = readFileSync(p, 'latin1');
    }
  };
  walk(root);
  return out;
}

async function plan(input: NginxPlanInput, lang: Lang = 'en'): Promise<NginxPlanOutput> {
  const result = await runOperation('planNginxProxy', input, { lang });
  if (!result.ok) throw new Error(`plan failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

async function planError(input: unknown, lang: Lang = 'en') {
  const result = await runOperation('planNginxProxy', input, { lang });
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

/** Minimal apply for tests (the transactional apply is a later issue): check hashes, write contents. */
function apply(p: Plan): void {
  for (const file of p.files) {
    if (file.action === 'modify') expect(applyUnifiedDiff(readFileSync(file.path, file.encoding as BufferEncoding), file.diff)).toBe(file.content);
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, Buffer.from(file.content, file.encoding as BufferEncoding));
  }
}

const profiles: [string, Partial<NginxPlanInput>][] = [
  ['finereport', { profile: 'finereport', redirectHttp: true, cors: true }],
  ['generic', { profile: 'generic', upstream: '127.0.0.1:9502', path: '/websocket/' }],
  ['pool', { profile: 'pool', backends: ['127.0.0.1:3001', '127.0.0.1:3002'], balance: 'ip-hash', backendTls: true, backendCa: '/etc/ssl/certs/ca-certificates.crt' }],
];

describe("planning against Debian's default tree", () => {
  it.each(profiles)('%s: validated by nginx -t, applies, reparses to the intended tree, and planning again changes nothing', async (_name, extra) => {
    const main = copyTree('debian');
    const root = dirname(main);
    const input = { nginxConf: main, serverNames: ['reports.example.com'], certPath, keyPath, httpsPort: 8443, ...extra } as NginxPlanInput;
    const first = await plan(input);
    expect(first.changed).toBe(true);
    expect(first.plan.validations).toMatchObject([{ tool: 'nginx -t', ok: true }]);
    // The plan is the contract's model: it round-trips through JSON and the schema unchanged.
    expect(parsePlan(JSON.stringify(first.plan))).toEqual({ ok: true, plan: first.plan });
    const owned = first.plan.files.find((f) => f.owned)!;
    expect(owned.path).toBe(join(root, 'wss-setup', `${input.profile}.conf`));
    expect(owned.action).toBe('create');
    const mainEdit = first.plan.files.find((f) => f.path === main)!;
    // Only the include line changes in nginx.conf, and it is marked.
    expect(mainEdit.diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([`+\tinclude wss-setup/${input.profile}.conf; # managed by wss-setup`]);
    // What the seeds get wrong is never written.
    expect(owned.content).not.toMatch(/SSLv2|RC4|EXP|TLSv1 |TLSv1\.1|Access-Control-Allow-Origin/);
    expect(owned.content).toContain('ssl_protocols TLSv1.2 TLSv1.3;');
    expect(owned.content).toContain('ssl_prefer_server_ciphers off;');

    apply(first.plan);
    const reread = await loadTree(main);
    if (!reread.ok) throw new Error(JSON.stringify(reread.problem));
    for (const [path, file] of reread.tree.files) expect(printFile(file)).toBe(readFileSync(path, file.encoding));
    const match = selectServer(reread.tree, { port: 8443, host: 'reports.example.com' });
    expect(match?.server.located.file).toBe(owned.path);
    for (const check of first.plan.checks) {
      const findings = await diagnoseNginx(main, new URL(check.url), 'en', reread.tree);
      expect(findings.filter((f) => f.severity !== 'info'), check.url).toEqual([]);
    }
    expect((await nginxTestTree(reread.tree, { nginxBin: findNginxBinary(undefined)!, process: realPorts.process })).ok).toBe(true);

    const before = snapshot(root);
    const second = await plan(input);
    expect(second.changed).toBe(false);
    expect(second.plan.files).toEqual([]);
    expect(second.plan.notes.map((n) => n.code)).toContain('NO_CHANGES');
    expect(snapshot(root)).toEqual(before);
  });

  it('finereport without a certificate plans one to be issued; nginx -t still runs (throwaway pair in the temp copy)', async () => {
    const main = copyTree('debian');
    const out = await plan({ nginxConf: main, profile: 'finereport', serverNames: ['reports.example.com'] });
    expect(out.plan.certificates).toEqual([{ kind: 'issue', names: ['reports.example.com'], outputs: { pem: { certPath: join(dirname(main), 'wss-setup/certs/finereport.crt'), keyPath: join(dirname(main), 'wss-setup/certs/finereport.key') } } }]);
    expect(out.plan.validations.map((v) => v.ok)).toEqual([true]);
    // Plan v2: a FineDB row change names its install; without --install the rows (and the product's
    // restart) are a note the admin acts on, with the same rows as evidence.
    expect(out.plan.fineDbRows).toEqual([]);
    expect(out.plan.notes.find((n) => n.code === 'FINE_ROWS_BY_HAND')!.evidence.rows).toEqual([
      { id: 'WebSocketConfig.port', value: '["38888"]' },
      { id: 'WebSocketConfig.requestPorts', value: '38889' },
    ]);
    expect(out.plan.notes.map((n) => n.code)).toEqual(['CERT_TO_ISSUE', 'FINE_APP_ASSUMED', 'FINE_ROWS_BY_HAND', 'SECOND_PORT_TRUST']);
    expect(out.plan.services.map((s) => s.id)).toEqual(['nginx']);
    expect(existsSync(join(dirname(main), 'wss-setup'))).toBe(false);
  });
});

describe('FineReport installs', () => {
  it('reads the install: a 2019 JAR gets requestPort, FineBI its own ports', async () => {
    const install = join(dir.path, 'fine-bi');
    createFineInstall(install, { product: 'finebi', jarDate: '2019-06-01', finedb: 'none' });
    const out = await plan({ nginxConf: copyTree('debian'), profile: 'finereport', install, serverNames: ['bi.example.com'], certPath, keyPath });
    expect(out.plan.fineDbRows.map((r) => `${r.id}=${r.after}`)).toEqual(['WebSocketConfig.port=["48888"]', 'WebSocketConfig.requestPort=48889']);
    expect(out.plan.fineDbRows[0]!.install).toBe(install);
    expect(out.plan.notes.map((n) => n.code)).toContain('FINE_LEGACY_REQUEST_PORT');
    expect(out.plan.files.find((f) => f.owned)!.content).toContain('listen 48889 ssl;');
  });

  it('11.0.2+ (container WebSocket): no forwarding server, no rows, explained', async () => {
    const install = join(dir.path, 'fine-11');
    createFineInstall(install, { containerWebSocket: true, finedb: 'none' });
    const out = await plan({ nginxConf: copyTree('debian'), profile: 'finereport', install, serverNames: ['reports.example.com'], certPath, keyPath }, 'zh-CN');
    expect(out.plan.fineDbRows).toEqual([]);
    const owned = out.plan.files.find((f) => f.owned)!.content;
    expect(owned).not.toContain('38889');
    expect(owned).toContain('proxy_set_header Upgrade $http_upgrade;');
    const note = out.plan.notes.find((n) => n.code === 'FINE_CONTAINER_WEBSOCKET')!;
    expect(noteMessage('zh-CN', note).message).toContain('复用 HTTPS 端口');
  });

  it('an existing server for the same name and port is a conflict, not a silent duplicate', async () => {
    const main = copyTree('debian');
    writeFileSync(join(dirname(main), 'conf.d', 'mine.conf'), `server {\n    listen 443 ssl;\n    server_name reports.example.com;\n    ssl_certificate ${certPath};\n    ssl_certificate_key ${keyPath};\n}\n`);
    const error = await planError({ nginxConf: main, profile: 'finereport', serverNames: ['reports.example.com'], certPath, keyPath });
    expect(error.code).toBe('NGINX_SERVER_CONFLICT');
    expect(error.message).toContain(`${join(dirname(main), 'conf.d', 'mine.conf')}:1`);
  });
});

describe('generic profile: edits the existing TLS server in place', () => {
  function seed002(): string {
    const root = join(dir.path, `seed002-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(root, 'sites'), { recursive: true });
    writeFileSync(join(root, 'nginx.conf'), 'events {}\nhttp {\n    include sites/*.conf;\n}\n');
    writeFileSync(join(root, 'sites', 'www.conf'), `upstream im-app {
    server 127.0.0.1:9502 max_fails=3 fail_timeout=10s;
}
server {
    listen 443 ssl;
    server_name www.joshua317.com;
    ssl_certificate ${certPath};
    ssl_certificate_key ${keyPath};
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    location / {
        root /srv/www;
    }
    # the WebSocket path, without the upgrade headers (seed 002's "Unexpected response code: 200")
    location /websocket/ {
        proxy_pass http://im-app;
        proxy_read_timeout 30s;
    }
}
`);
    return join(root, 'nginx.conf');
  }

  it('completes the admin\'s location, copying the inherited headers it would otherwise drop', async () => {
    const main = seed002();
    const site = join(dirname(main), 'sites', 'www.conf');
    const original = readFileSync(site, 'utf8');
    const out = await plan({ nginxConf: main, profile: 'generic', serverNames: ['www.joshua317.com'], path: '/websocket/', certPath, keyPath });
    expect(out.plan.files.map((f) => f.path)).toEqual([site]);
    const edit = out.plan.files[0]!;
    const added = edit.diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    const removed = edit.diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
    expect(removed).toEqual(['-        proxy_read_timeout 30s;']);
    expect(added).toEqual([
      '+        proxy_read_timeout 3600s; # managed by wss-setup',
      '+        proxy_http_version 1.1; # managed by wss-setup',
      '+        proxy_set_header Host $host; # managed by wss-setup',
      '+        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; # managed by wss-setup',
      '+        proxy_set_header Upgrade $http_upgrade; # managed by wss-setup',
      '+        proxy_set_header Connection "upgrade"; # managed by wss-setup',
    ]);
    // OPTIONS_NOT_USED (issue 15): --cert/--key are not used, the server keeps its own certificate.
    expect(out.plan.notes.map((n) => n.code)).toEqual(['WEAK_TLS_KEPT', 'OPTIONS_NOT_USED', 'LOCATION_EDITED']);
    expect(noteMessage('en', out.plan.notes[0]!).message).toContain(`${site}:9`);
    expect(readFileSync(site, 'utf8')).toBe(original);

    apply(out.plan);
    const findings = await diagnoseNginx(main, new URL('wss://www.joshua317.com/websocket/'), 'en');
    expect(findings.map((f) => f.code)).toEqual(['NGINX_WEAK_TLS']);
    const again = await plan({ nginxConf: main, profile: 'generic', serverNames: ['www.joshua317.com'], path: '/websocket/', certPath, keyPath });
    expect(again.changed).toBe(false);
  });

  it('adds a ^~ location for a new path, and needs --upstream for it', async () => {
    const main = seed002();
    const error = await planError({ nginxConf: main, profile: 'generic', serverNames: ['www.joshua317.com'], path: '/push/', certPath, keyPath });
    expect(error.code).toBe('NGINX_UPSTREAM_REQUIRED');
    const out = await plan({ nginxConf: main, profile: 'generic', serverNames: ['www.joshua317.com'], path: '/push/', upstream: '127.0.0.1:7000', certPath, keyPath });
    apply(out.plan);
    const reread = await loadTree(main);
    if (!reread.ok) throw new Error('reparse failed');
    const server = selectServer(reread.tree, { port: 443, host: 'www.joshua317.com' })!.server.located;
    const chain = selectLocation(reread.tree, server, '/push/x')!.chain;
    expect(chain.map((l) => `${l.modifier} ${l.pattern}`)).toEqual(['^~ /push/']);
    expect(locationsOf(reread.tree, server)).toHaveLength(3);
    expect(readFileSync(join(dirname(main), 'sites', 'www.conf'), 'utf8')).toContain('    location ^~ /push/ { # managed by wss-setup\n        proxy_pass http://127.0.0.1:7000;');
  });
});

describe('refusals', () => {
  it('never edits a file outside the configuration tree (an include pointing outside)', async () => {
    const outside = join(dir.path, 'outside-site');
    mkdirSync(outside, { recursive: true });
    const site = join(outside, 'site.conf');
    writeFileSync(site, `server {\n    listen 443 ssl;\n    server_name app.example.com;\n    ssl_certificate ${certPath};\n    ssl_certificate_key ${keyPath};\n}\n`);
    const root = join(dir.path, 'tree-with-outside-include');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'nginx.conf'), `events {}\nhttp {\n    include ${site};\n}\n`);
    const before = readFileSync(site, 'utf8');
    const error = await planError({ nginxConf: join(root, 'nginx.conf'), profile: 'generic', serverNames: ['app.example.com'], upstream: '127.0.0.1:9000', certPath, keyPath });
    expect(error.code).toBe('NGINX_EDIT_OUTSIDE_TREE');
    expect(error.message).toContain(site);
    expect(readFileSync(site, 'utf8')).toBe(before);
  });

  it('refuses to overwrite an owned file the admin edited', async () => {
    const main = copyTree('debian');
    const input: NginxPlanInput = { nginxConf: main, profile: 'generic', serverNames: ['reports.example.com'], upstream: '127.0.0.1:9502', certPath, keyPath, httpsPort: 8443 };
    apply((await plan(input)).plan);
    const owned = join(dirname(main), 'wss-setup', 'generic.conf');
    writeFileSync(owned, readFileSync(owned, 'utf8').replace('proxy_read_timeout 3600s;', 'proxy_read_timeout 7200s;'));
    const edited = readFileSync(owned, 'utf8');
    const error = await planError({ ...input, upstream: '127.0.0.1:9600' });
    expect(error.code).toBe('NGINX_OWNED_FILE_EDITED');
    expect(error.message).toContain(owned);
    expect(readFileSync(owned, 'utf8')).toBe(edited);
  });

  it('a broken configuration is reported with file and line; nothing planned', async () => {
    const main = copyTree('debian');
    const site = join(dirname(main), 'sites-available', 'default');
    writeFileSync(site, readFileSync(site, 'utf8').replace('server_name _;', 'server_name "_;'));
    const error = await planError({ nginxConf: main, profile: 'finereport', certPath, keyPath });
    expect(error.code).toBe('NGINX_CONF_INVALID');
    expect(error.evidence).toMatchObject({ file: join(dirname(main), 'sites-enabled', 'default'), line: 46, reason: 'unclosed-quote' });
    expect(error.message).toContain(`${join(dirname(main), 'sites-enabled', 'default')}:46`);
    expect(existsSync(join(dirname(main), 'wss-setup'))).toBe(false);
  });

  it('a configuration nginx already rejects (valid syntax, a missing ;) is named as broken before any change', async () => {
    const main = copyTree('debian');
    const site = join(dirname(main), 'sites-available', 'default');
    writeFileSync(site, readFileSync(site, 'utf8').replace('server_name _;', 'server_name _'));
    const error = await planError({ nginxConf: main, profile: 'finereport', serverNames: ['reports.example.com'], certPath, keyPath });
    expect(error.code).toBe('NGINX_CONF_BROKEN');
    expect(error.message).toContain(`${join(dirname(main), 'sites-enabled', 'default')}:`);
  });

  it('an edit nginx -t rejects is not offered (a session cache zone of another size)', async () => {
    const main = copyTree('debian');
    writeFileSync(join(dirname(main), 'conf.d', 'cache.conf'), 'ssl_session_cache shared:WssSetupTLS:1m;\n');
    const error = await planError({ nginxConf: main, profile: 'finereport', serverNames: ['reports.example.com'], certPath, keyPath, httpsPort: 8443 });
    expect(error.code).toBe('NGINX_TEST_FAILED');
    expect(error.message).toMatch(/WssSetupTLS/);
    expect(error.message).not.toContain('<temp>/conf');
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['a server name with ;', { serverNames: ['a.example.com;evil'] }, 'nginx.input.serverName.unsafe'],
    ['a server name with {', { serverNames: ['a{b}'] }, 'nginx.input.serverName.unsafe'],
    ['a server name with a quote', { serverNames: ['a"b'] }, 'nginx.input.serverName.unsafe'],
    ['a server name with a newline', { serverNames: ['a.example.com\n    return 200'] }, 'nginx.input.serverName.unsafe'],
    ['a path with ;', { profile: 'generic', upstream: '127.0.0.1:1', path: '/ws/;return 200' }, 'nginx.input.path.unsafe'],
    ['a path with {', { profile: 'generic', upstream: '127.0.0.1:1', path: '/ws/{' }, 'nginx.input.path.unsafe'],
    ["a path with '", { profile: 'generic', upstream: '127.0.0.1:1', path: "/ws/'" }, 'nginx.input.path.unsafe'],
    ['a path with a newline', { profile: 'generic', upstream: '127.0.0.1:1', path: '/ws/\nlocation /' }, 'nginx.input.path.unsafe'],
    ['an upstream with #', { profile: 'generic', upstream: '127.0.0.1:1#x' }, 'nginx.input.upstream.unsafe'],
    ['a backend with a space', { profile: 'pool', backends: ['10.0.0.1:80 down'] }, 'nginx.input.upstream.unsafe'],
    ['a certificate path with a space', { certPath: '/tmp/my cert.pem', keyPath: '/tmp/k.pem' }, 'nginx.input.file.unsafe'],
  ];
  it.each(bad)('rejects %s, and writes nothing', async (_name, fields, key) => {
    const main = copyTree('debian');
    const before = snapshot(dirname(main));
    const error = await planError({ nginxConf: main, profile: 'finereport', ...fields });
    expect(error.code).toBe('INVALID_INPUT');
    expect((error.evidence?.issues as { key: string }[]).map((i) => i.key)).toContain(key);
    expect(error.message).not.toMatch(/\n\s+at /);
    expect(snapshot(dirname(main))).toEqual(before);
  });

  it('the private key never reaches the plan, its JSON or its error messages', async () => {
    const main = copyTree('debian');
    const out = await plan({ nginxConf: main, profile: 'finereport', serverNames: ['reports.example.com'], certPath, keyPath, httpsPort: 8443 });
    const body = keyPem.split('\n').filter((l) => l.length > 40)[1]!;
    expect(JSON.stringify(out)).not.toContain(body);
    expect(JSON.stringify(out)).not.toContain('PRIVATE KEY');
    const failing = join(dirname(main), 'conf.d', 'cache.conf');
    writeFileSync(failing, 'ssl_session_cache shared:WssSetupTLS:1m;\n');
    const error = await planError({ nginxConf: main, profile: 'finereport', serverNames: ['reports.example.com'], certPath, keyPath, httpsPort: 8443 });
    expect(JSON.stringify(error)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(error)).not.toContain(body);
  });
});
