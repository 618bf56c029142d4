package org.lstm4j.conformance.keras;

import java.util.List;
import java.util.OptionalInt;

/**
 * The container export failed. {@link #failure()} says at which step; the message names the model file, the
 * step, and ends with the container's last output lines where a container ran.
 */
public final class KerasExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Where the export failed. */
    public enum Failure {
        /** The request itself: a missing model file, a bad time-step count, an empty wheelhouse, an unwritable folder. */
        BAD_REQUEST,
        /** No Docker engine answered. */
        NO_ENGINE,
        /** Building the export image failed (a base image that cannot be had, a package pip cannot install). */
        IMAGE_BUILD,
        /** Keras in the container cannot load the model file (exit status 3). */
        MODEL_UNREADABLE,
        /** The conversion failed, or the inputs do not fit the model (exit status 4). */
        EXPORT_FAILED,
        /** The ONNX export does not reproduce Keras's outputs in ONNX Runtime (exit status 1). */
        ONNX_RUNTIME_DISAGREES,
        /** The container exited with another non-zero status (killed, out of memory, bad arguments). */
        CONTAINER_FAILED,
        /** The run did not finish within {@link KerasContainerOptions#runTimeout()}; the container was stopped. */
        TIMEOUT,
        /** The run succeeded but its files could not be copied out. */
        COPY_FAILED
    }

    private final Failure failure;
    private final Integer exitCode;
    private final List<String> logTail;

    KerasExportException(Failure failure, String message, Integer exitCode, List<String> logTail, Throwable cause) {
        super(message + (logTail.isEmpty() ? "" : "\ncontainer output (last lines):\n  " + String.join("\n  ", logTail)), cause);
        this.failure = failure;
        this.exitCode = exitCode;
        this.logTail = List.copyOf(logTail);
    }

    KerasExportException(Failure failure, String message) {
        this(failure, message, null, List.of(), null);
    }

    KerasExportException(Failure failure, String message, Throwable cause) {
        this(failure, message, null, List.of(), cause);
    }

    public Failure failure() {
        return failure;
    }

    /** The container's exit status, when it exited. */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** The container's last output lines (stdout and stderr), empty when no container ran. */
    public List<String> logTail() {
        return logTail;
    }
}
