/**
 * Mozilla's "intermediate" server-side TLS profile for Apache (ssl-config.mozilla.org, guideline
 * 5.7), written into every TLS virtual host wss-setup creates.
 */
export const MOZILLA_INTERMEDIATE_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-CHACHA20-POLY1305',
].join(':');

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
