/** The tomcat module's face: what other modules and hosts may use. */
export { planTomcatSsl } from './plan-ssl.js';
export { materializeServerXml, maskPasswords, serverXmlApplyBytes, serverXmlSecretRefs } from './secret-mask.js';
export { readServerXml, serverXmlBytes, type ServerXml, type ServerXmlProblem } from './server-xml.js';
export { readServerXmlFile } from './read-file.js';
export { readConnectors, resolveAgainstBase, MOZILLA_INTERMEDIATE, type ConnectorInfo, type KeystoreRef, type TlsConfig } from './connectors.js';
export { readTomcatVersion, type TomcatVersion } from './tomcat-version.js';
export { configtest, type ConfigtestResult } from './configtest.js';
export { openKeystore, keytoolFor } from './keystore.js';
export { XmlEditor } from './xml-edit.js';
export { parseXml, type XmlDocument, type XmlElement } from './xml-document.js';
export { diagnoseTomcat, loadServerXmlForDiagnosis, type LoadedServerXml } from './diagnose.js';
export { tomcatPlanValidator } from './plan-validator.js';
