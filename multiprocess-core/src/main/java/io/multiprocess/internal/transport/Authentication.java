package io.multiprocess.internal.transport;

import io.multiprocess.errors.AuthenticationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /**
     * Loads what the handshake takes from the security framework (the providers, SHA-256, the nonce generator's
     * seed): about 12 ms of a child JVM's start, which a child has a thread do while it connects to its parent.
     */
    public static void prepare() {
        hmac(new byte[0], new byte[0]);
        RANDOM.nextBytes(new byte[1]);
    }

    /** Authenticates both ways as the accepting side: challenge the peer first, then answer its challenge. */
    public static void authenticateAsServer(FrameChannel connection, byte[] authkey) throws IOException {
        run(connection, Handshake.asServer(authkey));
    }

    /** Authenticates both ways as the connecting side: answer the peer's challenge, then challenge it. */
    public static void authenticateAsClient(FrameChannel connection, byte[] authkey) throws IOException {
        run(connection, Handshake.asClient(authkey));
    }

    /** Sends a challenge and checks the peer's digest. */
    public static void deliverChallenge(FrameChannel connection, byte[] authkey) throws IOException {
        run(connection, new Handshake(authkey, Handshake.Phase.CHALLENGE));
    }

    /** Answers the peer's challenge and checks that it was accepted. */
    public static void answerChallenge(FrameChannel connection, byte[] authkey) throws IOException {
        run(connection, new Handshake(authkey, Handshake.Phase.ANSWER));
    }

    /** Drives {@code handshake} over a connection with blocking sends and receives. */
    private static void run(FrameChannel connection, Handshake handshake) throws IOException {
        while (true) {
            sendAll(connection, handshake);
            if (handshake.isDone()) {
                return;
            }
            byte[] message = connection.recvBytes(MAX_UNAUTHENTICATED_MESSAGE);
            try {
                handshake.receive(message);
            } catch (AuthenticationException e) {
                // The peer learns of the refusal (#FAILURE#) before this side gives up.
                sendAll(connection, handshake);
                throw e;
            }
        }
    }

    private static void sendAll(FrameChannel connection, Handshake handshake) throws IOException {
        for (byte[] message : handshake.takeOutgoing()) {
            connection.sendBytes(message);
        }
    }

    /**
     * The challenge as a state machine fed one received message at a time, with the messages it wants sent kept
     * for its driver to take: the one implementation of the protocol, run by blocking code over a
     * {@link FrameChannel} and by the non-blocking {@link Acceptor}, which must not give a thread to a peer that
     * has not proven anything yet.
     */
    static final class Handshake {

        /** One direction of the challenge: this side challenges the peer, or answers the peer's challenge. */
        enum Phase { CHALLENGE, ANSWER }

        private enum Expecting { DIGEST, CHALLENGE, VERDICT, NOTHING }

        private final byte[] authkey;
        private final Phase[] phases;
        private final List<byte[]> outgoing = new ArrayList<>(2);
        private int phase = -1;
        private Expecting expecting = Expecting.NOTHING;
        private byte[] nonce;
        private boolean protocolError;

        Handshake(byte[] authkey, Phase... phases) {
            this.authkey = authkey;
            this.phases = phases;
            nextPhase();
        }

        static Handshake asServer(byte[] authkey) {
            return new Handshake(authkey, Phase.CHALLENGE, Phase.ANSWER);
        }

        static Handshake asClient(byte[] authkey) {
            return new Handshake(authkey, Phase.ANSWER, Phase.CHALLENGE);
        }

        /** Whether both sides have proven what they had to: nothing more is sent or expected. */
        boolean isDone() {
            return expecting == Expecting.NOTHING && outgoing.isEmpty();
        }

        /** Whether the last failure was a message of the wrong shape rather than a wrong or refused digest. */
        boolean wasProtocolError() {
            return protocolError;
        }

        /** The messages to send now, in order; each is one frame. */
        List<byte[]> takeOutgoing() {
            if (outgoing.isEmpty()) {
                return List.of();
            }
            List<byte[]> taken = List.copyOf(outgoing);
            outgoing.clear();
            return taken;
        }

        /**
         * Takes the peer's next message (at most {@link #MAX_UNAUTHENTICATED_MESSAGE} bytes, which the driver
         * checks before reading it).
         *
         * @throws AuthenticationException if the peer failed; a message it should still get (#FAILURE#) is then
         *     among the outgoing ones
         */
        void receive(byte[] message) {
            switch (expecting) {
                case DIGEST -> {
                    expecting = Expecting.NOTHING;
                    if (!MessageDigest.isEqual(message, hmac(authkey, nonce))) {
                        outgoing.add(FAILURE.clone());
                        throw new AuthenticationException("digest received was wrong: the peer does not know the "
                                + "authkey");
                    }
                    outgoing.add(WELCOME.clone());
                    nextPhase();
                }
                case CHALLENGE -> {
                    if (message.length != CHALLENGE.length + NONCE_LENGTH
                            || !Arrays.equals(message, 0, CHALLENGE.length, CHALLENGE, 0, CHALLENGE.length)) {
                        expecting = Expecting.NOTHING;
                        protocolError = true;
                        throw new AuthenticationException("protocol error: expected an authkey challenge from the "
                                + "peer");
                    }
                    outgoing.add(hmac(authkey, Arrays.copyOfRange(message, CHALLENGE.length, message.length)));
                    expecting = Expecting.VERDICT;
                }
                case VERDICT -> {
                    expecting = Expecting.NOTHING;
                    if (!Arrays.equals(message, WELCOME)) {
                        throw new AuthenticationException("digest sent was rejected: this process and the peer use "
                                + "different authkeys");
                    }
                    nextPhase();
                }
                case NOTHING -> throw new IllegalStateException("the authkey challenge is over; nothing more is "
                        + "expected");
            }
        }

        private void nextPhase() {
            phase++;
            if (phase >= phases.length) {
                expecting = Expecting.NOTHING;
                return;
            }
            if (phases[phase] == Phase.CHALLENGE) {
                nonce = new byte[NONCE_LENGTH];
                RANDOM.nextBytes(nonce);
                outgoing.add(concat(CHALLENGE, nonce));
                expecting = Expecting.DIGEST;
            } else {
                expecting = Expecting.CHALLENGE;
            }
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
