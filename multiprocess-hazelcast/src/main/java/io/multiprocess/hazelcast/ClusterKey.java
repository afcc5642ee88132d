package io.multiprocess.hazelcast;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every member of a cluster pool shares: it authenticates task and result envelopes with HMAC-SHA256,
 * as the authkey authenticates the peers of a connection. Hazelcast's open-source edition lets anything that reaches
 * its port join, so this key, not membership, decides whose bytes are deserialized.
 */
final class ClusterKey {

    static final int MINIMUM_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final String id;

    ClusterKey(byte[] secret) {
        if (secret == null || secret.length < MINIMUM_BYTES) {
            throw new IllegalArgumentException("a cluster key needs at least " + MINIMUM_BYTES + " bytes (got "
                    + (secret == null ? "none" : secret.length) + "): give every member the same random key, for "
                    + "example 32 bytes from SecureRandom, base64-encoded in MULTIPROCESS_CLUSTER_KEY");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        // Published with each member's load, so that members with another key are never chosen; a MAC of a fixed
        // label says nothing of the key.
        this.id = HexFormat.of().formatHex(Arrays.copyOf(mac(bytes("multiprocess cluster key id")), 8));
    }

    /** A short public name of the key: equal on members that share the key, different otherwise. */
    String id() {
        return id;
    }

    /** The MAC of {@code parts}, each length-prefixed so that no two sequences of parts give the same input. */
    byte[] mac(byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            for (byte[] part : parts) {
                mac.update(ByteBuffer.allocate(4).putInt(part.length).array());
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Whether {@code mac} authenticates {@code parts}, compared in constant time. */
    boolean verify(byte[] mac, byte[]... parts) {
        return mac != null && MessageDigest.isEqual(mac, mac(parts));
    }

    static byte[] bytes(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }
}
