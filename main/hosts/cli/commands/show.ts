export { runShow as run } from './history.js';
