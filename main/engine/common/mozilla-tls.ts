/**
 * Mozilla's "intermediate" server-side TLS profile (ssl-config.mozilla.org, guideline 5.7): the
 * one cipher list every TLS server, virtual host and connector wss-setup writes uses (nginx,
 * Apache, Tomcat each spell the protocols their own way). The seeds' SSLv2 / RC4 / EXP / TLSv1 /
 * TLSv1.1 settings are never written; the diagnoses flag them where they exist.
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
