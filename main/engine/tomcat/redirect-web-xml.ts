import { createHash } from 'node:crypto';
import type { FileEdit, PlanValidation } from '../../../shared/contract/plan.js';
import type { Lang } from '../../../shared/contract/common.js';
import { EngineError } from '../common/engine-error.js';
import type { FilePort } from '../ports/index.js';
import { unifiedDiff } from '../common/unified-diff.js';
import { decodeXml, encodeXml } from './xml-encoding.js';
import { descendants, parseXml, type XmlElement } from './xml-document.js';
import { XmlEditor } from './xml-edit.js';
import { describeErrno } from '../common/errno.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const text = (el: XmlElement, doc: string) => doc.slice(el.startTagEnd, el.endTagStart).trim();

/**
 * The HTTP → HTTPS redirect, Tomcat's own way: a CONFIDENTIAL transport guarantee for every URL
 * in CATALINA_BASE/conf/web.xml (the defaults every web application inherits, which product
 * upgrades do not replace), so Tomcat answers plain-HTTP requests with a redirect to the HTTP
 * connector's redirectPort. Inserted as the last element of <web-app>, only the inserted lines
 * change; already present (any CONFIDENTIAL constraint on /*) means no change.
 */
export async function planRedirect(fs: FilePort, webXmlPath: string, lang: Lang): Promise<{ edit: FileEdit | null; validation: PlanValidation | null }> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(webXmlPath, { maxBytes: 16 * 1024 * 1024 });
  } catch (error) {
    const code = error instanceof EngineError ? String(error.evidence.errno ?? error.code) : 'EIO';
    throw new EngineError('TOMCAT_WEB_XML_UNREADABLE', { path: webXmlPath, reason: describeErrno(code, lang) }, { path: webXmlPath, errno: code });
  }
  const decoded = decodeXml(bytes);
  if (!decoded.ok) throw new EngineError('TOMCAT_WEB_XML_INVALID', { file: webXmlPath, line: 1, column: 1, detail: decoded.problem.reason }, { file: webXmlPath });
  const parsed = parseXml(decoded.value.text);
  if (!parsed.ok) throw new EngineError('TOMCAT_WEB_XML_INVALID', { file: webXmlPath, line: parsed.error.line, column: parsed.error.column, detail: parsed.error.detail }, { file: webXmlPath, line: parsed.error.line, column: parsed.error.column });
  const doc = parsed.doc;
  if (doc.root.name !== 'web-app') throw new EngineError('TOMCAT_WEB_XML_INVALID', { file: webXmlPath, line: 1, column: 1, detail: `<${doc.root.name}>` }, { file: webXmlPath });
  const present = descendants(doc.root, 'security-constraint').some(
    (sc) => descendants(sc, 'transport-guarantee').some((g) => text(g, doc.text) === 'CONFIDENTIAL') && descendants(sc, 'url-pattern').some((p) => text(p, doc.text) === '/*'),
  );
  if (present) return { edit: null, validation: null };
  const editor = new XmlEditor(doc);
  editor.insertChild(
    doc.root,
    [
      '<!-- Added by wss-setup: every page over HTTPS. Tomcat redirects plain HTTP to the connector\'s redirectPort. -->',
      '<security-constraint>',
      '    <web-resource-collection>',
      '        <web-resource-name>wss-setup: HTTPS only</web-resource-name>',
      '        <url-pattern>/*</url-pattern>',
      '    </web-resource-collection>',
      '    <user-data-constraint>',
      '        <transport-guarantee>CONFIDENTIAL</transport-guarantee>',
      '    </user-data-constraint>',
      '</security-constraint>',
    ].join('\n'),
    doc.root.children.at(-1) ?? null,
  );
  const after = editor.result();
  const reparsed = parseXml(after);
  const bom = decoded.value.bom.length > 0 ? '\uFEFF' : '';
  return {
    edit: {
      path: webXmlPath,
      action: 'modify',
      kind: 'web-xml',
      beforeSha256: sha256(bytes),
      afterSha256: sha256(encodeXml(decoded.value, after)),
      content: bom + after,
      encoding: decoded.value.encoding,
      lineEnding: doc.lineEnding,
      diff: unifiedDiff(doc.text, after, `a${webXmlPath}`, `b${webXmlPath}`),
      owned: false,
      reason: { code: 'tomcat.reason.redirect', params: {} },
    },
    validation: { tool: 'xml', ok: reparsed.ok, output: reparsed.ok ? '' : `${reparsed.error.line}:${reparsed.error.column}: ${reparsed.error.detail}` },
  };
}
