import type { common as en } from '../en/common.js';

/** 简体中文:输入校验、操作错误、宿主文本。占位符为 {name}。 */
export const common: Record<keyof typeof en, string> = {
  'input.url.empty': 'URL 为空。请填写 ws:// 或 wss:// 地址,例如 wss://reports.example.com:38889/。',
  'input.url.malformed': '“{value}”不是有效的 URL。请写成 wss://主机:端口/路径。',
  'input.url.http': '“{value}”是 http(s) 地址。WebSocket 检查需要 ws:// 或 wss://(https:// 页面使用 wss://)。',
  'input.url.scheme': '“{value}”不是以 ws:// 或 wss:// 开头。',
  'input.url.port': '“{value}”中的端口超出范围。端口必须在 1 到 65535 之间。',
  'input.url.fragment': '“{value}”包含 #片段,WebSocket 地址不能带片段。请删除它。',
  'input.url.credentials': '“{value}”包含用户名或密码。请从 URL 中删除。',
  'input.urls.empty': '请至少填写一个要检查的 URL。',
  'input.urls.many': '一次最多检查 500 个 URL。',
  'input.origin.invalid': '页面来源“{value}”不是 http:// 或 https:// 地址,例如 https://reports.example.com。',
  'input.port.number': '端口必须是整数。',
  'input.port.range': '端口 {value} 超出范围。端口必须在 1 到 65535 之间。',
  'input.timeout.number': '超时必须是整数毫秒。',
  'input.timeout.range': '超时 {value} 超出范围。请使用 100 到 120000 毫秒。',
  'input.path.empty': '文件路径为空。',
  'input.path.long': '文件路径过长。',
  'input.path.nul': '文件路径包含 NUL 字符。',
  'input.path.absolute': '路径“{value}”在本机上不是绝对路径。请填写完整路径,例如 Linux 上的 /etc/ssl/ca.pem 或 Windows 上的 C:\\certs\\ca.pem。',
  'input.invalid': '值“{value}”无效。',
  'input.unknown': '未知字段“{value}”。',

  'error.ROOT_RUN_UNTRUSTED': 'wss-setup 以 root 运行，不会运行“{program}”：“{path}”可被其他账户修改（{reason}），且无法以拥有它的唯一账户运行。',
  'error.ROOT_RUN_UNTRUSTED.fix': '请让该程序及其加载的文件归 root 所有（chown root:root，组和其他人不可写），或归安装目录所属的同一个账户所有，然后重新运行。',
  'error.INVALID_INPUT': '输入无效:{details}',
  'error.INVALID_INPUT.fix': '请更正上面指出的值后重试。',
  'error.UNKNOWN_OPERATION': '没有名为“{name}”的操作。',
  'error.INTERNAL_ERROR': 'wss-setup 内部出错:{detail}',
  'error.EXECUTABLE_NOT_CONFIRMED': '程序或 jar“{path}”({field})既不是检测到的,也未经管理员确认,因此向导不能运行它。',
  'error.EXECUTABLE_NOT_CONFIRMED.fix': '请留空该字段以使用检测到的程序,或在终端确认此路径:用 --allow-exec {path} 启动向导(例如 wss-setup serve --allow-exec {path}),或改用 wss-setup 命令行执行这一步。',
  'error.INTERNAL_ERROR.fix': '没有做任何修改。请连同所运行的命令一起报告此问题。',
  'error.INTERNAL_ERROR.unknown.fix': 'wss-setup 无法判断出错前已经做了什么:重试前请检查此命令涉及的文件和服务,并请连同所运行的命令一起报告此问题。',
  'error.INTERNAL_ERROR.written': '出错前,wss-setup 已写入:{files}。',
  'error.INTERNAL_ERROR.removed': '已删除:{files}。',
  'error.INTERNAL_ERROR.folders': '已创建文件夹:{folders}。',
  'error.INTERNAL_ERROR.commands': '已运行:{commands}(这些命令可能已修改系统)。',
  'error.INTERNAL_ERROR.changed.fix': '重试前请检查这些内容,并请连同所运行的命令一起报告此问题。',
  'error.CA_UNREADABLE': '无法读取 CA 文件“{path}”:{reason}。',
  'error.CA_UNREADABLE.fix': '请检查路径,并确认当前账户有权读取该文件。',
  'error.CA_INVALID': 'CA 文件“{path}”中没有 PEM 证书。',
  'error.CA_INVALID.fix': '请提供以 -----BEGIN CERTIFICATE----- 开头的 PEM 文件(导出 CA 证书 .crt/.pem,而不是私钥)。',

  'errno.ENOENT': '文件或文件夹不存在',
  'errno.EACCES': '权限不足',
  'errno.EPERM': '不允许该操作',
  'errno.EISDIR': '它是文件夹,不是文件',
  'errno.ENOTDIR': '路径中的某一部分不是文件夹',
  'errno.EROFS': '文件系统为只读',
  'errno.ENOSPC': '磁盘已满',
  'errno.EEXIST': '它已存在',

  'cli.usage': '用法',
  'cli.unknownCommand': '未知命令“{name}”。',
  'cli.unknownOption': '未知选项“{name}”。',
  'cli.missingValue': '选项 {name} 需要一个值。',
  'cli.notANumber': '选项 {name} 需要数字,实际为“{value}”。',
  'cli.seeHelp': '运行 “wss-setup --help” 查看命令列表。',
  'cli.notYet': '此版本尚未提供命令“{name}”。',

  'cli.help':
    'wss-setup — 让 Java Web 应用通过 HTTPS 提供服务,并且安全 WebSocket(wss)正常工作\n\n' +
    '用法:\n' +
    '  wss-setup check <url>... [--origin <page-url>] [--ca <pem-file>] [--timeout <ms>] [--nginx-conf <file>] [--json]\n' +
    '      实时检查 ws://、wss:// 和 socket.io 地址的 WSS 健康状况;指出原因和修复方法。\n' +
    '      所有端点健康时退出码为 0,任一端点有错误发现项时为 1,用法错误时为 2。\n' +
    '  wss-setup serve [--port <n>] [--allow-exec <program-or-jar>]...\n' +
    '      在 127.0.0.1 上提供向导(无图形界面的服务器上通过 ssh -L 打开)。\n' +
    '      浏览器只能指定检测到的或用 --allow-exec 列出的程序和 jar。\n' +
    '  wss-setup cert suggest|ca|server|csr|import|inspect|trust|export ...\n' +
    '      本地 CA、服务器证书、CSR、导入、密钥库、检查、信任存储。\n' +
    '  wss-setup finedb inspect|get|set|backup|restore --install <dir> ...\n' +
    '      读写 FineDB 的 fine_conf_entity 行(内置 HSQLDB、外部数据库、SQLite)。\n' +
    '  wss-setup detect [--root <目录>]... [--json]\n' +
    '      本机上有什么:FineReport/FineBI/FineDataLink、Tomcat、nginx、Apache、Java,以及各自的运行方式。\n' +
    '  wss-setup plan show <plan.json>\n' +
    '      以所选语言显示已保存的计划。\n' +
    '  wss-setup plan tomcat-ssl (--install <目录> | --catalina-base <目录>) ...\n' +
    '      方式一:直接在 Tomcat 上启用 TLS,包括密钥库和 FineDB 行,用 configtest 验证。\n' +
    '  wss-setup plan nginx-proxy --nginx-conf <main.conf> --profile finereport|generic|pool ...\n' +
    '      方式二:以统一 diff 给出 nginx 修改,并用 nginx -t 验证(不写入任何文件)。\n' +
    '  wss-setup apply <plan.json> [--yes] [--dry-run] [--json]\n' +
    '      以事务方式应用已保存的计划：停止、写入、启动、检查；任何失败都会回滚。\n' +
    '  wss-setup history | show <运行> | rollback <运行> | recover\n' +
    '      应用日志：列出、查看、撤销某次运行，崩溃后恢复。\n' +
    '  每个命令都有自己的 --help。\n\n' +
    '所有命令通用的选项:\n' +
    '  --lang en|zh-CN   消息语言(默认取自 LANG)\n' +
    '  --help            显示本帮助\n',
  'ipc.untrustedSender': '该请求不是来自本应用的向导窗口,已忽略。',

  'progress.check.endpoint': '正在检查 {url}({current}/{total})',

  'serve.listening': 'wss-setup 向导已在 {url} 上提供服务',
  'serve.ssh': '在远程服务器上,请先转发端口:ssh -L {port}:127.0.0.1:{port} 用户@服务器,然后在浏览器中打开上面的地址。',
  'serve.stop': '按 Ctrl+C 停止。',
  'serve.portInUse': '127.0.0.1 上的端口 {port} 已被占用。',
  'serve.portInUse.fix': '请用 --port 选择其他端口,或不指定端口以自动选择空闲端口。',
  'serve.forbidden': '禁止访问:wss-setup serve 只接受来自 127.0.0.1 / localhost 自身页面的请求。',
  'serve.unauthorized': '未登录:请打开 “wss-setup serve” 输出的带令牌的地址。',
  'serve.jsonOnly': '请求必须是 JSON(Content-Type: application/json)。',
  'serve.tooLarge': '请求超过 1 MiB。',
  'serve.invalidJson': '请求体不是有效的 JSON。',
  'serve.notFound': '未找到。',
  'serve.methodNotAllowed': '不允许使用该方法。',
  'serve.usePost': '请使用 POST 调用操作。',
  'serve.badPath': '该地址不是有效的路径。',
  'serve.internalError': '内部错误:无法应答该请求。',
  'serve.notBuilt': '向导尚未构建。请先在 {dir} 中运行 “npm run build”。',
  'ui.title': 'wss-setup',
  'ui.subtitle': '为报表服务器配置 HTTPS 和安全 WebSocket',
  'ui.language': '语言',
  'ui.nav.check': '检查 WebSocket',
  'ui.check.heading': '检查 WebSocket',
  'ui.check.intro': '粘贴浏览器使用的 WebSocket 地址(每行一个)。wss-setup 会像浏览器一样连接每个地址,并指出每个问题的原因和解决方法。',
  'ui.check.urls': 'WebSocket 地址(每行一个)',
  'ui.check.urlsPlaceholder': 'wss://reports.example.com:38889/socket.io/?EIO=3&transport=websocket',
  'ui.check.origin': '打开 WebSocket 的页面(可选)',
  'ui.check.originPlaceholder': 'https://reports.example.com/webroot/decision',
  'ui.check.ca': '额外信任的 CA 证书,本服务器上的 PEM 文件(可选)',
  'ui.check.caPlaceholder': '/etc/ssl/local-ca.pem',
  'ui.check.timeout': '每个端点的超时(毫秒)',
  'ui.check.run': '检查',
  'ui.check.running': '正在检查 {count} 个端点…',
  'ui.check.allOk': '所有端点均正常。',
  'ui.check.someFailed': '{total} 个端点中有 {failed} 个需要处理。',
  'ui.check.noFindings': '没有发现问题。',
  'ui.check.evidence': '证据',
  'ui.check.fix': '解决方法',
  'ui.check.timings': '耗时',
  'ui.check.certificate': '证书',
  'ui.check.status': 'HTTP 状态',
  'ui.check.echo': '回送',
  'ui.check.line': '第 {line} 行',
  'ui.error': '检查无法运行',
  'ui.unfinished.text': "有一次应用没有完成(运行 {run}):wss-setup 在中途被停止。在恢复到该次运行之前的状态之前,不能再应用任何计划。",
  'ui.unfinished.recover': "恢复到该次运行之前的状态",
  'ui.unfinished.recovering': "正在恢复…",
  'ui.unfinished.recovered': "已恢复到未完成运行之前的状态。",
  'ui.unfinished.manual': "有些内容无法自动恢复:请对该次运行执行“wss-setup show”,按其中的步骤手动处理。",
};
