package io.multiprocess.connection;

import io.multiprocess.AuthenticationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The authkey challenge, as in Python's {@code multiprocessing.connection}: one side sends random bytes, the
 * other answers with their HMAC-SHA256 under the shared authkey, and the first accepts or refuses. Run both
 * ways, a connection is trusted only when each side has proven it knows the key.
 *
 * <p>Messages exchanged here are tiny and are never deserialized, so a peer that does not know the key cannot
 * make this process load a single class.
 */
public final class Authentication {

    /** Longest message accepted before a peer is authenticated. */
    public static final int MAX_UNAUTHENTICATED_MESSAGE = 256;

    private static final byte[] CHALLENGE = "#CHALLENGE#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME = "#WELCOME#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE = "#FAILURE#".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_LENGTH = 32;
    /** SHA-256's block size, the length HMAC pads its key to. */
    private static final int HMAC_BLOCK = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Authentication() {
    }

    /** Authenticates both ways as the accepting side: challenge the peer first, then answer its challenge. */
    /**
     * Loads what the handshake takes from the security framework (the providers, SHA-256, the nonce generator's
     * seed): about 12 ms of a child JVM's start, which a child has a thread do while it connects to its parent.
     */
    public static void prepare() {
        hmac(new byte[0], new byte[0]);
        RANDOM.nextBytes(new byte[1]);
    }

    public static void authenticateAsServer(FrameChannel connection, byte[] authkey) throws IOException {
        deliverChallenge(connection, authkey);
        answerChallenge(connection, authkey);
    }

    /** Authenticates both ways as the connecting side: answer the peer's challenge, then challenge it. */
    public static void authenticateAsClient(FrameChannel connection, byte[] authkey) throws IOException {
        answerChallenge(connection, authkey);
        deliverChallenge(connection, authkey);
    }

    /** Sends a challenge and checks the peer's digest. */
    public static void deliverChallenge(FrameChannel connection, byte[] authkey) throws IOException {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        connection.sendBytes(concat(CHALLENGE, nonce));
        byte[] response = connection.recvBytes(MAX_UNAUTHENTICATED_MESSAGE);
        if (!MessageDigest.isEqual(response, hmac(authkey, nonce))) {
            connection.sendBytes(FAILURE);
            throw new AuthenticationException("digest received was wrong: the peer does not know the authkey");
        }
        connection.sendBytes(WELCOME);
    }

    /** Answers the peer's challenge and checks that it was accepted. */
    public static void answerChallenge(FrameChannel connection, byte[] authkey) throws IOException {
        byte[] challenge = connection.recvBytes(MAX_UNAUTHENTICATED_MESSAGE);
        if (challenge.length != CHALLENGE.length + NONCE_LENGTH
                || !Arrays.equals(challenge, 0, CHALLENGE.length, CHALLENGE, 0, CHALLENGE.length)) {
            throw new AuthenticationException("protocol error: expected an authkey challenge from the peer");
        }
        byte[] nonce = Arrays.copyOfRange(challenge, CHALLENGE.length, challenge.length);
        connection.sendBytes(hmac(authkey, nonce));
        byte[] verdict = connection.recvBytes(MAX_UNAUTHENTICATED_MESSAGE);
        if (!Arrays.equals(verdict, WELCOME)) {
            throw new AuthenticationException("digest sent was rejected: this process and the peer use "
                    + "different authkeys");
        }
    }

    /**
     * HMAC-SHA256 (RFC 2104) over {@link MessageDigest}. Not {@code javax.crypto.Mac}: its first use in a JVM
     * initializes the JCE framework and its crypto policy and loads every security provider until one offers
     * HMAC, about 15 ms of a child JVM's start, while SHA-256 comes from the provider that {@link SecureRandom}
     * has already loaded.
     */
    static byte[] hmac(byte[] authkey, byte[] message) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        // Longer keys are hashed first; shorter ones (an empty key too, as Python allows) are padded with zeros.
        byte[] key = authkey.length > HMAC_BLOCK ? sha256.digest(authkey) : authkey;
        byte[] innerPad = new byte[HMAC_BLOCK];
        byte[] outerPad = new byte[HMAC_BLOCK];
        for (int i = 0; i < HMAC_BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
        sha256.update(innerPad);
        byte[] inner = sha256.digest(message);
        sha256.update(outerPad);
        return sha256.digest(inner);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
