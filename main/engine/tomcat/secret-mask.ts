import { SECRET_PLACEHOLDER, secretPlaceholder } from '../../../shared/contract/tomcat.js';
import { escapeAttribute, parseXml, type XmlElement } from './xml-document.js';
import { XmlEditor } from './xml-edit.js';
import { decode, encode, type XmlEncoding } from './xml-encoding.js';

/** Attributes holding passwords (keystores, keys, trust stores, JNDI resources, realms). */
export const isPasswordAttribute = (name: string): boolean => /pass(word)?$/i.test(name) && !/file$/i.test(name);

function passwordValues(root: XmlElement): { el: XmlElement; name: string; value: string }[] {
  const out: { el: XmlElement; name: string; value: string }[] = [];
  const walk = (el: XmlElement) => {
    for (const a of el.attributes) if (isPasswordAttribute(a.name)) out.push({ el, name: a.name, value: a.value });
    for (const c of el.children) walk(c);
  };
  walk(root);
  return out;
}

/**
 * The text of a server.xml with every password replaced by a placeholder: values already in
 * the original file become `keep:<n>` (the n-th password attribute of the original), values
 * not in it must already be placeholders (the planner writes its new passwords that way).
 */
export function maskPasswords(text: string, original: string): string {
  const parsed = parseXml(text);
  const orig = parseXml(original);
  if (!parsed.ok || !orig.ok) throw new Error('maskPasswords: not well-formed');
  const known = passwordValues(orig.doc.root).map((p) => p.value);
  const editor = new XmlEditor(parsed.doc);
  for (const p of passwordValues(parsed.doc.root)) {
    if (new RegExp(SECRET_PLACEHOLDER.source).test(p.value)) continue;
    const k = known.indexOf(p.value);
    editor.setAttribute(p.el, p.name, secretPlaceholder(k >= 0 ? `keep:${k}` : 'unknown'));
  }
  return editor.result();
}

/**
 * Fills a plan's server.xml template: `keep:<n>` from the file on disk (the one the plan was
 * made from), other refs from the secrets given. Returns null when a secret is missing.
 */
export function materializeServerXml(template: string, currentText: string, secrets: Readonly<Record<string, string>>): string | null {
  const cur = parseXml(currentText);
  const known = cur.ok ? passwordValues(cur.doc.root).map((p) => p.value) : [];
  let missing = false;
  const out = template.replace(new RegExp(SECRET_PLACEHOLDER.source, 'g'), (_w, ref: string) => {
    const keep = /^keep:(\d+)$/.exec(ref);
    const value = keep !== null ? known[Number(keep[1])] : secrets[ref];
    if (value === undefined) {
      missing = true;
      return '';
    }
    return escapeAttribute(value);
  });
  return missing ? null : out;
}

/**
 * What apply writes for a plan's server.xml (kind 'server-xml'): the template with its secrets
 * filled, in the file's encoding (a leading U+FEFF becomes the byte-order mark). `current` is the
 * file on disk, already checked against the plan's beforeSha256. Null when a secret is missing.
 */
export function serverXmlApplyBytes(edit: { readonly content: string; readonly encoding: XmlEncoding }, current: Buffer, secrets: Readonly<Record<string, string>>): Buffer | null {
  const bom = edit.content.startsWith('\uFEFF') ? '\uFEFF' : '';
  let currentText = decode(current, edit.encoding);
  if (currentText.startsWith('\uFEFF')) currentText = currentText.slice(1);
  const filled = materializeServerXml(edit.content.slice(bom.length), currentText, secrets);
  return filled === null ? null : encode(bom + filled, edit.encoding);
}

/** The secret references a server.xml template needs from the admin (keep:<n> come from the file itself). */
export function serverXmlSecretRefs(content: string): string[] {
  return [...new Set([...content.matchAll(new RegExp(SECRET_PLACEHOLDER.source, 'g'))].map((m) => m[1]!).filter((r) => !r.startsWith('keep:')))].sort();
}
