package dev.parley.node.store;

import java.net.URI;

/** Store URIs as logs and consoles may show them. */
public final class StoreAddresses {
    private StoreAddresses() {
    }

    /**
     * {@code uri} without secrets: the password of its user-info and the value of a {@code password}
     * query parameter become {@code ***}; anything else is kept.
     */
    public static String withoutSecrets(URI uri) {
        String text = uri.toString();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            String user = userInfo.substring(0, userInfo.indexOf(':'));
            text = text.replace(userInfo + "@", user + ":***@");
        }
        return text.replaceAll("([?&]password=)[^&]*", "$1***");
    }
}
