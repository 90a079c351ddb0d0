import type { FilePort, Ports, ProcessPort } from '../ports/index.js';
import { formatCommand, scrubSecrets } from '../ports/index.js';

/** What an operation did to the machine through its ports, so an unexpected error can say so truthfully. */
export interface SideEffects {
  /** Files written (and not undone). */
  readonly written: string[];
  /** Files removed. */
  readonly removed: string[];
  /** Folders created. */
  readonly folders: string[];
  /** Programs run or started (secrets scrubbed); they may have changed the system. */
  readonly commands: string[];
}

export const noSideEffects = (effects: SideEffects): boolean =>
  effects.written.length === 0 && effects.removed.length === 0 && effects.folders.length === 0 && effects.commands.length === 0;

const MAX_COMMAND = 300;

/** Wraps ports so that every write, removal, folder and process made through them is recorded. */
export function recordingPorts(ports: Ports): { readonly ports: Ports; readonly effects: SideEffects } {
  const effects: SideEffects = { written: [], removed: [], folders: [], commands: [] };
  const base = ports.fs;
  const fs: FilePort = {
    readFile: (path, options) => base.readFile(path, options),
    readText: (path, options) => base.readText(path, options),
    lstat: (path) => base.lstat(path),
    readDir: (path) => base.readDir(path),
    readLink: (path) => base.readLink(path),
    symlink: async (target, path) => {
      await base.symlink(target, path);
      effects.written.push(path);
    },
    writeAtomic: async (path, data, options) => {
      const receipt = await base.writeAtomic(path, data, options);
      effects.written.push(path);
      return {
        ...receipt,
        undo: async () => {
          await receipt.undo();
          const at = effects.written.lastIndexOf(path);
          if (at >= 0) effects.written.splice(at, 1);
        },
      };
    },
    mkdir: async (path, options) => {
      const existed = (await base.lstat(path).catch(() => null)) !== null;
      await base.mkdir(path, options);
      if (!existed) effects.folders.push(path);
    },
    remove: async (path) => {
      const existed = (await base.lstat(path).catch(() => null)) !== null;
      await base.remove(path);
      if (existed) effects.removed.push(path);
    },
  };
  const note = (command: string, args: readonly string[], secrets: readonly string[] | undefined) =>
    effects.commands.push(scrubSecrets(formatCommand(command, args), secrets).slice(0, MAX_COMMAND));
  const process: ProcessPort = {
    run: (request) => {
      note(request.command, request.args, request.secrets);
      return ports.process.run(request);
    },
    start: (request) => {
      note(request.command, request.args, request.secrets);
      return ports.process.start(request);
    },
  };
  return { ports: { ...ports, fs, process }, effects };
}
