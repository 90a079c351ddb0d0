/**
 * bench:apache — reading a generated 5,000-line Apache tree (Debian layout: mods-enabled, ports.conf,
 * sites-enabled with many TLS virtual hosts and ProxyPass lines) and answering the plan's questions
 * (which vhost answers each name, which ProxyPass wins for a path), against the real
 * `apache2 -t -D DUMP_VHOSTS` on the same tree, in the same run. Medians over several runs; the
 * ratio is ours / httpd's (target ≤ 1.0). Also times a full plan (read, edit, diff, and httpd -t on
 * a temporary copy — which alone costs about one httpd start) on the same tree, for information.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadTree, parseEnvvars } from '../main/engine/apache/load.js';
import { selectProxyPass, selectVirtualHost, virtualHosts } from '../main/engine/apache/query.js';
import { findApacheBinary } from '../main/engine/apache/validate.js';
import { runOperation } from '../main/engine/run-operation.js';
import { makeCa, makeLeaf } from '../test/harness/certs.js';
import { tempDir } from '../test/harness/temp.js';
import { median, ms, verdict } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const TARGET_LINES = 5_000;
const FIXTURE = new URL('../test/fixtures/apache/debian/', import.meta.url).pathname;

function site(index: number, cert: string, key: string): string {
  const lines = [
    `# site ${index}: generated for the benchmark`,
    `<VirtualHost *:${20000 + (index % 40)}>`,
    `    ServerName site${index}.example.com`,
    `    ServerAlias www.site${index}.example.com *.site${index}.example.org`,
    '    SSLEngine on',
    `    SSLCertificateFile ${cert}`,
    `    SSLCertificateKeyFile ${key}`,
    '    ProxyRequests Off',
    '    ProxyPreserveHost On',
    '    RequestHeader set X-Forwarded-Proto "https"',
  ];
  for (let k = 0; k < 6; k++) {
    lines.push(`    # backend ${k}`, `    ProxyPass /app${k}/ws http://127.0.0.1:${30000 + k}/ws upgrade=websocket timeout=3600`, `    ProxyPassReverse /app${k}/ws http://127.0.0.1:${30000 + k}/ws`);
  }
  lines.push('    <Location "/status">', '        Require local', '    </Location>', `    ProxyPass / http://127.0.0.1:${31000 + (index % 20)}/`, '</VirtualHost>', '');
  return lines.join('\n');
}

function generate(root: string, cert: string, key: string): { main: string; lines: number; files: number; sites: number } {
  cpSync(FIXTURE, root, { recursive: true, verbatimSymlinks: true });
  for (const m of ['ssl', 'socache_shmcb', 'proxy', 'proxy_http', 'headers']) symlinkSync(`../mods-available/${m}.load`, join(root, 'mods-enabled', `${m}.load`));
  for (const m of ['ssl', 'proxy']) symlinkSync(`../mods-available/${m}.conf`, join(root, 'mods-enabled', `${m}.conf`));
  writeFileSync(join(root, 'ports.conf'), Array.from({ length: 40 }, (_, i) => `Listen 127.0.0.1:${20000 + i}`).join('\n') + '\n');
  mkdirSync(join(root, 'sites-enabled'), { recursive: true });
  rmSync(join(root, 'sites-enabled', '000-default.conf'), { force: true });
  let lines = 0;
  let index = 0;
  while (lines < TARGET_LINES) {
    const text = site(index, cert, key);
    writeFileSync(join(root, 'sites-enabled', `site${String(index).padStart(4, '0')}.conf`), text);
    lines += text.split('\n').length;
    index++;
  }
  return { main: join(root, 'apache2.conf'), lines, files: index, sites: index };
}

async function main(): Promise<void> {
  const bin = findApacheBinary(undefined);
  if (bin === null) {
    console.log('bench:apache skipped: apache2 is not installed (apt-get install apache2)');
    return;
  }
  const dir = tempDir('wss-setup-bench-apache-');
  try {
    const ca = makeCa();
    const leaf = makeLeaf(ca, { names: ['localhost'] });
    const cert = join(dir.path, 'server.crt');
    const key = join(dir.path, 'server.key');
    writeFileSync(cert, leaf.cert);
    writeFileSync(key, leaf.key, { mode: 0o600 });
    const root = join(dir.path, 'apache2');
    const tree = generate(root, cert, key);
    const run = join(dir.path, 'run');
    mkdirSync(run, { recursive: true });
    const env = { ...parseEnvvars(readFileSync(join(root, 'envvars'), 'utf8')), APACHE_RUN_DIR: run, APACHE_PID_FILE: join(run, 'pid'), APACHE_LOCK_DIR: run, APACHE_LOG_DIR: run, PATH: '/usr/sbin:/usr/bin:/bin', LANG: 'C' };
    const total = tree.lines + readFileSync(tree.main, 'utf8').split('\n').length;
    console.log(`bench:apache — ${tree.files} site files, ${total} lines in the tree (Debian layout), ${RUNS} runs each`);

    // Interleaved (ours, then httpd's, in each round) so both see the same machine load.
    const ours: number[] = [];
    const theirs: number[] = [];
    let answered = 0;
    for (let r = 0; r < RUNS; r++) {
      const start = performance.now();
      const loaded = await loadTree(tree.main, { env, version: '2.4.71' });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
      const vhosts = virtualHosts(loaded.tree);
      answered = 0;
      for (let i = 0; i < tree.sites; i += 7) {
        const match = selectVirtualHost(loaded.tree, { host: `site${i}.example.com`, port: 20000 + (i % 40) });
        if (match !== null && selectProxyPass(loaded.tree, match.vhost.located, '/app3/ws').rule !== null) answered++;
      }
      ours.push(performance.now() - start);
      if (vhosts.length !== tree.sites) throw new Error(`read ${vhosts.length} vhosts, expected ${tree.sites}`);
      const before = performance.now();
      const result = spawnSync(bin, ['-t', '-D', 'DUMP_VHOSTS', '-d', root, '-f', tree.main], { encoding: 'utf8', env });
      theirs.push(performance.now() - before);
      if (result.status !== 0) throw new Error(`apache2 -t -D DUMP_VHOSTS failed: ${result.stderr}`);
    }

    const plans: number[] = [];
    for (let r = 0; r < Math.min(RUNS, 5); r++) {
      const start = performance.now();
      const result = await runOperation('planApacheProxy', { apacheConf: tree.main, profile: 'generic', serverNames: ['bench.example.com'], httpsPort: 20001, certPath: cert, keyPath: key, upstream: '127.0.0.1:9000', path: '/ws/' }, { lang: 'en' });
      plans.push(performance.now() - start);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    }

    const a = median(ours);
    const b = median(theirs);
    console.log(`  read + vhost/ProxyPass queries (${answered} names answered) ${ms(a)}`);
    console.log(`  apache2 -t -D DUMP_VHOSTS (same tree)                       ${ms(b)}`);
    console.log(`  ratio ours / httpd: ${(a / b).toFixed(2)}× (target ≤ 1.00×: ${verdict(a / b <= 1)})`);
    console.log(`  full plan (read, edit, diff, apache2 -t on a temp copy)     ${ms(median(plans))} (information: includes one apache2 -t)`);
  } finally {
    dir.cleanup();
  }
}

await main();
