import type { CliIO } from '../../main/hosts/cli/io.js';
import { main } from '../../main/hosts/cli/main.js';

/** The CLI run in this process as a terminal would (not interactive): exit code and everything it printed. */
export async function runCli(argv: string[], options: { readonly lang?: 'en' | 'zh-CN'; readonly env?: Record<string, string | undefined> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { lang: options.lang ?? 'en', stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false, env: options.env ?? {} };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
