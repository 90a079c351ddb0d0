/**
 * Mozilla's "intermediate" server-side TLS profile (ssl-config.mozilla.org, guideline 5.7),
 * written into every TLS server wss-setup creates. The seeds' SSLv2 / RC4 / EXP /
 * TLSv1 / TLSv1.1 settings are never written; the diagnosis flags them where they exist.
 */
const MOZILLA_INTERMEDIATE_CIPHERS = [
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

export function tlsLines(certPath: string, keyPath: string): string[] {
  return [
    `ssl_certificate ${certPath};`,
    `ssl_certificate_key ${keyPath};`,
    'ssl_protocols TLSv1.2 TLSv1.3;',
    `ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS};`,
    'ssl_prefer_server_ciphers off;',
    'ssl_session_timeout 1d;',
    'ssl_session_cache shared:WssSetupTLS:10m;',
    'ssl_session_tickets off;',
  ];
}
