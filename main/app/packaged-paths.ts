import { join } from 'node:path';

/**
 * Where the packaged app finds what cannot live inside app.asar. electron-builder.json copies
 * dist/resources/jdbc-bridge.jar to this name in the resources folder (java cannot read a jar
 * inside an archive); a unit test holds the two together.
 */
export const BRIDGE_RESOURCE = 'jdbc-bridge.jar';

/** The JDBC bridge jar of a packaged app (process.resourcesPath). */
export function packagedBridgeJar(resourcesPath: string): string {
  return join(resourcesPath, BRIDGE_RESOURCE);
}
