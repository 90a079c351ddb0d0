/**
 * bench:certs — generating a local CA + a server certificate signed by it + a PKCS#12 keystore:
 * the engine (runOperation certCa + certServer, PEM and PKCS#12) against the equivalent openssl
 * command sequence (genrsa / req -x509 / genrsa / req / x509 -req / pkcs12 -export), same key
 * sizes (CA RSA 3072, server RSA 2048), same run, interleaved. RSA key generation is random in
 * duration, so each side is measured several times and the medians are compared.
 * Target: the engine is not slower (ratio ≤ 1.0).
 *
 * Second figure: what the safe write costs. The three files of a server certificate (crt, key,
 * p12) written as one set through the FilePort (temp file created exclusively, fsync, mode set on
 * the handle, rename, folder fsync, read back to prove the name holds what was written, undo on
 * failure) against writing and fsyncing the same bytes in place. Information, no target: it is
 * milliseconds next to seconds of key generation.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeFilesAtomically } from '../main/engine/certs/write-files.js';
import { realPorts } from '../main/engine/ports/index.js';
import { runOperation } from '../main/engine/run-operation.js';
import { tempDir } from '../test/harness/temp.js';
import { median, ms, percentile, verdict } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PASSWORD = 'bench-keystore-pw';

async function engineOnce(root: string, i: number): Promise<number> {
  const data = join(root, `engine-data-${i}`);
  const out = join(root, `engine-out-${i}`);
  mkdirSync(out, { recursive: true });
  process.env.WSS_SETUP_DATA_DIR = data;
  const start = performance.now();
  const ca = await runOperation('certCa', { commonName: 'bench CA', keySize: 3072 });
  if (!ca.ok) throw new Error(JSON.stringify(ca.error));
  const server = await runOperation('certServer', { names: ['localhost', '127.0.0.1'], keySize: 2048, outDir: out, formats: ['pem', 'pkcs12'], keystorePassword: PASSWORD });
  if (!server.ok) throw new Error(JSON.stringify(server.error));
  return performance.now() - start;
}

function opensslOnce(root: string, i: number): number {
  const cwd = join(root, `openssl-${i}`);
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(cwd, 'ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n');
  const steps = [
    ['genrsa', '-out', 'ca.key', '3072'],
    ['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '3650', '-subj', '/CN=bench CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'ca.crt'],
    ['genrsa', '-out', 'server.key', '2048'],
    ['req', '-new', '-key', 'server.key', '-subj', '/CN=localhost', '-out', 'server.csr'],
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '825', '-sha256', '-extfile', 'ext.cnf', '-out', 'server.crt'],
    ['pkcs12', '-export', '-in', 'server.crt', '-inkey', 'server.key', '-certfile', 'ca.crt', '-name', 'tomcat', '-passout', `pass:${PASSWORD}`, '-out', 'server.p12'],
  ];
  const start = performance.now();
  for (const args of steps) {
    const r = spawnSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr.toString()}`);
  }
  return performance.now() - start;
}

async function mainBench(): Promise<void> {
  const dir = tempDir('wss-setup-bench-certs-');
  try {
    // Warm-up: module loading and the first openssl start are not part of the comparison.
    await engineOnce(dir.path, -1);
    opensslOnce(dir.path, -1);
    const engine: number[] = [];
    const openssl: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      engine.push(await engineOnce(dir.path, i));
      openssl.push(opensslOnce(dir.path, i));
    }
    const e = median(engine);
    const o = median(openssl);
    const ratio = e / o;
    process.stdout.write(`bench:certs — CA (RSA 3072) + server certificate (RSA 2048, SAN) + PKCS#12, ${RUNS} runs each, interleaved\n`);
    process.stdout.write(`  engine (certCa + certServer)      median ${ms(e)}   p90 ${ms(percentile(engine, 90))}\n`);
    process.stdout.write(`  openssl command sequence (6 runs) median ${ms(o)}   p90 ${ms(percentile(openssl, 90))}\n`);
    process.stdout.write(`  ratio engine / openssl: ${ratio.toFixed(2)}  (target ≤ 1.00: ${verdict(ratio <= 1)})\n`);
  } finally {
    delete process.env.WSS_SETUP_DATA_DIR;
    dir.cleanup();
  }
}

async function writeBench(): Promise<void> {
  const dir = tempDir('wss-setup-bench-certs-write-');
  const files = [
    { name: 'server.crt', content: randomBytes(2600).toString('base64'), secret: false },
    { name: 'server.key', content: randomBytes(1700).toString('base64'), secret: true },
    { name: 'server.p12', content: randomBytes(3200), secret: true },
  ];
  const WRITES = 60;
  try {
    const safe: number[] = [];
    const plain: number[] = [];
    for (let i = -3; i < WRITES; i++) {
      const a = join(dir.path, `safe-${i}`);
      const b = join(dir.path, `plain-${i}`);
      mkdirSync(a);
      mkdirSync(b);
      let start = performance.now();
      await writeFilesAtomically(files.map((f) => ({ path: join(a, f.name), content: f.content, secret: f.secret })), { overwrite: false, lang: 'en' }, realPorts);
      const t1 = performance.now() - start;
      start = performance.now();
      for (const f of files) {
        const fd = openSync(join(b, f.name), 'wx', f.secret ? 0o600 : 0o644);
        writeSync(fd, typeof f.content === 'string' ? Buffer.from(f.content) : f.content);
        fsyncSync(fd);
        closeSync(fd);
      }
      const t2 = performance.now() - start;
      if (i >= 0) {
        safe.push(t1);
        plain.push(t2);
      }
    }
    process.stdout.write(`bench:certs — writing crt + key + p12 as one set, ${WRITES} runs each, interleaved\n`);
    process.stdout.write(`  FilePort set (temp, fsync, fchmod, rename, dir fsync, verify) median ${ms(median(safe))}   p90 ${ms(percentile(safe, 90))}\n`);
    process.stdout.write(`  write + fsync in place (reference)                          median ${ms(median(plain))}   p90 ${ms(percentile(plain, 90))}\n`);
    process.stdout.write(`  ratio: ${(median(safe) / median(plain)).toFixed(2)} (information)\n`);
  } finally {
    dir.cleanup();
  }
}

await mainBench();
await writeBench();
