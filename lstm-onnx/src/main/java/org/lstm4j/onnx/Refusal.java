package org.lstm4j.onnx;

/**
 * Why a handler or a recogniser cannot map what it was given, without saying where: the importer
 * adds the place (the node being mapped, or the file when the model is assembled) and turns it
 * into an {@link OnnxImportException}. Package-private.
 */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refusal(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }
}
