import type { apache as en } from '../en/apache.js';

/** Apache httpd 模块的简体中文文本。 */
export const apache: Record<keyof typeof en, string> = {
  'apache.parse.section-unclosed': '<{detail}> 段落没有闭合',
  'apache.parse.section-missing-gt': '<{detail} 这一行没有以“>”结尾',
  'apache.parse.section-mismatch': '段落的结束标签名称不对(应为|实际: {detail})',
  'apache.parse.unexpected-close': '</{detail}> 关闭了一个并未打开的段落',
  'apache.parse.include-unreadable': '无法读取被包含的文件 {detail}',
  'apache.parse.include-no-match': 'Include {detail} 没有匹配到任何文件(IncludeOptional 才允许这样)',
  'apache.parse.include-depth': '包含层级过深(文件包含了自己?),位置 {detail}',
  'apache.parse.file-unreadable': '无法读取该文件({detail})',
  'apache.parse.file-too-large': '文件过大,不像配置文件({detail} 字节)',

  'finding.APACHE_CONF_INVALID': '用 --apache-conf 给出的 Apache 配置在 {file}:{line} 处无法读取:{reason}。',
  'finding.APACHE_CONF_INVALID.fix': '修正这一行(apachectl -t 也会指出),或传入主配置文件(apache2.conf 或 httpd.conf)。',
  'finding.APACHE_NO_MATCHING_VHOST': '配置({file})中没有任何 <VirtualHost> 接收 {host}:{port},由主服务器应答。',
  'finding.APACHE_NO_MATCHING_VHOST.fix': '为该名称添加一个带 SSLEngine on 和 ProxyPass 的 <VirtualHost *:{port}>(wss-setup plan apache-proxy 会生成),或检查 URL 的端口。',
  'finding.APACHE_NO_PROXY_FOR_PATH': '位于 {file}:{line} 的虚拟主机中没有 ProxyPass 转发 {path};Apache 自己处理该路径(页面或 404),WebSocket 无法建立。',
  'finding.APACHE_NO_PROXY_FOR_PATH.fix': '在该虚拟主机中、任何通用的“ProxyPass /”之前,加入“ProxyPass {path} ws://<后端>{path}”。',
  'finding.APACHE_PROXYPASS_SHADOWED': '{file}:{line} 处通用的“ProxyPass {general}”写在前面,也匹配 {path},因此 {specific} 处的 WebSocket 规则永远不会生效:升级请求被交给页面后端(“Unexpected response code: 200”)。',
  'finding.APACHE_PROXYPASS_SHADOWED.fix': '把 WebSocket 的 ProxyPass 移到通用规则之上:Apache 使用第一条路径匹配的 ProxyPass。',
  'finding.APACHE_NO_WEBSOCKET_PROXY': '应答 {path} 的 ProxyPass({file}:{line})以普通 HTTP 转发到 {target}:没有 ws:// 目标(mod_proxy_wstunnel)或 upgrade=websocket,握手会被当作页面应答。',
  'finding.APACHE_NO_WEBSOCKET_PROXY.fix': '改用 ws:// 目标并启用 mod_proxy_wstunnel,或在 httpd 2.4.47 及以上版本的 ProxyPass 行加上 upgrade=websocket。',
  'finding.APACHE_WSTUNNEL_NOT_LOADED': '{file}:{line} 处的 ProxyPass 把 {path} 发往 {target},但承载 WebSocket 的模块没有加载(mod_proxy_wstunnel,或 httpd 2.4.47+ 上的 mod_proxy_http):Apache 返回 500。',
  'finding.APACHE_WSTUNNEL_NOT_LOADED.fix': '按发行版的方式启用:a2enmod proxy proxy_http proxy_wstunnel(Debian/Ubuntu),或 conf.modules.d/00-proxy.conf(RHEL)、httpd.conf(Windows)中的 LoadModule 行;然后先停止再启动 Apache。',
  'finding.APACHE_UPGRADE_UNSUPPORTED': '{file}:{line} 处的 ProxyPass 使用了 upgrade=websocket,而 httpd {version} 不支持它(2.4.47 才引入)。',
  'finding.APACHE_UPGRADE_UNSUPPORTED.fix': '改用 ws:// 目标并启用 mod_proxy_wstunnel,或把 httpd 升级到 2.4.47 及以上。',
  'finding.APACHE_NO_FORWARDED_PROTO': '{file}:{line} 处的 TLS 虚拟主机没有向后端发送 X-Forwarded-Proto https:其后的应用(OMK、Tomcat)会生成 ws:// 地址,https 页面不能打开它(混合内容)。',
  'finding.APACHE_NO_FORWARDED_PROTO.fix': '在该虚拟主机中加入 RequestHeader set X-Forwarded-Proto "https"(需要 mod_headers)。',
  'finding.APACHE_SHORT_PROXY_TIMEOUT': '生效的代理超时为 {seconds} 秒({file}:{line}):WebSocket 空闲超过该时间就会被 Apache 关闭。',
  'finding.APACHE_SHORT_PROXY_TIMEOUT.fix': '为 WebSocket 调大超时,例如 ProxyTimeout 3600,或在 ProxyPass 行加 timeout=3600。',
};
