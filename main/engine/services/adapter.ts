import { apacheAdapter } from './apache.js';
import { catalinaAdapter } from './catalina.js';
import { nginxBinaryAdapter } from './nginx-binary.js';
import { processAdapter } from './process-pid.js';
import { systemdAdapter } from './systemd.js';
import { sysvAdapter } from './sysv.js';
import type { ServiceAdapter, ServiceDeps, ServiceRef } from './types.js';
import { windowsAdapter } from './windows.js';

/** The adapter for a service reference (named in the plan or found by detection). */
export function adapterFor(ref: ServiceRef, deps: ServiceDeps): ServiceAdapter {
  switch (ref.kind) {
    case 'systemd':
      return systemdAdapter(ref, deps);
    case 'sysv':
      return sysvAdapter(ref, deps);
    case 'windows':
      return windowsAdapter(ref, deps);
    case 'nginx':
      return nginxBinaryAdapter(ref, deps);
    case 'catalina':
      return catalinaAdapter(ref, deps);
    case 'apache':
      return apacheAdapter(ref, deps);
    case 'process':
      return processAdapter(ref, deps);
    default: {
      const never: never = ref;
      throw new Error(`unknown service kind ${JSON.stringify(never)}`);
    }
  }
}
