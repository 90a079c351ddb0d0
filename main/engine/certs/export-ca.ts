import type * as z from '../../../shared/contract/z.js';
import type { CertExportInputSchema, CertExportOutput } from '../../../shared/contract/certs.js';
import type { OpContext } from '../common/context.js';
import { summarize } from './describe.js';
import { requireLocalCa } from './local-ca.js';
import { writeFilesAtomically } from './write-files.js';

export type ExportRequest = z.output<typeof CertExportInputSchema>;

/** The `certExport` operation: the local CA certificate (public, never its key) as .crt for client machines. */
export async function certExport(input: ExportRequest, ctx: OpContext): Promise<CertExportOutput> {
  const ca = await requireLocalCa(ctx.ports.fs);
  const content = input.format === 'der' ? ca.x509.raw : ca.x509.toString();
  await writeFilesAtomically([{ path: input.outFile, content, secret: false }], { overwrite: input.overwrite, lang: ctx.lang }, ctx.ports);
  return { path: input.outFile, certificate: summarize(ca.x509) };
}
