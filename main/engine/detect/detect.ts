import type { DetectOutput } from '../../../shared/contract/detect.js';
import type { RequestOf } from '../../../shared/contract/index.js';
import { t } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { detectLinux } from './linux.js';
import { detectWindows } from './windows.js';

/** The `detect` operation: what is on this machine, and how it runs. Reads only. */
export async function detect(input: RequestOf<'detect'>, ctx: OpContext): Promise<DetectOutput> {
  ctx.onProgress({ operation: 'detect', step: 'progress.detect.scan', message: t(ctx.lang, 'progress.detect.scan') });
  if (process.platform === 'win32') return detectWindows(input.roots, ctx.ports);
  if (process.platform === 'linux') return detectLinux(input.roots, ctx.ports);
  return { platform: 'other', products: [], tomcats: [], nginx: [], apache: [], java: [], notes: [{ code: 'DETECT_UNSUPPORTED_PLATFORM', params: { platform: process.platform } }] };
}
