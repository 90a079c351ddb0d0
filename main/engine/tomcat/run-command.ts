import { minimalEnv, realProcessPort, type ProcessPort } from '../ports/index.js';

/**
 * The runner shape the tomcat module's functions take (tests pass a recording one), on top of the
 * ProcessPort: argv only, a minimal environment plus the variables given, secrets passed in
 * variables scrubbed from the output. (It replaces certs/runner.ts, which certs no longer has.)
 */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly spawnError?: string;
}

export type CommandRunner = (command: string, args: readonly string[], options?: { readonly env?: Readonly<Record<string, string>>; readonly timeoutMs?: number }) => Promise<CommandResult>;

export function portRunner(port: ProcessPort = realProcessPort): CommandRunner {
  return async (command, args, options = {}) => {
    const result = await port.run({
      command,
      args,
      env: minimalEnv(options.env ?? {}),
      secrets: Object.values(options.env ?? {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    return { code: result.code, stdout: result.stdout, stderr: result.stderr, ...(result.spawnError !== undefined ? { spawnError: result.spawnError } : {}) };
  };
}

export const runCommand: CommandRunner = portRunner();
