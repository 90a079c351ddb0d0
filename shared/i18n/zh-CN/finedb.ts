import type { finedb as en } from '../en/finedb.js';

/** finedb 模块的简体中文文本。 */
export const finedb: Record<keyof typeof en, string> = {
  'error.FINE_INSTALL_NOT_FOUND': '在“{dir}”中没有找到 FineReport / FineBI / FineDataLink 工程（没有 webapps/webroot/WEB-INF 文件夹）。',
  'error.FINE_INSTALL_NOT_FOUND.fix': '请给出工程安装目录（包含 webapps/webroot/WEB-INF 的目录，例如 /opt/FineReport_11.0 或 C:\\FineReport_11.0），或直接给出 WEB-INF 目录。',
  'error.FINE_JARS_MISSING': '文件夹“{dir}”中没有 fine-*.jar，这不是 FineReport / FineBI / FineDataLink 的 WEB-INF。',
  'error.FINE_JARS_MISSING.fix': '请让 --install 指向 WEB-INF/lib 中含有 fine-*.jar 的产品工程。',
  'error.FINEDB_FILE_UNREADABLE': '无法读取文件或文件夹“{path}”：{reason}。',
  'error.FINEDB_FILE_UNREADABLE.fix': '请检查路径，并确认当前账户有读取权限（以工程所属用户或 root/管理员身份运行）。',
};
