/**
 * bench:nginx — lossless parse + print of a generated configuration tree with includes, against
 * the real `nginx -T` (which parses the same tree and dumps it) in the same run. Medians over
 * several runs; the ratio is ours / nginx's (target ≤ 1.0: reading the tree costs no more than
 * nginx reading it). Also times a full plan (read, edit, diff, nginx -t on a temporary stand-in)
 * on the same tree (target: under 1 s at hosting size).
 *
 *   npm run bench:nginx                 # 10,000 lines and 100,000 lines
 *   npm run bench:nginx -- 250000       # 10,000 lines and the size given
 *
 * BENCH_RUNS sets the number of runs (default 15; the 100k-line tree uses a third of them, at least 5).
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
const BASE_LINES = 10_000;
const LARGE_LINES = 100_000;

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

function generate(root: string, target: number): { main: string; lines: number; files: number } {
  mkdirSync(join(root, 'sites'), { recursive: true });
  mkdirSync(join(root, 'upstreams'), { recursive: true });
  const upstreams = Array.from({ length: 20 }, (_, i) => `upstream pool${i} {\n    server 127.0.0.1:${30000 + i} max_fails=3 fail_timeout=10s;\n    server 127.0.0.2:${30000 + i} backup;\n}\n`).join('\n');
  writeFileSync(join(root, 'upstreams', 'pools.conf'), upstreams);
  let lines = upstreams.split('\n').length;
  let index = 0;
  while (lines < target) {
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

/** Reads the size argument: a whole number of lines from 1,000 to 5,000,000. */
function sizeArgument(argv: readonly string[]): number | null {
  const text = argv.find((a) => !a.startsWith('-'));
  if (text === undefined) return LARGE_LINES;
  const n = Number(text.replace(/[_,]/g, ''));
  return Number.isInteger(n) && n >= 1000 && n <= 5_000_000 ? n : null;
}

interface Figures {
  readonly lines: number;
  readonly files: number;
  readonly ours: number;
  readonly theirs: number;
  readonly plan: number;
}

async function measure(nginx: string, target: number, runs: number): Promise<Figures> {
  const dir = tempDir('wss-setup-bench-nginx-');
  try {
    const { main: conf, lines, files } = generate(dir.path, target);
    console.log(`\ntree: ${lines} lines in ${files} files`);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let run = 0; run < runs; run++) {
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
      const result = spawnSync(nginx, ['-T', '-q', '-p', `${dir.path}/`, '-e', join(dir.path, 'startup.log'), '-c', conf], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      theirs.push(performance.now() - t1);
      if (result.status !== 0) throw new Error(`nginx -T failed: ${result.stderr}`);
      if (run === 0) console.log(`printed ${bytes} characters; nginx -T dumped ${result.stdout.length}`);
    }
    const a = median(ours);
    const b = median(theirs);
    console.log(`parse + print (wss-setup, lossless, in process): median ${ms(a)} over ${runs} runs`);
    console.log(`nginx -T (parse + dump, new process):            median ${ms(b)} over ${runs} runs`);
    console.log(`ratio wss-setup / nginx -T: ${(a / b).toFixed(2)}  (target ≤ 1.00: ${verdict(a <= b)})`);

    const leaf = makeLeaf(makeCa(), { names: ['bench.example.com'] });
    writeFileSync(join(dir.path, 'bench.crt'), leaf.cert);
    writeFileSync(join(dir.path, 'bench.key'), leaf.key, { mode: 0o600 });
    const plans: number[] = [];
    for (let run = 0; run < Math.max(3, Math.floor(runs / 3)); run++) {
      const t0 = performance.now();
      const result = await runOperation('planNginxProxy', { nginxConf: conf, profile: 'finereport', serverNames: ['bench.example.com'], certPath: join(dir.path, 'bench.crt'), keyPath: join(dir.path, 'bench.key'), httpsPort: 8443 });
      plans.push(performance.now() - t0);
      if (!result.ok) throw new Error(JSON.stringify(result.error));
    }
    const plan = median(plans);
    console.log(`full plan on the same tree (read, edit, diff, nginx -t on a temporary stand-in): median ${ms(plan)}  (target < 1000 ms: ${verdict(plan < 1000)})`);
    return { lines, files, ours: a, theirs: b, plan };
  } finally {
    dir.cleanup();
  }
}

async function main(): Promise<void> {
  const nginx = findNginxBinary(undefined);
  if (nginx === null) {
    console.log('bench:nginx skipped: nginx is not installed (it is the reference of the ratio).');
    return;
  }
  const large = sizeArgument(process.argv.slice(2));
  if (large === null) {
    console.log('bench:nginx: the size is a number of lines from 1000 to 5000000, e.g. npm run bench:nginx -- 100000');
    process.exitCode = 2;
    return;
  }
  const all = [await measure(nginx, BASE_LINES, RUNS), await measure(nginx, large, Math.max(5, Math.floor(RUNS / 3)))];
  console.log('\nsummary');
  for (const f of all) {
    console.log(`  ${String(f.lines).padStart(8)} lines, ${String(f.files).padStart(5)} files: parse + print ${ms(f.ours)}, nginx -T ${ms(f.theirs)}, ratio ${(f.ours / f.theirs).toFixed(2)}; full plan ${ms(f.plan)}`);
  }
}

await main();
