import { describe, expect, it } from 'vitest';
import { editOpCommonJson, editOpCommonNmis } from '../../main/engine/apache/opcommon.js';

describe('opCommon websocket_proxy_port: that one value, nothing else', () => {
  it('JSON: a string stays a string, a number a number; spacing and order kept', () => {
    const text = '{\n   "omkd" : {\n      "a" : 1,\n      "websocket_proxy_port"  :   "8042" ,\n      "b" : "x"\n   }\n}\n';
    const edit = editOpCommonJson(text, 443);
    expect(edit).toEqual({ ok: true, text: text.replace('"8042"', '"443"'), before: '8042' });
    const number = editOpCommonJson('{"websocket_proxy_port":8042}', 8443);
    expect(number).toMatchObject({ ok: true, text: '{"websocket_proxy_port":8443}' });
  });

  it('JSON: missing key, the key twice, not JSON — refused, never rewritten', () => {
    expect(editOpCommonJson('{"omkd":{}}', 443)).toEqual({ ok: false, reason: 'no-key' });
    expect(editOpCommonJson('{"a":{"websocket_proxy_port":"1"},"b":{"websocket_proxy_port":"2"}}', 443)).toEqual({ ok: false, reason: 'several-keys' });
    expect(editOpCommonJson('{"websocket_proxy_port": "8042",}', 443)).toEqual({ ok: false, reason: 'not-json' });
  });

  it('NMIS (Perl hash): the quoted value in place, commented lines ignored, quote style kept', () => {
    const text = "%hash = (\n  'omkd' => {\n    # 'websocket_proxy_port' => '443',\n    'websocket_proxy_port' => '8042',\n    \"x\" => 1,\n  },\n);\n";
    const edit = editOpCommonNmis(text, 443);
    expect(edit).toEqual({ ok: true, text: text.replace("'websocket_proxy_port' => '8042'", "'websocket_proxy_port' => '443'"), before: '8042' });
    expect(editOpCommonNmis('"websocket_proxy_port"=>"8042"', 443)).toMatchObject({ ok: true, text: '"websocket_proxy_port"=>"443"' });
    expect(editOpCommonNmis("# 'websocket_proxy_port' => '8042',\n", 443)).toEqual({ ok: false, reason: 'no-key' });
  });
});
