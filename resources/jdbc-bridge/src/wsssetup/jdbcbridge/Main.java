package wsssetup.jdbcbridge;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * wss-setup JDBC bridge: reads and writes rows of FineDB's fine_conf_entity table.
 *
 * One JSON request per line on stdin, one JSON answer per line on stdout:
 *   {"op":"ping"} | {"op":"open","driver","url","user","password"} | {"op":"version"}
 *   {"op":"read","ids":[..]} | {"op":"read","prefix":"WebSocketConfig."}
 *   {"op":"write","delete":[ids],"upsert":[{"id","value"}]}  (one transaction, read back before commit)
 *   {"op":"close"}
 * Answers: {"ok":true,...} or {"ok":false,"code","detail","sqlState"}. SQL is fixed text with
 * parameters (prepared statements only). The password is never written anywhere: every message
 * that leaves the bridge is scrubbed of it.
 */
public final class Main {
    static final String SELECT_ONE = "SELECT id, value FROM fine_conf_entity WHERE id = ?";
    static final String SELECT_LIKE = "SELECT id, value FROM fine_conf_entity WHERE id LIKE ?";
    static final String UPDATE = "UPDATE fine_conf_entity SET value = ? WHERE id = ?";
    static final String INSERT = "INSERT INTO fine_conf_entity (id, value) VALUES (?, ?)";
    static final String DELETE = "DELETE FROM fine_conf_entity WHERE id = ?";
    static final String PROBE = "SELECT id FROM fine_conf_entity WHERE id = ?";
    static final String SHUTDOWN = "SHUTDOWN";

    private Connection connection;
    private Driver driver;
    private String driverClass;
    private String url;
    private String secret = "";

    static final class Failure extends Exception {
        final String code;
        final String sqlState;

        Failure(String code, String detail, String sqlState) {
            super(detail);
            this.code = code;
            this.sqlState = sqlState;
        }
    }

    public static void main(String[] args) throws Exception {
        Charset utf8 = Charset.forName("UTF-8");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, utf8));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, utf8), false);
        Main bridge = new Main();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().isEmpty()) continue;
            Map<String, Object> answer = bridge.handle(line);
            out.println(Json.write(answer));
            out.flush();
            if ("close".equals(answer.get("op"))) break;
        }
        bridge.closeQuietly();
        out.flush();
        System.exit(0);
    }

    Map<String, Object> handle(String line) {
        String op = null;
        try {
            Object parsed;
            try {
                parsed = Json.parse(line);
            } catch (RuntimeException e) {
                // Never echo the line: it may hold the password.
                throw new Failure("BAD_REQUEST", "the request is not valid JSON", null);
            }
            if (!(parsed instanceof Map)) throw new Failure("BAD_REQUEST", "the request is not a JSON object", null);
            @SuppressWarnings("unchecked")
            Map<String, Object> request = (Map<String, Object>) parsed;
            op = text(request, "op", true);
            Map<String, Object> answer;
            if ("ping".equals(op)) answer = ok();
            else if ("open".equals(op)) answer = open(request);
            else if ("version".equals(op)) answer = version();
            else if ("read".equals(op)) answer = read(request);
            else if ("write".equals(op)) answer = write(request);
            else if ("close".equals(op)) answer = close();
            else throw new Failure("BAD_REQUEST", "unknown op " + op, null);
            answer.put("op", op);
            return answer;
        } catch (Failure f) {
            return failure(op, f.code, f.getMessage(), f.sqlState);
        } catch (SQLException e) {
            return failure(op, classify(e), describe(e), e.getSQLState());
        } catch (Throwable e) {
            return failure(op, "BRIDGE_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    private static Map<String, Object> ok() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("ok", Boolean.TRUE);
        return m;
    }

    private Map<String, Object> failure(String op, String code, String detail, String sqlState) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("ok", Boolean.FALSE);
        m.put("op", op);
        m.put("code", code);
        m.put("detail", scrub(detail));
        if (sqlState != null) m.put("sqlState", sqlState);
        return m;
    }

    /** Removes the password (and password=... URL parameters) from any text leaving the bridge. */
    String scrub(String text) {
        if (text == null) return "";
        String s = text;
        if (secret.length() > 0) s = s.replace(secret, "\u2022\u2022\u2022\u2022");
        s = s.replaceAll("(?i)(password|pwd)=[^;&\\s,)]*", "$1=\u2022\u2022\u2022\u2022");
        return s.length() > 600 ? s.substring(0, 600) + "\u2026" : s;
    }

    private static String text(Map<String, Object> request, String key, boolean required) throws Failure {
        Object v = request.get(key);
        if (v == null) {
            if (required) throw new Failure("BAD_REQUEST", "missing field " + key, null);
            return null;
        }
        if (!(v instanceof String)) throw new Failure("BAD_REQUEST", "field " + key + " must be a string", null);
        return (String) v;
    }

    private Map<String, Object> open(Map<String, Object> request) throws Exception {
        if (connection != null) throw new Failure("BAD_REQUEST", "already open", null);
        driverClass = text(request, "driver", true);
        url = text(request, "url", true);
        String user = text(request, "user", false);
        String password = text(request, "password", false);
        secret = password == null ? "" : password;
        try {
            Class<?> c = Class.forName(driverClass, true, Main.class.getClassLoader());
            driver = (Driver) c.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new Failure("DRIVER_NOT_FOUND", "driver class " + driverClass + " is not on the class path", null);
        } catch (NoClassDefFoundError e) {
            throw new Failure("DRIVER_NOT_FOUND", "driver class " + driverClass + " needs a missing class: " + e.getMessage(), null);
        } catch (ClassCastException e) {
            throw new Failure("DRIVER_NOT_FOUND", driverClass + " is not a java.sql.Driver", null);
        }
        Properties props = new Properties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        // HSQLDB creates an empty database when the files are missing: forbid that.
        if (url.startsWith("jdbc:hsqldb:file:")) props.setProperty("ifexists", "true");
        Object timeout = request.get("connectTimeoutSeconds");
        if (timeout instanceof Number) java.sql.DriverManager.setLoginTimeout(((Number) timeout).intValue());
        Connection c;
        try {
            c = driver.connect(url, props);
        } catch (SQLException e) {
            throw new Failure(classify(e), describe(e), e.getSQLState());
        }
        if (c == null) throw new Failure("URL_NOT_ACCEPTED", "driver " + driverClass + " does not accept this JDBC URL", null);
        connection = c;
        connection.setAutoCommit(false);
        probeTable();
        return version();
    }

    private void probeTable() throws Exception {
        PreparedStatement ps = null;
        try {
            ps = connection.prepareStatement(PROBE);
            ps.setString(1, "");
            ps.executeQuery().close();
            connection.rollback();
        } catch (SQLException e) {
            try { connection.rollback(); } catch (SQLException ignored) { /* keep the first error */ }
            if (!tableListed()) throw new Failure("TABLE_MISSING", "table fine_conf_entity not found: " + describe(e), e.getSQLState());
            throw e;
        } finally {
            if (ps != null) ps.close();
        }
    }

    private boolean tableListed() {
        try {
            DatabaseMetaData meta = connection.getMetaData();
            String[] names = { "fine_conf_entity", "FINE_CONF_ENTITY" };
            for (String name : names) {
                ResultSet rs = meta.getTables(null, null, name, null);
                try {
                    if (rs.next()) return true;
                } finally {
                    rs.close();
                }
            }
        } catch (SQLException ignored) {
            return false;
        }
        return false;
    }

    private Connection requireOpen() throws Failure {
        if (connection == null) throw new Failure("NOT_OPEN", "no database is open", null);
        return connection;
    }

    private Map<String, Object> version() throws Exception {
        Connection c = requireOpen();
        DatabaseMetaData meta = c.getMetaData();
        Map<String, Object> d = new LinkedHashMap<String, Object>();
        d.put("className", driverClass);
        d.put("name", meta.getDriverName());
        d.put("version", meta.getDriverVersion());
        Map<String, Object> db = new LinkedHashMap<String, Object>();
        db.put("product", meta.getDatabaseProductName());
        db.put("version", meta.getDatabaseProductVersion());
        Map<String, Object> m = ok();
        m.put("driver", d);
        m.put("database", db);
        return m;
    }

    private Map<String, Object> read(Map<String, Object> request) throws Exception {
        Connection c = requireOpen();
        List<Object> rows = new ArrayList<Object>();
        try {
            String prefix = text(request, "prefix", false);
            if (prefix != null) {
                PreparedStatement ps = c.prepareStatement(SELECT_LIKE);
                try {
                    ps.setString(1, likePrefix(prefix));
                    collect(ps.executeQuery(), rows);
                } finally {
                    ps.close();
                }
            } else {
                for (String id : ids(request.get("ids"))) rows.addAll(select(c, id));
            }
        } finally {
            c.rollback();
        }
        Map<String, Object> m = ok();
        m.put("rows", rows);
        return m;
    }

    /** LIKE pattern for a prefix: wildcard characters in the prefix itself are cut off (rows are filtered again by the caller). */
    static String likePrefix(String prefix) {
        int cut = prefix.length();
        for (int i = 0; i < prefix.length(); i++) {
            char ch = prefix.charAt(i);
            if (ch == '%' || ch == '_' || ch == '\\') { cut = i; break; }
        }
        return prefix.substring(0, cut) + "%";
    }

    private static List<Object> select(Connection c, String id) throws SQLException {
        List<Object> rows = new ArrayList<Object>();
        PreparedStatement ps = c.prepareStatement(SELECT_ONE);
        try {
            ps.setString(1, id);
            collect(ps.executeQuery(), rows);
        } finally {
            ps.close();
        }
        return rows;
    }

    private static void collect(ResultSet rs, List<Object> rows) throws SQLException {
        try {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<String, Object>();
                row.put("id", rs.getString(1));
                row.put("value", rs.getString(2));
                rows.add(row);
            }
        } finally {
            rs.close();
        }
    }

    private static List<String> ids(Object value) throws Failure {
        List<String> out = new ArrayList<String>();
        if (value == null) return out;
        if (!(value instanceof List)) throw new Failure("BAD_REQUEST", "ids must be an array", null);
        for (Object o : (List<?>) value) {
            if (!(o instanceof String)) throw new Failure("BAD_REQUEST", "ids must be strings", null);
            out.add((String) o);
        }
        return out;
    }

    private Map<String, Object> write(Map<String, Object> request) throws Exception {
        Connection c = requireOpen();
        List<String> deletes = ids(request.get("delete"));
        Object rawUpserts = request.get("upsert");
        List<String[]> upserts = new ArrayList<String[]>();
        if (rawUpserts != null) {
            if (!(rawUpserts instanceof List)) throw new Failure("BAD_REQUEST", "upsert must be an array", null);
            for (Object o : (List<?>) rawUpserts) {
                if (!(o instanceof Map)) throw new Failure("BAD_REQUEST", "upsert rows must be objects", null);
                Object id = ((Map<?, ?>) o).get("id");
                Object value = ((Map<?, ?>) o).get("value");
                if (!(id instanceof String) || !(value instanceof String)) throw new Failure("BAD_REQUEST", "upsert rows need string id and value", null);
                upserts.add(new String[] { (String) id, (String) value });
            }
        }
        int updated = 0, inserted = 0, deleted = 0;
        List<Object> readBack = new ArrayList<Object>();
        boolean committed = false;
        try {
            PreparedStatement del = c.prepareStatement(DELETE);
            PreparedStatement upd = c.prepareStatement(UPDATE);
            PreparedStatement ins = c.prepareStatement(INSERT);
            try {
                for (String id : deletes) {
                    del.setString(1, id);
                    deleted += del.executeUpdate();
                }
                for (String[] row : upserts) {
                    upd.setString(1, row[1]);
                    upd.setString(2, row[0]);
                    int n = upd.executeUpdate();
                    if (n == 0) {
                        ins.setString(1, row[0]);
                        ins.setString(2, row[1]);
                        ins.executeUpdate();
                        inserted++;
                    } else updated += n;
                }
            } finally {
                del.close();
                upd.close();
                ins.close();
            }
            List<String> mismatched = new ArrayList<String>();
            for (String id : deletes) {
                boolean alsoUpserted = false;
                for (String[] row : upserts) if (row[0].equals(id)) alsoUpserted = true;
                if (!alsoUpserted && !select(c, id).isEmpty()) mismatched.add(id);
            }
            for (String[] row : upserts) {
                List<Object> found = select(c, row[0]);
                String value = found.size() == 1 ? (String) ((Map<?, ?>) found.get(0)).get("value") : null;
                if (!row[1].equals(value)) mismatched.add(row[0]);
                readBack.addAll(found);
            }
            if (!mismatched.isEmpty()) throw new Failure("READBACK_MISMATCH", "read back differs for " + mismatched, null);
            c.commit();
            committed = true;
        } finally {
            if (!committed) {
                try { c.rollback(); } catch (SQLException ignored) { /* the first error is reported */ }
            }
        }
        Map<String, Object> m = ok();
        m.put("updated", Long.valueOf(updated));
        m.put("inserted", Long.valueOf(inserted));
        m.put("deleted", Long.valueOf(deleted));
        m.put("rows", readBack);
        return m;
    }

    private Map<String, Object> close() throws Exception {
        if (connection != null) {
            Connection c = connection;
            connection = null;
            try {
                c.rollback();
                shutdownEmbedded(c);
            } finally {
                try { c.close(); } catch (SQLException ignored) { /* already shut down */ }
            }
        }
        return ok();
    }

    /** An embedded HSQLDB is shut down on close so that its files are consistent and its lock released. */
    private void shutdownEmbedded(Connection c) throws SQLException {
        if (url == null || !url.startsWith("jdbc:hsqldb:file:")) return;
        PreparedStatement ps = c.prepareStatement(SHUTDOWN);
        try {
            ps.execute();
        } finally {
            try { ps.close(); } catch (SQLException ignored) { /* closed by shutdown */ }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception ignored) {
            // exiting anyway
        }
    }

    static String classify(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String all = messages(e).toLowerCase();
        if (all.contains("lock acquisition failure") || all.contains("database is locked") || all.contains("lockfile")) return "DB_LOCKED";
        if (all.contains("database does not exist") || (all.contains("unknown database") && e.getErrorCode() == 1049)) return "DB_MISSING";
        if (state.startsWith("28") || e.getErrorCode() == 1045 || e.getErrorCode() == 1017 || e.getErrorCode() == 18456
            || all.contains("access denied") || all.contains("password authentication failed") || all.contains("invalid authorization")) return "AUTH_FAILED";
        if (state.startsWith("08") || hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class)
            || hasCause(e, SocketTimeoutException.class) || hasCause(e, NoRouteToHostException.class)) return "UNREACHABLE";
        return "SQL_ERROR";
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 4000; t = t.getCause()) sb.append(t.getMessage()).append(" | ");
        return sb.toString();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }

    private static String describe(SQLException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
