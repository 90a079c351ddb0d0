/** English: input validation, operation errors, host texts. Placeholders are {name}. */
export const common = {
  'input.url.empty': 'A URL is empty. Give a ws:// or wss:// URL such as wss://reports.example.com:38889/.',
  'input.url.malformed': '"{value}" is not a valid URL. Write it as wss://host:port/path.',
  'input.url.http': '"{value}" is an http(s) URL. The WebSocket check needs ws:// or wss:// (an https:// page uses wss://).',
  'input.url.scheme': '"{value}" does not start with ws:// or wss://.',
  'input.url.port': 'The port in "{value}" is out of range. Ports are 1 to 65535.',
  'input.url.fragment': '"{value}" contains a #fragment, which WebSocket URLs cannot have. Remove it.',
  'input.url.credentials': '"{value}" contains a user name or password. Remove them from the URL.',
  'input.urls.empty': 'Give at least one URL to check.',
  'input.urls.many': 'At most 500 URLs can be checked at once.',
  'input.origin.invalid': 'The page origin "{value}" is not an http:// or https:// URL, e.g. https://reports.example.com.',
  'input.port.number': 'The port must be a whole number.',
  'input.port.range': 'The port {value} is out of range. Ports are 1 to 65535.',
  'input.timeout.number': 'The timeout must be a whole number of milliseconds.',
  'input.timeout.range': 'The timeout {value} is out of range. Use 100 to 120000 milliseconds.',
  'input.path.empty': 'A file path is empty.',
  'input.path.long': 'A file path is too long.',
  'input.path.nul': 'A file path contains a NUL character.',
  'input.path.absolute': 'The path "{value}" is not absolute on this machine. Give the full path, e.g. /etc/ssl/ca.pem on Linux or C:\\certs\\ca.pem on Windows.',
  'input.invalid': 'The value "{value}" is not valid.',
  'input.unknown': 'Unexpected field "{value}".',

  'error.ROOT_RUN_UNTRUSTED': 'wss-setup runs as root and will not run "{program}": "{path}" can be changed by another account ({reason}), and it cannot be run as the single account that owns it.',
  'error.ROOT_RUN_UNTRUSTED.fix': 'Make the program and the files it loads belong to root (chown root:root, no group or world write), or to the one account that owns the install; then run again.',
  'error.INVALID_INPUT': 'The input is not valid: {details}',
  'error.INVALID_INPUT.fix': 'Correct the value named above and try again.',
  'error.UNKNOWN_OPERATION': 'There is no operation called "{name}".',
  'error.INTERNAL_ERROR': 'Something went wrong inside wss-setup: {detail}',
  'error.EXECUTABLE_NOT_CONFIRMED': 'The program or jar "{path}" ({field}) was not found by detection and not confirmed by the administrator, so the wizard may not run it.',
  'error.EXECUTABLE_NOT_CONFIRMED.fix': 'Leave the field empty to use the detected one, or confirm this path at the terminal: start the wizard with --allow-exec {path} (e.g. wss-setup serve --allow-exec {path}), or run this step with the wss-setup command line.',
  'error.INTERNAL_ERROR.fix': 'Nothing was changed. Please report this with the command you ran.',
  'error.INTERNAL_ERROR.unknown.fix': 'wss-setup cannot tell what was done before the error: check the files and services this command works on before you retry, and please report this with the command you ran.',
  'error.INTERNAL_ERROR.written': 'Before the error, wss-setup wrote: {files}.',
  'error.INTERNAL_ERROR.removed': 'It removed: {files}.',
  'error.INTERNAL_ERROR.folders': 'It created the folders: {folders}.',
  'error.INTERNAL_ERROR.commands': 'It ran: {commands} (these may have changed the system).',
  'error.INTERNAL_ERROR.changed.fix': 'Check these before you retry, and please report this with the command you ran.',
  'error.CA_UNREADABLE': 'The CA file "{path}" cannot be read: {reason}.',
  'error.CA_UNREADABLE.fix': 'Check the path and that your account may read the file.',
  'error.CA_INVALID': 'The CA file "{path}" holds no PEM certificate.',
  'error.CA_INVALID.fix': 'Give a PEM file that starts with -----BEGIN CERTIFICATE----- (export the CA as .crt/.pem, not the key).',

  'errno.ENOENT': 'no such file or folder',
  'errno.EACCES': 'permission denied',
  'errno.EPERM': 'operation not permitted',
  'errno.EISDIR': 'it is a folder, not a file',
  'errno.ENOTDIR': 'a part of the path is not a folder',
  'errno.EROFS': 'the file system is read-only',
  'errno.ENOSPC': 'the disk is full',
  'errno.EEXIST': 'it already exists',

  'cli.usage': 'Usage',
  'cli.unknownCommand': 'Unknown command "{name}".',
  'cli.unknownOption': 'Unknown option "{name}".',
  'cli.missingValue': 'The option {name} needs a value.',
  'cli.notANumber': 'The option {name} needs a number, got "{value}".',
  'cli.seeHelp': 'Run "wss-setup --help" for the list of commands.',
  'cli.notYet': 'The command "{name}" is not available in this version yet.',

  'cli.help':
    'wss-setup — put a Java web application behind HTTPS with working secure WebSockets\n\n' +
    'Usage:\n' +
    '  wss-setup check <url>... [--origin <page-url>] [--ca <pem-file>] [--timeout <ms>] [--nginx-conf <file>] [--json]\n' +
    '      Live WSS health check of ws://, wss:// and socket.io URLs; names the cause and the fix.\n' +
    '      Exit 0 when every endpoint is healthy, 1 when any has an error finding, 2 on usage errors.\n' +
    '  wss-setup serve [--port <n>] [--allow-exec <program-or-jar>]...\n' +
    '      Serve the wizard on 127.0.0.1 (open it through ssh -L on a headless server).\n' +
    '      The browser may name only programs and jars that were detected or listed with --allow-exec.\n' +
    '  wss-setup cert suggest|ca|server|csr|import|inspect|trust|export ...\n' +
    '      Local CA, server certificates, CSRs, imports, keystores, inspection, trust stores.\n' +
    '  wss-setup finedb inspect|get|set|backup|restore --install <dir> ...\n' +
    "      Read and write FineDB's fine_conf_entity rows (embedded HSQLDB, external, SQLite).\n" +
    '  wss-setup detect [--root <dir>]... [--json]\n' +
    '      What is on this machine: FineReport/FineBI/FineDataLink, Tomcat, nginx, Apache, Java; how each runs.\n' +
    '  wss-setup plan show <plan.json>\n' +
    '      Print a saved plan in the chosen language.\n' +
    '  wss-setup plan tomcat-ssl (--install <dir> | --catalina-base <dir>) ...\n' +
    '      Method one: TLS on Tomcat itself, the keystore and the FineDB rows, validated with configtest.\n' +
    '  wss-setup plan nginx-proxy --nginx-conf <main.conf> --profile finereport|generic|pool ...\n' +
    '      Method two: the nginx edits as unified diffs, validated with nginx -t (nothing written).\n' +
    '  wss-setup apply <plan.json> [--yes] [--dry-run] [--json]\n' +
    '      Apply a saved plan as a transaction: stop, write, start, check; rolled back on any failure.\n' +
    '  wss-setup history | show <run> | rollback <run> | recover\n' +
    '      The journal of applies: list them, show one, undo one, recover after a crash.\n' +
    '  Each command has its own --help.\n\n' +
    'Options for every command:\n' +
    '  --lang en|zh-CN   language of messages (default from LANG)\n' +
    '  --help            this text\n',
  'ipc.untrustedSender': 'The request did not come from the wizard window of this app; it was ignored.',

  'progress.check.endpoint': 'Checking {url} ({current}/{total})',

  'serve.listening': 'wss-setup is serving the wizard on {url}',
  'serve.ssh': 'On a remote server, forward the port first: ssh -L {port}:127.0.0.1:{port} user@server, then open the URL above in your browser.',
  'serve.stop': 'Press Ctrl+C to stop.',
  'serve.portInUse': 'Port {port} on 127.0.0.1 is already in use.',
  'serve.portInUse.fix': 'Choose another port with --port, or leave it out to pick a free one.',
  'serve.forbidden': 'Forbidden: wss-setup serve answers only to 127.0.0.1 / localhost pages of its own.',
  'serve.unauthorized': 'Not signed in: open the URL with the token that "wss-setup serve" printed.',
  'serve.jsonOnly': 'Requests must be JSON (Content-Type: application/json).',
  'serve.tooLarge': 'The request is larger than 1 MiB.',
  'serve.invalidJson': 'The request body is not valid JSON.',
  'serve.notFound': 'Not found.',
  'serve.methodNotAllowed': 'Method not allowed.',
  'serve.usePost': 'Operations are called with POST.',
  'serve.badPath': 'The address is not a valid path.',
  'serve.internalError': 'Internal error: the request could not be answered.',
  'serve.notBuilt': 'The wizard is not built yet. Run "npm run build" in {dir} first.',
  'ui.title': 'wss-setup',
  'ui.subtitle': 'HTTPS and secure WebSockets for your report server',
  'ui.language': 'Language',
  'ui.nav.check': 'Check a WebSocket',
  'ui.check.heading': 'Check a WebSocket',
  'ui.check.intro': 'Paste the WebSocket addresses the browser uses (one per line). wss-setup connects to each the way a browser does and names the cause and the fix of every problem.',
  'ui.check.urls': 'WebSocket URLs (one per line)',
  'ui.check.urlsPlaceholder': 'wss://reports.example.com:38889/socket.io/?EIO=3&transport=websocket',
  'ui.check.origin': 'Page the WebSocket is opened from (optional)',
  'ui.check.originPlaceholder': 'https://reports.example.com/webroot/decision',
  'ui.check.ca': 'Extra trusted CA certificate, PEM file on this server (optional)',
  'ui.check.caPlaceholder': '/etc/ssl/local-ca.pem',
  'ui.check.timeout': 'Timeout per endpoint (ms)',
  'ui.check.run': 'Check',
  'ui.check.running': 'Checking {count} endpoint(s)…',
  'ui.check.allOk': 'Every endpoint is healthy.',
  'ui.check.someFailed': '{failed} of {total} endpoint(s) need attention.',
  'ui.check.noFindings': 'No findings.',
  'ui.check.evidence': 'Evidence',
  'ui.check.fix': 'Fix',
  'ui.check.timings': 'Timings',
  'ui.check.certificate': 'Certificate',
  'ui.check.status': 'HTTP status',
  'ui.check.echo': 'Echo',
  'ui.check.line': 'Line {line}',
  'ui.error': 'The check could not run',
  'ui.unfinished.text': "An apply did not finish (run {run}): wss-setup was stopped in the middle. Nothing can be applied until the state before that run is put back.",
  'ui.unfinished.recover': "Put back the state before that run",
  'ui.unfinished.recovering': "Putting back…",
  'ui.unfinished.recovered': "The state before the unfinished run is back.",
  'ui.unfinished.manual': "Some things could not be put back automatically: run \"wss-setup show\" on that run for the steps to do by hand.",
} as const;
