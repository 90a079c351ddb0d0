import type { apply as en } from '../en/apply.js';

/** apply、services、journal 的简体中文文本。 */
export const apply: Record<keyof typeof en, string> = {
  'error.SERVICE_COMMAND_FAILED': '无法控制 {service}：“{command}” 执行失败（{reason}）。{output}',
  'error.SERVICE_COMMAND_FAILED.fix': '请手动运行同一命令查看原因（权限、配置错误、脚本缺失），修正后再次应用。',
  'error.SERVICE_STOP_TIMEOUT': '{service} 未能在 {seconds} 秒内停止（仍存活的进程：{pids}；仍在应答的端口：{ports}）。',
  'error.SERVICE_STOP_TIMEOUT.fix': '请找出使其继续运行的原因（另一个实例、会自动重启它的守护程序）并停止它，然后再次应用。',
  'error.SERVICE_START_TIMEOUT': '{service} 未能在 {seconds} 秒内就绪（未应答的端口：{ports}；未应答的就绪 URL：{urls}）。',
  'error.SERVICE_START_TIMEOUT.fix': '请查看该服务自身的日志，找出未能启动的原因（端口被占用、无法读取证书等）。',
  'error.SERVICE_USER_UNKNOWN': '应当运行脚本的账户“{user}”在本机不存在。',
  'error.SERVICE_USER_UNKNOWN.fix': '请在计划中更正账户（安装目录的所有者），或重新生成计划。',
};
