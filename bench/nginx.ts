/**
 * bench:nginx — lossless parse + print of a generated 10,000-line configuration tree with
 * includes, against the real `nginx -T` (which parses the same tree and dumps it) in the
 * same run. Medians over several runs; the ratio is ours / nginx's (target ≤ 1.0: reading
 * the tree costs no more than nginx reading it). Also times a full plan (parse, edit,
 * diff, nginx -t on a temporary copy) on the same tree.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadTree } from '../main/engine/nginx/load.js';
import { printFile } from '../main/engine/nginx/print.js';
import { findNginxBinary } from '../main/engine/nginx/validate.js';
import { runOperation } from '../main/engine/run-operation.js';
import { makeCa, makeLeaf } from '../test/harness/certs.js';
import { tempDir } from '../test/harness/temp.js';
import { median, ms, verdict } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_LINES = 10_000;

function site(index: number): string {
  const lines = [`# site ${index}: generated for the benchmark`, 'server {', `    listen 127.0.0.1:${20000 + (index % 50)};`, `    server_name site${index}.example.com www.site${index}.example.com;`, `    root /srv/site${index};`, ''];
  for (let k = 0; k < 9; k++) {
    lines.push(
      `    # location ${k}`,
      `    location ${k % 3 === 0 ? '~ ' : ''}/app${k}/${k % 3 === 0 ? '.*\\.json$' : ''} {`,
      `        proxy_pass http://pool${index % 20};`,
      '        proxy_http_version 1.1;',
      '        proxy_set_header Upgrade $http_upgrade;',
      '        proxy_set_header Connection "upgrade";',
      `        proxy_set_header X-Site "site ${index}";`,
      '        proxy_read_timeout 3600s;',
      '    }',
    );
  }
  lines.push('}', '');
  return lines.join('\n');
}

function generate(root: string): { main: string; lines: number; files: number } {
  mkdirSync(join(root, 'sites'), { recursive: true });
  mkdirSync(join(root, 'upstreams'), { recursive: true });
  const upstreams = Array.from({ length: 20 }, (_, i) => `upstream pool${i} {\n    server 127.0.0.1:${30000 + i} max_fails=3 fail_timeout=10s;\n    server 127.0.0.2:${30000 + i} backup;\n}\n`).join('\n');
  writeFileSync(join(root, 'upstreams', 'pools.conf'), upstreams);
  let lines = upstreams.split('\n').length;
  let index = 0;
  while (lines < TARGET_LINES) {
    const text = site(index);
    writeFileSync(join(root, 'sites', `site${String(index).padStart(4, '0')}.conf`), text);
    lines += text.split('\n').length;
    index++;
  }
  const main = join(root, 'nginx.conf');
  writeFileSync(
    main,
    `daemon off;\nworker_processes 1;\npid ${root}/nginx.pid;\nerror_log ${root}/error.log;\nevents { worker_connections 64; }\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n    include upstreams/*.conf;\n    include sites/*.conf;\n}\n`,
  );
  return { main, lines: lines + 10, files: index + 2 };
}

async function main(): Promise<void> {
  const nginx = findNginxBinary(undefined);
  if (nginx === null) {
    console.log('bench:nginx skipped: nginx is not installed (it is the reference of the ratio).');
    return;
  }
  const dir = tempDir('wss-setup-bench-nginx-');
  try {
    const { main: conf, lines, files } = generate(dir.path);
    console.log(`tree: ${lines} lines in ${files} files (${conf})`);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const loaded = await loadTree(conf);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
      let bytes = 0;
      for (const [path, file] of loaded.tree.files) {
        const printed = printFile(file);
        bytes += printed.length;
        if (run === 0 && printed !== readFileSync(path, 'utf8')) throw new Error(`round trip failed for ${path}`);
      }
      ours.push(performance.now() - t0);
      const t1 = performance.now();
      const result = spawnSync(nginx, ['-T', '-q', '-p', `${dir.path}/`, '-e', join(dir.path, 'startup.log'), '-c', conf], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      theirs.push(performance.now() - t1);
      if (result.status !== 0) throw new Error(`nginx -T failed: ${result.stderr}`);
      if (run === 0) console.log(`printed ${bytes} characters; nginx -T dumped ${result.stdout.length}`);
    }
    const a = median(ours);
    const b = median(theirs);
    console.log(`parse + print (wss-setup, lossless, in process): median ${ms(a)} over ${RUNS} runs`);
    console.log(`nginx -T (parse + dump, new process):            median ${ms(b)} over ${RUNS} runs`);
    console.log(`ratio wss-setup / nginx -T: ${(a / b).toFixed(2)}  (target ≤ 1.00: ${verdict(a <= b)})`);

    const leaf = makeLeaf(makeCa(), { names: ['bench.example.com'] });
    writeFileSync(join(dir.path, 'bench.crt'), leaf.cert);
    writeFileSync(join(dir.path, 'bench.key'), leaf.key, { mode: 0o600 });
    const plans: number[] = [];
    for (let run = 0; run < Math.max(3, Math.floor(RUNS / 3)); run++) {
      const t0 = performance.now();
      const result = await runOperation('planNginxProxy', { nginxConf: conf, profile: 'finereport', serverNames: ['bench.example.com'], certPath: join(dir.path, 'bench.crt'), keyPath: join(dir.path, 'bench.key'), httpsPort: 8443 });
      plans.push(performance.now() - t0);
      if (!result.ok) throw new Error(JSON.stringify(result.error));
    }
    console.log(`full plan on the same tree (parse, edit, diff, nginx -t on a temp copy): median ${ms(median(plans))}`);
  } finally {
    dir.cleanup();
  }
}

await main();
