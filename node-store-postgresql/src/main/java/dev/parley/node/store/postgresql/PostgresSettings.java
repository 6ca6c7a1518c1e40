package dev.parley.node.store.postgresql;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where and how a {@link PostgresNodeStore} connects, from its URI
 * {@code postgresql://[user[:password]@]host[:port]/database[?param=value&...]}:
 * <ul>
 *   <li>{@code user}, {@code password}: from the user-info or the query (the query wins); default user
 *       {@code postgres}, no password (trust authentication);</li>
 *   <li>{@code schema}: the schema holding the tables (default {@code public}); nodes share a store by
 *       naming the same database and schema;</li>
 *   <li>{@code poolSize}: connections of the node's pool (default 12), besides its listening one;</li>
 *   <li>any other parameter is a pgjdbc connection property ({@code sslmode}, {@code connectTimeout}, ...).</li>
 * </ul>
 *
 * @param jdbcUrl    {@code jdbc:postgresql://host:port/database}
 * @param properties pgjdbc properties, user and password included
 */
record PostgresSettings(String jdbcUrl, String user, String schema, int poolSize, Properties properties) {
    static final String DEFAULT_SCHEMA = "public";
    static final int DEFAULT_POOL_SIZE = 12;

    /** @throws IllegalArgumentException a URI without host or database, a bad schema name or pool size */
    static PostgresSettings from(URI uri) {
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("postgresql store needs a host and a database, e.g."
                    + " postgresql://postgres@127.0.0.1:5432/parley, was " + uri);
        }
        Map<String, String> params = query(uri.getRawQuery());
        Properties props = new Properties();
        String userInfo = uri.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            props.setProperty("user", colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) {
                props.setProperty("password", userInfo.substring(colon + 1));
            }
        }
        String schema = params.getOrDefault("schema", DEFAULT_SCHEMA);
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("schema must be a lower-case SQL name (a-z, 0-9, _), was '" + schema + "'");
        }
        int poolSize = Integer.parseInt(params.getOrDefault("poolSize", Integer.toString(DEFAULT_POOL_SIZE)));
        if (poolSize < 2) {
            throw new IllegalArgumentException("poolSize must be at least 2, was " + poolSize);
        }
        params.forEach((key, value) -> {
            if (!key.equals("schema") && !key.equals("poolSize")) {
                props.setProperty(key, value);
            }
        });
        props.putIfAbsent("user", "postgres");
        props.setProperty("ApplicationName", "parley-node");
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return new PostgresSettings("jdbc:postgresql://" + uri.getHost() + port + uri.getRawPath(),
                props.getProperty("user"), schema, poolSize, props);
    }

    /** The database, for messages: {@code host:port/database} and the schema (never the password). */
    String describe() {
        return jdbcUrl.substring("jdbc:postgresql://".length()) + (schema.equals(DEFAULT_SCHEMA) ? "" : " schema " + schema);
    }

    /** The channel nodes on this database and schema NOTIFY and LISTEN on. */
    String channel() {
        return schema.equals(DEFAULT_SCHEMA) ? "parley_appended" : "parley_appended_" + schema;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new TreeMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("postgresql store parameters are name=value, was '" + pair + "'");
            }
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
