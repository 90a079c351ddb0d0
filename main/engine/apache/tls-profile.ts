import { MOZILLA_INTERMEDIATE_CIPHERS } from '../common/mozilla-tls.js';


export function tlsLines(certPath: string, keyPath: string, quote: (v: string) => string): string[] {
  return [
    'SSLEngine on',
    `SSLCertificateFile ${quote(certPath)}`,
    `SSLCertificateKeyFile ${quote(keyPath)}`,
    'SSLProtocol -all +TLSv1.2 +TLSv1.3',
    `SSLCipherSuite ${MOZILLA_INTERMEDIATE_CIPHERS}`,
    'SSLHonorCipherOrder off',
    'SSLSessionTickets off',
  ];
}
