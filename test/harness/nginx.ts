import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startProcess, type Managed } from './process.js';
import { waitForPort } from './ports.js';
import { tempDir } from './temp.js';

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export interface NginxInstance {
  readonly prefix: string;
  readonly confPath: string;
  readonly process: Managed;
  stop: () => Promise<void>;
}

/** The lines every harness-generated nginx.conf needs to run as a plain process inside `prefix`. */
export function nginxPreamble(prefix: string): string {
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 256; }
`;
}

/** Temp paths inside the prefix so workers never touch /var/lib/nginx. */
export function nginxHttpPreamble(prefix: string): string {
  return `  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
`;
}

/**
 * Starts real nginx with a generated nginx.conf whose http block is `httpBlock`.
 * `files` are written below the prefix first (certificates, includes). Waits for `ports`.
 */
export async function startNginx(options: { httpBlock: string; ports: readonly number[]; files?: Readonly<Record<string, string>> }): Promise<NginxInstance> {
  const dir = tempDir('wss-setup-nginx-');
  const prefix = dir.path;
  for (const [name, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(prefix, name)), { recursive: true });
    writeFileSync(join(prefix, name), content, { mode: 0o600 });
  }
  const conf = `${nginxPreamble(prefix)}http {\n${nginxHttpPreamble(prefix)}${options.httpBlock}\n}\n`;
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, conf);
  const instance = await runNginx(prefix, confPath, options.ports);
  return { ...instance, stop: async () => { await instance.stop(); dir.cleanup(); } };
}

/** Starts nginx on an existing configuration file (which must not set `daemon`). */
export async function runNginx(prefix: string, confPath: string, ports: readonly number[], globalDirectives = ''): Promise<NginxInstance> {
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const test = nginxTest(prefix, confPath, globalDirectives);
  if (!test.ok) throw new Error(`nginx -t failed:\n${test.output}`);
  const args = ['-p', `${prefix}/`, '-c', confPath, ...(globalDirectives !== '' ? ['-g', globalDirectives] : [])];
  const proc = startProcess(NGINX_BIN, args);
  try {
    for (const port of ports) await waitForPort(port, 15_000, proc.alive);
  } catch (error) {
    await proc.stop();
    throw new Error(`nginx did not start: ${(error as Error).message}\n${proc.output()}`);
  }
  return { prefix, confPath, process: proc, stop: () => proc.stop() };
}

/** `nginx -t` on a configuration; the output names file and line on failure. */
export function nginxTest(prefix: string, confPath: string, globalDirectives = ''): { ok: boolean; output: string } {
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const args = ['-t', '-q', '-p', `${prefix}/`, '-c', confPath, ...(globalDirectives !== '' ? ['-g', globalDirectives] : [])];
  const result = spawnSync(NGINX_BIN, args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export const nginxAvailable = (): boolean => existsSync(NGINX_BIN);

/** `nginx -T`: the configuration exactly as nginx reads it (every file, includes expanded), or throws with nginx's message. */
export function nginxDump(prefix: string, confPath: string): string {
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const result = spawnSync(NGINX_BIN, ['-T', '-q', '-p', `${prefix}/`, '-c', confPath], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`nginx -T failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}
