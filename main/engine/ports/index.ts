/**
 * The ports every engine side effect goes through (OpContext.ports): processes, files, time.
 * Tests substitute them to inject faults (test/harness/faulty-ports.ts); a later remote target
 * (SSH) implements the same interfaces.
 */
import { realClock, type Clock } from './clock.js';
import { realFilePort, type FilePort } from './fs.js';
import { realProcessPort, type ProcessPort } from './process.js';

export interface Ports {
  readonly process: ProcessPort;
  readonly fs: FilePort;
  readonly clock: Clock;
}

export const realPorts: Ports = { process: realProcessPort, fs: realFilePort, clock: realClock };

export type { Clock } from './clock.js';
export { realClock } from './clock.js';
export type { FilePort, FileState, ReadOptions, WriteOptions, WriteReceipt } from './fs.js';
export { DEFAULT_MAX_READ, foreignWriter, realFilePort, sha256Hex } from './fs.js';
export type { ChildHandle, ProcessPort, RunRequest, RunResult, StartRequest } from './process.js';
export { formatCommand, minimalEnv, realProcessPort, resolveProgram, scrubSecrets, SYSTEM_PATH } from './process.js';
export { untrustedReason, untrustedReasonSync } from './trusted.js';
