/**
 * The certs module's face: what other engine modules may use. Operations are reached through
 * the contract (runOperation); these are the pieces planners need to name certificate files.
 */
export { certsHandlers } from './handlers.js';
export { findKeytool, requireKeytool } from './keytool.js';
export { localCaPaths, type LocalCaPaths } from './local-ca.js';
export { checkIssueForPlan, issuedPaths, issueForPlan, type IssueForPlan } from './issue-for-plan.js';
