import * as z from './z.js';
import { AbsolutePathSchema } from './common.js';
import { defineOperation } from './operation.js';

/**
 * The detect module: what is on this machine that wss-setup can work on — FineReport / FineBI /
 * FineDataLink installs, Tomcat instances, nginx, Apache httpd and Java — and for each, how it
 * runs (systemd unit, SysV script, Windows service, a plain process) and which ports it listens
 * on. Read-only: detection never changes anything, and never runs a program that an account
 * other than root (or the one running wss-setup) could have replaced.
 */
export const DetectInputSchema = z.strictObject({
  /** More folders to look in (an install outside the usual places, e.g. /data/FineReport_11.0). */
  roots: z.array(AbsolutePathSchema).max(32, { message: 'input.detect.roots.many' }).default([]),
});

/** How a thing is run. A thing may be known several ways (a unit file, and the process it started). */
export type RunsAs =
  | { readonly kind: 'systemd'; readonly unit: string; readonly active: boolean | null; readonly user?: string }
  | { readonly kind: 'sysv'; readonly script: string }
  | { readonly kind: 'windows'; readonly name: string; readonly state: string | null; readonly startType: string | null; readonly account: string | null; readonly binaryPath: string | null }
  | { readonly kind: 'process'; readonly pid: number; readonly user: string | null; readonly commandLine: string };

export interface Listening {
  readonly address: string;
  readonly port: number;
}

export interface DetectedConnector {
  readonly port: number | null;
  readonly protocol: string;
  readonly secure: boolean;
  readonly address: string | null;
  readonly redirectPort: number | null;
  readonly line: number;
}

export interface DetectedTomcat {
  readonly home: string | null;
  readonly base: string;
  readonly version: string | null;
  readonly serverXml: string;
  readonly connectors: readonly DetectedConnector[];
  /** The java the running instance uses (from its process), when known. */
  readonly java: string | null;
  readonly runs: readonly RunsAs[];
  readonly listening: readonly Listening[];
  /** Account that owns the base folder (the service account, usually). */
  readonly owner: string | null;
}

export interface DetectedProduct {
  readonly dir: string;
  readonly product: 'finereport' | 'finebi' | 'finedatalink';
  readonly version: string | null;
  readonly jarDate: string | null;
  readonly containerWebSocket: boolean;
  readonly finedb: 'embedded-hsqldb' | 'external' | 'sqlite';
  /** The Tomcat base that serves it, when it is inside one. */
  readonly tomcatBase: string | null;
  /** An EXE-installed designer or FineBI desktop edition: HTTPS cannot be configured (seed 000). */
  readonly desktopEdition: boolean;
}

export interface DetectedNginx {
  readonly binary: string;
  readonly version: string | null;
  readonly conf: string | null;
  readonly prefix: string | null;
  readonly modules: readonly string[];
  readonly runs: readonly RunsAs[];
  readonly listening: readonly Listening[];
  /** Why the binary was not run for its version (owned or writable by another account). */
  readonly notRun?: string;
}

export interface DetectedApache {
  readonly binary: string;
  readonly version: string | null;
  readonly conf: string | null;
  readonly layout: 'debian' | 'rhel' | 'windows' | 'other';
  readonly runs: readonly RunsAs[];
  readonly listening: readonly Listening[];
  readonly notRun?: string;
}

export interface DetectedJava {
  readonly home: string;
  readonly version: string | null;
  /** True when only root (or the running account) can change it: safe for wss-setup to run. */
  readonly trusted: boolean;
}

export interface DetectNote {
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export interface DetectOutput {
  readonly platform: 'linux' | 'win32' | 'other';
  readonly products: readonly DetectedProduct[];
  readonly tomcats: readonly DetectedTomcat[];
  readonly nginx: readonly DetectedNginx[];
  readonly apache: readonly DetectedApache[];
  readonly java: readonly DetectedJava[];
  readonly notes: readonly DetectNote[];
}

export const detectOperations = {
  /** Finds installs, servers and Java on this machine and how each runs; changes nothing. */
  detect: defineOperation<DetectOutput>()({
    input: DetectInputSchema,
    errors: ['INVALID_INPUT', 'DETECT_UNSUPPORTED_PLATFORM'],
    progress: true,
  }),
} as const;
