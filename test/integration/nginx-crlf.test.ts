import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NginxPlanInput, NginxPlanOutput } from '../../shared/contract/nginx.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { loadTree } from '../../main/engine/nginx/load.js';
import { printFile } from '../../main/engine/nginx/print.js';
import { writeCertPair } from '../harness/fixtures.js';
import { nginxAvailable } from '../harness/nginx.js';
import { tempDir } from '../harness/temp.js';

/**
 * Issue 9 item 20: a configuration written on Windows (CRLF line endings) keeps them: every line
 * the planner inserts — a new location, lines completing a location, the include line in
 * nginx.conf — ends in CRLF like its neighbours, and the plan says the file is CRLF.
 */
const dir = tempDir('wss-setup-nginx-crlf-');
let certPath: string;
let keyPath: string;

beforeAll(() => {
  if (!nginxAvailable()) throw new Error('nginx is required for these tests (apt-get install nginx)');
  ({ certPath, keyPath } = writeCertPair(dir.path, ['www.example.com']));
});
afterAll(() => dir.cleanup());

const crlf = (text: string) => text.replace(/\n/g, '\r\n');
/** Line breaks that are not CRLF. */
const bareLf = (text: string) => text.split('\r\n').join('').split('\n').length - 1;

function tree(): { main: string; site: string } {
  const root = join(dir.path, `crlf-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(root, 'sites'), { recursive: true });
  writeFileSync(join(root, 'nginx.conf'), crlf('events {}\nhttp {\n    include sites/*.conf;\n}\n'));
  writeFileSync(
    join(root, 'sites', 'www.conf'),
    crlf(`server {
    listen 8443 ssl;
    server_name www.example.com;
    ssl_certificate ${certPath};
    ssl_certificate_key ${keyPath};
    location / {
        root /srv/www;
    }
    location /live/ {
        proxy_pass http://127.0.0.1:9001;
    }
}
`),
  );
  return { main: join(root, 'nginx.conf'), site: join(root, 'sites', 'www.conf') };
}

async function plan(input: NginxPlanInput): Promise<NginxPlanOutput['plan']> {
  const result = await runOperation('planNginxProxy', input, { lang: 'en' });
  if (!result.ok) throw new Error(`plan failed: ${JSON.stringify(result.error)}`);
  return result.value.plan;
}

describe('CRLF files keep their line endings (issue 9 item 20)', () => {
  it('a new location inserted into a CRLF site: every inserted line ends in CRLF', async () => {
    const { main, site } = tree();
    const p = await plan({ nginxConf: main, profile: 'generic', serverNames: ['www.example.com'], httpsPort: 8443, path: '/push/', upstream: '127.0.0.1:7000' });
    const edit = p.files.find((f) => f.path === site)!;
    expect(edit.content).toContain('location ^~ /push/ { # managed by wss-setup\r\n');
    expect(bareLf(edit.content)).toBe(0);
    expect(edit.lineEnding).toBe('crlf');
    expect(p.validations).toMatchObject([{ tool: 'nginx -t', ok: true }]);
  });

  it('lines completing a location and the include line in nginx.conf end in CRLF; the result reads back byte for byte', async () => {
    const { main, site } = tree();
    const p = await plan({ nginxConf: main, profile: 'pool', serverNames: ['www.example.com'], httpsPort: 8443, path: '/live/', backends: ['127.0.0.1:9001', '127.0.0.1:9002'] });
    const siteEdit = p.files.find((f) => f.path === site)!;
    const mainEdit = p.files.find((f) => f.path === main)!;
    expect(siteEdit.content).toContain('proxy_http_version 1.1; # managed by wss-setup\r\n');
    expect(bareLf(siteEdit.content)).toBe(0);
    expect(mainEdit.content).toBe(crlf('events {}\nhttp {\n    include sites/*.conf;\n    include wss-setup/pool.conf; # managed by wss-setup\n}\n'));
    expect(mainEdit.lineEnding).toBe('crlf');
    // Our own include file is ours: LF.
    expect(p.files.find((f) => f.owned)!.lineEnding).toBe('lf');
    for (const f of p.files) {
      mkdirSync(join(f.path, '..'), { recursive: true });
      writeFileSync(f.path, f.content);
    }
    const reread = await loadTree(main);
    if (!reread.ok) throw new Error(JSON.stringify(reread.problem));
    for (const [path, file] of reread.tree.files) expect(printFile(file)).toBe(readFileSync(path, 'utf8'));
  });
});
