package io.multiprocess.connection;

import io.multiprocess.errors.MultiprocessException;

/**
 * A message did not fit the buffer given to {@link Connection#recvBytesInto(byte[], int)} (Python's
 * {@code BufferTooShort}). The message is consumed; it is here, whole.
 */
public class BufferTooShortException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    private final byte[] messageBytes;

    public BufferTooShortException(byte[] messageBytes, int room) {
        super("a message of " + messageBytes.length + " bytes does not fit the " + room
                + " bytes left in the buffer; getMessageBytes() has it");
        this.messageBytes = messageBytes;
    }

    /** The whole message that did not fit. */
    public byte[] getMessageBytes() {
        return messageBytes.clone();
    }
}
