package org.lstm4j.backend.onnx;

/**
 * ONNX Runtime refused or failed an operation (creating a session, running one). The message
 * names the model and what was being done and carries ONNX Runtime's own message; the cause is
 * the runtime's {@code OrtException}.
 */
public class OnnxRuntimeException extends RuntimeException {
    public OnnxRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
