/** The detect module's face: what is on this machine (installs, servers, Java) and how each runs. */
export { detect } from './detect.js';
export { detectLinux, LINUX_PLACES, type LinuxPlaces } from './linux.js';
export { detectWindows, WINDOWS_PLACES, type WindowsPlaces } from './windows.js';
export { untrustedReason } from '../ports/index.js';
export { listeningByPid, listProcesses, type ProcInfo } from './linux-processes.js';
