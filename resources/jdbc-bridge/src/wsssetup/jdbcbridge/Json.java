package wsssetup.jdbcbridge;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge's own minimal JSON: objects (LinkedHashMap), arrays (ArrayList), strings,
 * numbers (Double or Long), booleans and null. One document per line on stdin/stdout.
 */
final class Json {
    private final String text;
    private int at;

    private Json(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        Json p = new Json(text);
        p.space();
        Object value = p.value();
        p.space();
        if (p.at != text.length()) throw new IllegalArgumentException("trailing characters at " + p.at);
        return value;
    }

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
    }

    private char next() {
        if (at >= text.length()) throw new IllegalArgumentException("unexpected end of JSON");
        return text.charAt(at++);
    }

    private void expect(String word) {
        if (!text.startsWith(word, at)) throw new IllegalArgumentException("expected " + word + " at " + at);
        at += word.length();
    }

    private Object value() {
        if (at >= text.length()) throw new IllegalArgumentException("unexpected end of JSON");
        char c = text.charAt(at);
        switch (c) {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': expect("true"); return Boolean.TRUE;
            case 'f': expect("false"); return Boolean.FALSE;
            case 'n': expect("null"); return null;
            default: return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<String, Object>();
        next();
        space();
        if (at < text.length() && text.charAt(at) == '}') { at++; return map; }
        for (;;) {
            space();
            if (at >= text.length() || text.charAt(at) != '"') throw new IllegalArgumentException("expected a key at " + at);
            String key = string();
            space();
            if (next() != ':') throw new IllegalArgumentException("expected : at " + (at - 1));
            space();
            map.put(key, value());
            space();
            char c = next();
            if (c == '}') return map;
            if (c != ',') throw new IllegalArgumentException("expected , or } at " + (at - 1));
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<Object>();
        next();
        space();
        if (at < text.length() && text.charAt(at) == ']') { at++; return list; }
        for (;;) {
            space();
            list.add(value());
            space();
            char c = next();
            if (c == ']') return list;
            if (c != ',') throw new IllegalArgumentException("expected , or ] at " + (at - 1));
        }
    }

    private String string() {
        next();
        StringBuilder out = new StringBuilder();
        for (;;) {
            char c = next();
            if (c == '"') return out.toString();
            if (c < 0x20) throw new IllegalArgumentException("control character in string at " + (at - 1));
            if (c != '\\') { out.append(c); continue; }
            char e = next();
            switch (e) {
                case '"': out.append('"'); break;
                case '\\': out.append('\\'); break;
                case '/': out.append('/'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u':
                    if (at + 4 > text.length()) throw new IllegalArgumentException("bad \\u escape");
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                    break;
                default: throw new IllegalArgumentException("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
        String n = text.substring(start, at);
        if (n.isEmpty()) throw new IllegalArgumentException("unexpected character at " + start);
        if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) return Long.valueOf(n);
        return Double.valueOf(n);
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(Object value, StringBuilder out) {
        if (value == null) out.append("null");
        else if (value instanceof String) quote((String) value, out);
        else if (value instanceof Boolean || value instanceof Number) out.append(value.toString());
        else if (value instanceof Map) {
            out.append('{');
            Iterator<Map.Entry<String, Object>> it = ((Map<String, Object>) value).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Object> e = it.next();
                quote(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
                if (it.hasNext()) out.append(',');
            }
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            List<Object> list = (List<Object>) value;
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(',');
                write(list.get(i), out);
            }
            out.append(']');
        } else quote(value.toString(), out);
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
            }
        }
        out.append('"');
    }
}
