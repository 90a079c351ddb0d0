/**
 * The IPC channel names, in one table read by both sides: the preload (bundled, so it can
 * import this file) and the IPC host registered on ipcMain. Nothing else names a channel.
 */
export const IPC_CHANNELS = {
  /** Renderer → main: (operation, input, lang, requestId?) → Result. */
  invoke: 'wss-setup:invoke',
  /** Main → the calling window: (requestId, ProgressEvent). */
  progress: 'wss-setup:progress',
} as const;

/** Prefix of the preload argument that lists the operations (additionalArguments). */
export const OPERATIONS_ARGUMENT = '--wss-setup-operations=';
