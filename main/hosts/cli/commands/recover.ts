export { runRecover as run } from './rollback.js';
