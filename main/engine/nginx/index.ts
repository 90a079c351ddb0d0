/**
 * The nginx module's face (method two): the lossless configuration reader and the config-aware
 * diagnosis the health check registers. Other modules and hosts import only this file; the
 * operation's handler is wired through handlers.ts like every module's.
 */
export { diagnoseNginx } from './diagnose.js';
export { loadTree, type LoadOptions, type LoadResult, type NginxTree } from './load.js';
export { findNginxBinary, nginxTestTree } from './validate.js';
