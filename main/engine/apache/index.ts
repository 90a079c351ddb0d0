/**
 * The apache module's face: the lossless httpd configuration model, its queries, the config-aware
 * diagnosis for `check --apache-conf`, and the apache-proxy planner. Other modules import only this.
 */
export type { ConfFile, Directive, Node, ParseProblem, Section } from './ast.js';
export { loadTree, parseEnvvars, type ApacheTree, type LoadOptions, type LoadResult } from './load.js';
export { parseText } from './parse.js';
export { printFile, fileBytes } from './print.js';
export { selectVirtualHost, selectProxyPass, virtualHosts, listens, proxyPasses, type VhostMatch, type ProxyMatch, type ProxyPassRule } from './query.js';
export { diagnoseApache, loadForDiagnosis, APACHE_FINDING_CODES, type ApacheFindingCode } from './diagnose.js';
export { apacheVersion, findApacheBinary } from './validate.js';
export { apacheHandlers } from './handlers.js';
export { apachePlanValidator } from './plan-validator.js';
