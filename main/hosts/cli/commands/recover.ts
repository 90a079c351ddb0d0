export { runRecover as run, RECOVER_HELP as HELP } from './rollback.js';
