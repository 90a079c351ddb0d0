export { runShow as run, SHOW_HELP as HELP } from './history.js';
