/** The ports this module runs through (main/engine/ports), re-exported for its users and tests. */
export { realClock, realProcessPort, type ChildHandle, type Clock, type ProcessPort, type RunRequest, type RunResult } from '../ports/index.js';
