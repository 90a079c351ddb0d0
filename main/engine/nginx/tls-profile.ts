import { MOZILLA_INTERMEDIATE_CIPHERS } from '../common/mozilla-tls.js';

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
