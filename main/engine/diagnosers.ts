import { registerConfigDiagnoser } from './health/index.js';

/**
 * Composition root for the health check's config-aware diagnosers (see
 * health/config-diagnosers.ts): each configuration module is wired to health here, so health
 * never imports it. Each diagnoser loads its module only when a check names such a file.
 */
registerConfigDiagnoser('nginx', async (confPath, lang) => {
  const { diagnoseNginx, loadTree } = await import('./nginx/index.js');
  // The nginx tree is read once for all endpoints (a broken one is reported per endpoint by the diagnosis).
  const loaded = await loadTree(confPath);
  const tree = loaded.ok ? loaded.tree : undefined;
  return (url) => diagnoseNginx(confPath, url, lang, tree);
});

registerConfigDiagnoser('apache', async (confPath, lang) => {
  const { diagnoseApache, loadForDiagnosis } = await import('./apache/index.js');
  const loaded = await loadForDiagnosis(confPath);
  const tree = loaded.ok ? loaded.tree : undefined;
  return (url) => diagnoseApache(confPath, url, lang, tree);
});

registerConfigDiagnoser('tomcat', async (serverXml, lang) => {
  const [{ diagnoseTomcat, loadServerXmlForDiagnosis }, { realPorts }] = await Promise.all([import('./tomcat/index.js'), import('./ports/index.js')]);
  // server.xml, the Tomcat version, the keystores it names and the product's FineDB rows (an
  // external database through the JDBC bridge, read only) are read once for all endpoints.
  const loaded = await loadServerXmlForDiagnosis(serverXml, realPorts.fs, realPorts);
  return (url) => diagnoseTomcat(serverXml, url, lang, loaded);
});
