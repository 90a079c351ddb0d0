import type { Clock, ProcessPort } from './ports.js';

/** How a service is run: the plan's ServiceRef (shared/contract/plan.ts). */
export type { ServiceRef } from '../../../shared/contract/plan.js';
import type { ServiceRef } from '../../../shared/contract/plan.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** A readiness URL (http/https) answered once the application is up. */
  readonly url?: string;
}

/** What the services module needs from the outside world. */
export interface ServiceDeps {
  readonly process: ProcessPort;
  readonly clock: Clock;
  readonly platform?: NodeJS.Platform;
  /** Absolute paths of system tools (systemctl, service, sc.exe, kill); defaults per platform. */
  readonly tools?: Partial<Tools>;
  /** Environment handed to service scripts (JAVA_HOME…); PATH and LANG are always set. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface Tools {
  readonly systemctl: string;
  readonly service: string;
  readonly sc: string;
  readonly kill: string;
  readonly tasklist: string;
}

export interface Timing {
  /** Bounded wait for "stopped" (process gone and ports closed). */
  readonly stopTimeoutMs: number;
  /** Bounded wait for "ready" (ports answer; readiness URL answers). */
  readonly startTimeoutMs: number;
  readonly pollMs: number;
}

export const DEFAULT_TIMING: Timing = { stopTimeoutMs: 60_000, startTimeoutMs: 120_000, pollMs: 50 };

/** What a service manager says about a service right now. */
export interface ServiceStatus {
  /** True while the manager (or the process table) says it runs. */
  readonly running: boolean;
  /** Processes that must be gone before the service counts as stopped. */
  readonly pids: readonly number[];
}

/** One way of running a service: issue stop/start and ask for its state. Never reload. */
export interface ServiceAdapter {
  readonly describe: string;
  status(): Promise<ServiceStatus>;
  stop(): Promise<void>;
  /** Issues the start; returns the reference to use from now on when it changed (a plain process's new pid). */
  start(): Promise<ServiceRef | void>;
  /** Other services to stop first and start after (Windows dependents). */
  dependents?(): Promise<readonly ServiceRef[]>;
  /** Last resort when the bounded wait runs out (SIGKILL of the known pids); absent where it makes no sense. */
  forceStop?(pids: readonly number[]): Promise<void>;
}
