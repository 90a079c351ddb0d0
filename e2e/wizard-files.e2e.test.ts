import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSelfSigned } from '../test/harness/certs.js';
import { makeKeystore } from '../test/harness/tomcat-base.js';
import { tempDir } from '../test/harness/temp.js';
import { axeProblems, openWizardBrowser, requireBuilt, ROOT, type ServeProcess, startServe } from './harness.js';

/**
 * Files moving through the browser in serve mode (the admin's files are on the desktop at the other
 * end of `ssh -L`): a PEM certificate + key uploaded at the Certificate step's "files I already
 * have" path (method two), a PFX and a JKS at method one's keystore field and at the Certificates tools'
 * import path (then read by the engine), a file that is not what its name says refused; ca.crt and
 * a CSR downloaded. Each file that arrives is compared byte for byte (sha256) and parsed.
 */
const dir = tempDir('wss-setup-wizard-files-');
const artifacts = join(ROOT, 'artifacts', 'wizard');
const PFX_PASSWORD = 'pfx-Upload-pw1';
const NAME = 'reports.example.com';
let serve: ServeProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pem: { cert: Buffer; key: Buffer };
let pfx: Buffer;
let jks: Buffer;

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  requireBuilt();
  mkdirSync(artifacts, { recursive: true });
  const made = makeSelfSigned({ names: [NAME] });
  pem = { cert: Buffer.from(made.cert), key: Buffer.from(made.key) };
  const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(made.key), [forge.pki.certificateFromPem(made.cert)], PFX_PASSWORD, { algorithm: '3des', friendlyName: 'reports' });
  pfx = Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
  makeKeystore(join(dir.path, 'server.jks'), PFX_PASSWORD, 'JKS', NAME);
  jks = readFileSync(join(dir.path, 'server.jks'));
  // A target to work on (typed, as an admin does when detection finds nothing): never planned here.
  mkdirSync(join(dir.path, 'nginx'));
  writeFileSync(join(dir.path, 'nginx', 'nginx.conf'), 'events {}\nhttp {}\n');
  mkdirSync(join(dir.path, 'tomcat', 'conf'), { recursive: true });
  writeFileSync(join(dir.path, 'tomcat', 'conf', 'server.xml'), '<Server port="-1"><Service name="Catalina"/></Server>\n');
  mkdirSync(join(dir.path, 'csr'));
  serve = await startServe([], { WSS_SETUP_DATA_DIR: join(dir.path, 'data') });
  ({ browser, context, page } = await openWizardBrowser());
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await serve?.stop();
  dir.cleanup();
});


/** Uploads through the file input next to a field; returns the server path the page shows and puts in the field. */
async function upload(inputId: string, name: string, buffer: Buffer, field: string): Promise<string> {
  await page.locator(`#${inputId}`).setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  const status = page.locator(`#${inputId} ~ [role="status"]`);
  await status.waitFor({ timeout: 20_000 });
  const path = ((await status.textContent()) ?? '').replace(/^Uploaded to /, '');
  expect(path.startsWith('/')).toBe(true);
  expect(await page.locator(field).inputValue()).toBe(path);
  return path;
}

/** What arrived on the server: the same bytes, private to the server's account (0600). */
function arrived(path: string, sent: Buffer): Buffer {
  const bytes = readFileSync(path);
  expect(sha(bytes)).toBe(sha(sent));
  expect(statSync(path).mode & 0o777).toBe(0o600);
  return bytes;
}

const next = () => page.getByTestId('next').click();

describe('files through the browser (serve mode)', () => {
  it('a PEM certificate + key uploaded at "files I already have" (method two) arrive byte for byte; a file that is not what its name says is refused', async () => {
    await page.goto(serve.url);
    await page.getByRole('heading', { name: '1. Detect' }).waitFor();
    await page.getByLabel('nginx.conf (absolute path)').fill(join(dir.path, 'nginx', 'nginx.conf'));
    await page.getByLabel('Tomcat base folder, holding conf/server.xml (absolute path)').fill(join(dir.path, 'tomcat'));
    await next();
    await page.getByRole('radio', { name: /Method two/ }).check();
    await next();
    await page.getByRole('heading', { name: '3. Certificate' }).waitFor();
    await page.getByRole('radio', { name: 'Files I already have' }).check();

    const certPath = await upload('cert-certPath-upload', 'reports.crt', pem.cert, '#cert-certPath');
    const keyPath = await upload('cert-keyPath-upload', 'reports.key', pem.key, '#cert-keyPath');
    expect(new X509Certificate(arrived(certPath, pem.cert)).subjectAltName).toBe(`DNS:${NAME}`);
    expect(forge.pki.privateKeyFromPem(arrived(keyPath, pem.key).toString()).n.equals((forge.pki.certificateFromPem(pem.cert.toString()).publicKey as forge.pki.rsa.PublicKey).n)).toBe(true);
    expect(keyPath).not.toBe(certPath);

    // Binary bytes under a .pem name: refused with what to do; the field keeps the good file.
    await page.locator('#cert-certPath-upload').setInputFiles({ name: 'reports.pem', mimeType: 'application/octet-stream', buffer: pfx });
    const refused = page.locator('#cert-certPath-upload ~ [role="alert"]');
    await refused.waitFor({ timeout: 20_000 });
    expect(await refused.textContent()).toContain('The file is not what its name says');
    expect(await page.locator('#cert-certPath').inputValue()).toBe(certPath);

    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'files-pem-upload-en.png'), fullPage: true });
  });

  it('a PFX (and a JKS) uploaded at method one\'s keystore field, and a PFX at the import path, arrive byte for byte and open with their password; the engine reads it', async () => {
    await page.getByRole('button', { name: '2 Method' }).click();
    await page.getByRole('radio', { name: /Method one/ }).check();
    await next();
    await page.getByRole('heading', { name: '3. Certificate' }).waitFor();
    await page.getByRole('radio', { name: 'Files I already have' }).check();
    const keystorePath = await upload('cert-keystore-upload', 'server.pfx', pfx, '#cert-keystore');
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(arrived(keystorePath, pfx).toString('binary'))), PFX_PASSWORD);
    const bags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
    expect(bags[0]?.cert?.subject.getField('CN')?.value).toBe(NAME);

    // A Java keystore replaces it in the same field (JKS magic 0xFEEDFEED checked by the server).
    const jksPath = await upload('cert-keystore-upload', 'server.jks', jks, '#cert-keystore');
    expect(arrived(jksPath, jks).readUInt32BE(0)).toBe(0xfeedfeed);
    expect(jksPath).not.toBe(keystorePath);

    // The import path of the Certificates tools: upload, then "Check only" has the engine open it.
    await page.locator('details.wss-tools > summary').click();
    await page.getByRole('button', { name: 'Import existing' }).click();
    await page.getByLabel('What do you have?').selectOption('pkcs12');
    const imported = await upload('import-sourceFile-upload', 'company.p12', pfx, 'label:has-text("Keystore file") input');
    arrived(imported, pfx);
    await page.getByLabel('Passphrase / password of the file').fill(PFX_PASSWORD);
    await page.getByRole('button', { name: 'Check only' }).click();
    const inspected = page.locator('.wss-certificates article.wss-endpoint');
    await inspected.waitFor({ timeout: 30_000 });
    expect(await inspected.locator('header code').textContent()).toContain(NAME);
    expect(await inspected.textContent()).toContain(NAME);
    expect((await inspected.textContent())?.includes(PFX_PASSWORD)).toBe(false);

    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'files-pfx-upload-en.png'), fullPage: true });
  });

  it('ca.crt and a CSR download to this computer byte for byte and parse', async () => {
    // ca.crt from the Certificate step, once the local CA exists.
    await page.getByRole('radio', { name: 'New certificate from the local CA' }).check();
    await page.getByRole('button', { name: 'Create local CA' }).click();
    const caLink = page.getByTestId('local-ca').getByRole('link', { name: 'Download ca.crt' });
    await caLink.waitFor({ timeout: 30_000 });
    const caDownload = page.waitForEvent('download');
    await caLink.click();
    const caCopy = join(dir.path, 'downloaded-ca.crt');
    const ca = await caDownload;
    expect(ca.suggestedFilename()).toBe('ca.crt');
    await ca.saveAs(caCopy);
    const caBytes = readFileSync(caCopy);
    expect(sha(caBytes)).toBe(sha(readFileSync(join(dir.path, 'data', 'ca', 'ca.crt'))));
    const caCert = new X509Certificate(caBytes);
    expect(caCert.ca).toBe(true);
    expect(caCert.verify(caCert.publicKey)).toBe(true);

    // A key and CSR for a public or company CA, made on the server; the CSR comes down through the browser.
    await page.getByRole('button', { name: 'Request for a CA (CSR)' }).click();
    await page.locator('#certs-names').fill(NAME);
    await page.getByLabel('Folder for the files (absolute path)').fill(join(dir.path, 'csr'));
    await page.getByRole('button', { name: 'Create key and CSR' }).click();
    const csrLink = page.getByRole('link', { name: 'Download the CSR to this computer' });
    await csrLink.waitFor({ timeout: 30_000 });
    const csrDownload = page.waitForEvent('download');
    await csrLink.click();
    const csr = await csrDownload;
    expect(csr.suggestedFilename()).toMatch(/\.csr$/);
    const csrCopy = join(dir.path, 'downloaded.csr');
    await csr.saveAs(csrCopy);
    const csrBytes = readFileSync(csrCopy);
    expect(sha(csrBytes)).toBe(sha(readFileSync(join(dir.path, 'csr', csr.suggestedFilename()))));
    const request = forge.pki.certificationRequestFromPem(csrBytes.toString());
    expect(request.verify()).toBe(true);
    expect(request.subject.getField('CN')?.value).toBe(NAME);
    expect(JSON.stringify(request.getAttribute({ name: 'extensionRequest' }))).toContain(NAME);
    await page.screenshot({ path: join(artifacts, 'files-downloads-en.png'), fullPage: true });
  });
});
