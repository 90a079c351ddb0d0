/**
 * services: stop and start (never reload) whatever runs the target — systemd, SysV, Windows
 * services, nginx from its binary, Tomcat/FineReport via catalina scripts, Apache, a plain
 * process — and confirm stopped (process gone, ports closed) and ready (ports and readiness URL
 * answer) within bounded waits. Every command goes through the ProcessPort.
 */
export { adapterFor } from './adapter.js';
export { serviceStatus, startService, stopService, type ServiceTarget, type StopOutcome } from './control.js';
export { portAnswers, urlAnswers } from './probe.js';
export { parseSc, type ScEntry } from './windows.js';
export { splitCommandLine } from './tools.js';
export { DEFAULT_TIMING, type Endpoint, type ServiceAdapter, type ServiceDeps, type ServiceRef, type ServiceStatus, type Timing } from './types.js';
export { realClock, realProcessPort, type ChildHandle, type Clock, type ProcessPort, type RunRequest, type RunResult } from './ports.js';
