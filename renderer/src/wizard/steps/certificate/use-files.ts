import type { OutputFile } from '../../../../../shared/contract/certs-outputs.js';
import type { CertChoice } from '../../state.js';

/**
 * Files the Certificates panel wrote (an import, or a certificate it issued when asked) as the
 * step's "files I already have": the PEM pair, the keystore. Null when they hold nothing the plan
 * can serve (a CSR and its key alone).
 */
export function filesForPlan(files: readonly OutputFile[]): Pick<CertChoice, 'mode' | 'certPath' | 'keyPath' | 'keystore'> | null {
  const path = (kind: OutputFile['kind']) => files.find((f) => f.kind === kind)?.path ?? '';
  const certPath = path('certificate');
  const keyPath = path('key');
  const keystore = path('pkcs12') || path('jks');
  const pair = certPath !== '' && keyPath !== '';
  if (!pair && keystore === '') return null;
  return { mode: 'existing', certPath: pair ? certPath : '', keyPath: pair ? keyPath : '', keystore };
}
