/**
 * The health module's face: the live WSS check, the registry config-aware diagnosers plug into,
 * and what other modules use (the CA file reader, the "expires soon" threshold).
 */
export { check, readCaFile } from './check.js';
export { EXPIRES_SOON_DAYS } from './certificate.js';
export { configDiagnoser, registerConfigDiagnoser, type ConfigDiagnoser, type ConfigKind, type DiagnoseUrl } from './config-diagnosers.js';
