/** English texts of the finedb module (finding and error codes, CLI and wizard labels). */
export const finedb = {
  'error.FINE_INSTALL_NOT_FOUND': 'No FineReport / FineBI / FineDataLink install was found in "{dir}" (no webapps/webroot/WEB-INF folder).',
  'error.FINE_INSTALL_NOT_FOUND.fix': 'Give the install folder (the one holding webapps/webroot/WEB-INF, e.g. /opt/FineReport_11.0 or C:\\FineReport_11.0), or the WEB-INF folder itself.',
  'error.FINE_JARS_MISSING': 'The folder "{dir}" holds no fine-*.jar, so this is not a FineReport / FineBI / FineDataLink WEB-INF.',
  'error.FINE_JARS_MISSING.fix': 'Point --install at the product install whose WEB-INF/lib holds the fine-*.jar files.',
  'error.FINEDB_FILE_UNREADABLE': 'The file or folder "{path}" cannot be read: {reason}.',
  'error.FINEDB_FILE_UNREADABLE.fix': 'Check the path and that your account may read it (run as the user that owns the install, or as root/Administrator).',
} as const;
