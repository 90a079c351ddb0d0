import iconv from 'iconv-lite';
import type { FileEdit } from '../../../shared/contract/plan.js';

/** The bytes a planned file is written as: its content in its own encoding. */
export function plannedBytes(edit: Pick<FileEdit, 'content' | 'encoding'>): Buffer {
  switch (edit.encoding) {
    case 'utf8':
    case 'latin1':
    case 'utf16le':
      return Buffer.from(edit.content, edit.encoding);
    case 'gbk':
    case 'gb18030':
      return iconv.encode(edit.content, edit.encoding);
  }
}
