import type { ReactNode } from 'react';
import { PLAN_ISSUE } from '../../../../../shared/contract/certs-inputs.js';
import type { Lang } from '../../../../../shared/contract/common.js';
import type { CertificateAction, CertOutputs, SecretRef } from '../../../../../shared/contract/plan.js';
import { t } from '../../../../../shared/i18n/index.js';

type Row = readonly [label: string, value: ReactNode];

const path = (p: string) => <code>{p}</code>;

/** A keystore password: masked, with the name apply asks for. */
const secret = (lang: Lang, ref: SecretRef) => t(lang, 'wizard.review.cert.password', { name: ref.secretRef });

function outputRows(lang: Lang, outputs: CertOutputs): Row[] {
  const rows: Row[] = [];
  if (outputs.pem) rows.push([t(lang, 'wizard.review.cert.pemCert'), path(outputs.pem.certPath)], [t(lang, 'wizard.review.cert.pemKey'), path(outputs.pem.keyPath)]);
  if (outputs.pkcs12) rows.push([t(lang, 'wizard.review.cert.pkcs12'), <>{path(outputs.pkcs12.path)} — {secret(lang, outputs.pkcs12.password)}</>]);
  if (outputs.jks) rows.push([t(lang, 'wizard.review.cert.jks', { alias: outputs.jks.alias }), <>{path(outputs.jks.path)} — {secret(lang, outputs.jks.password)}</>]);
  return rows;
}

function rowsOf(lang: Lang, action: CertificateAction, caPath: string | null): { title: string; rows: Row[] } {
  switch (action.kind) {
    case 'issue':
      return {
        title: t(lang, 'wizard.review.cert.issue'),
        rows: [
          [t(lang, 'wizard.review.cert.names'), action.names.join(', ')],
          [t(lang, 'wizard.review.cert.ca'), caPath !== null ? <>{t(lang, 'wizard.review.cert.caPath')} {path(caPath)}</> : t(lang, 'wizard.review.cert.caMissing')],
          [t(lang, 'wizard.review.cert.key'), t(lang, 'wizard.review.cert.keyValue', { type: PLAN_ISSUE.keyType, bits: PLAN_ISSUE.keyBits })],
          [t(lang, 'wizard.review.cert.validity'), t(lang, 'wizard.review.cert.validityValue', { days: PLAN_ISSUE.validityDays })],
          ...outputRows(lang, action.outputs),
        ],
      };
    case 'import': {
      const s = action.source;
      const sources: Row[] = [
        ...(s.certPath !== undefined ? [[t(lang, 'wizard.review.cert.pemCert'), path(s.certPath)] as const] : []),
        ...(s.keyPath !== undefined ? [[t(lang, 'wizard.review.cert.pemKey'), path(s.keyPath)] as const] : []),
        ...(s.chainPaths ?? []).map((p) => [t(lang, 'wizard.review.cert.chain'), path(p)] as const),
        ...(s.pkcs12Path !== undefined ? [[t(lang, 'wizard.review.cert.pkcs12'), path(s.pkcs12Path)] as const] : []),
        ...(s.jksPath !== undefined ? [[t(lang, 'wizard.review.cert.keystore', { format: 'JKS' }), path(s.jksPath)] as const] : []),
        ...(s.password !== undefined ? [[t(lang, 'wizard.review.cert.sourcePassword'), secret(lang, s.password)] as const] : []),
      ];
      return { title: t(lang, 'wizard.review.cert.import'), rows: [...sources.map(([label, value]): Row => [`${t(lang, 'wizard.review.cert.from')} ${label}`, value]), ...outputRows(lang, action.outputs)] };
    }
    case 'use-existing':
      return {
        title: t(lang, 'wizard.review.cert.existing'),
        rows: [
          ...(action.certPath !== undefined ? [[t(lang, 'wizard.review.cert.pemCert'), path(action.certPath)] as const] : []),
          ...(action.keyPath !== undefined ? [[t(lang, 'wizard.review.cert.pemKey'), path(action.keyPath)] as const] : []),
          ...(action.keystorePath !== undefined ? [[t(lang, 'wizard.review.cert.keystore', { format: action.keystoreFormat ?? 'PKCS12' }), path(action.keystorePath)] as const] : []),
        ],
      };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** The plan's certificate actions for people: what is issued or used, by which CA, key, validity, files and formats; passwords masked. */
export function CertificateActions({ certificates, lang, caPath }: { readonly certificates: readonly CertificateAction[]; readonly lang: Lang; readonly caPath: string | null }) {
  if (certificates.length === 0) return null;
  return (
    <>
      <h3>{t(lang, 'plan.render.certificates')}</h3>
      {certificates.map((action, i) => {
        const { title, rows } = rowsOf(lang, action, caPath);
        return (
          <section key={i} className="wss-cert-action" data-kind={action.kind} data-testid="plan-certificate">
            <h4>{title}</h4>
            <dl className="wss-kv">
              {rows.map(([label, value], j) => (
                <div key={j}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </section>
        );
      })}
    </>
  );
}
