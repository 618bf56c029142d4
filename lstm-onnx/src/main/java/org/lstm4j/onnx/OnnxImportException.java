package org.lstm4j.onnx;

/**
 * An ONNX model that cannot be imported: unreadable, malformed, over a limit of
 * {@link OnnxImportOptions}, or a graph that does not map onto a {@link org.lstm4j.model.SequenceModel}.
 * The message names the file and, where one is to blame, the node, its op type and the reason.
 */
public class OnnxImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OnnxImportException(String message) {
        super(message);
    }

    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
