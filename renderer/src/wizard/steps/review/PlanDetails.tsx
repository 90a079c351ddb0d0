import type { Lang } from '../../../../../shared/contract/common.js';
import type { Plan } from '../../../../../shared/contract/plan.js';
import { t, tIfKnown } from '../../../../../shared/i18n/index.js';
import { noteMessage, planText, rowValueText } from '../../../../../shared/i18n/plan-text.js';
import { CertificateActions } from './CertificateActions.js';
import { DiffView } from './DiffView.js';

/** The whole plan for people: diffs, certificates issued or used, FineDB rows old → new (secrets masked), services, checks, notes, validation. */
export function PlanDetails({ plan, lang, caPath = null }: { readonly plan: Plan; readonly lang: Lang; readonly caPath?: string | null }) {
  return (
    <div className="wss-plan" data-testid="plan">
      {plan.notes.length > 0 && (
        <ul className="wss-notes">
          {plan.notes.map((note, i) => {
            // The wizard's own wording where the planner's names a CLI option (the field or step to use instead).
            const planner = noteMessage(lang, note);
            const message = tIfKnown(lang, `wizard.note.${note.code}`, note.params) ?? planner.message;
            const fix = tIfKnown(lang, `wizard.note.${note.code}.fix`, note.params) ?? planner.fix;
            return (
              <li key={`${note.code}-${i}`} className={`wss-note-${note.severity}`} data-code={note.code}>
                {message}
                {fix !== null && <span className="wss-fix"> {fix}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {plan.files.length > 0 && <h3>{t(lang, 'plan.render.files')}</h3>}
      {plan.files.map((file) => (
        <section key={file.path} className="wss-file">
          <h4>
            <code>{file.path}</code> — {t(lang, `plan.render.file.${file.action}`, { target: file.linkTarget ?? '' })}: {planText(lang, file.reason)}
          </h4>
          {file.diff !== '' && <DiffView file={file} />}
        </section>
      ))}
      <CertificateActions certificates={plan.certificates} lang={lang} caPath={caPath} />
      {plan.fineDbRows.length > 0 && (
        <>
          <h3>{t(lang, 'plan.render.rows')}</h3>
          <table className="wss-rows" data-testid="finedb-rows">
            <thead>
              <tr>
                <th scope="col">{t(lang, 'wizard.review.id')}</th>
                <th scope="col">{t(lang, 'wizard.review.old')}</th>
                <th scope="col">{t(lang, 'wizard.review.new')}</th>
              </tr>
            </thead>
            <tbody>
              {plan.fineDbRows.map((row) => (
                <tr key={`${row.install}-${row.id}`}>
                  <th scope="row">
                    <code>{row.id}</code>
                  </th>
                  <td className="wss-diff-del">{rowValueText(lang, row.before, 'before')}</td>
                  <td className="wss-diff-add">{rowValueText(lang, row.after, 'after')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {plan.services.length > 0 && (
        <>
          <h3>{t(lang, 'plan.render.services')}</h3>
          <ul>
            {plan.services.map((s) => (
              <li key={s.id}>
                <strong>{s.id}</strong> ({s.service.kind}): {planText(lang, s.reason)} — {t(lang, 'plan.render.service.ready', { ports: s.ready.map((r) => `${r.host}:${r.port}`).join(', ') })}
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.checks.length > 0 && (
        <>
          <h3>{t(lang, 'plan.render.checks')}</h3>
          <ul>
            {plan.checks.map((c) => (
              <li key={c.url}>
                <code>{c.url}</code> — {planText(lang, c.proves)}
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.validations.map((v, i) =>
        v.tool === 'none' ? null : (
          <p key={i} className={v.ok ? 'wss-note-info' : 'wss-note-error'}>
            {t(lang, v.ok ? 'plan.render.validated' : 'plan.render.validationFailed', { tool: v.tool })}
            {!v.ok && <pre>{v.output}</pre>}
          </p>
        ),
      )}
    </div>
  );
}
