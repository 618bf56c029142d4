package org.lstm4j.model;

import java.util.List;
import java.util.Objects;

/**
 * A named graph input or output of a model, as an imported file declares it, so that users feed
 * {@code x}, {@code h0}, {@code c0} and read {@code y}, {@code hn}, {@code cn} under the names
 * their exporter wrote. Predictors work in one fixed layout; the port says how the named tensor
 * maps to it ({@link org.lstm4j.predict.PortBinding} does the mapping).
 *
 * @param name       the graph name
 * @param role       what the tensor is
 * @param layout     how its axes are laid out
 * @param lstmLayers for state ports: the indexes (among the model's LSTM layers) whose states are
 *                   stacked in this tensor, in order; empty otherwise
 */
public record Port(String name, Role role, Layout layout, List<Integer> lstmLayers) {

    /** What a port carries. */
    public enum Role {
        SEQUENCE_INPUT(true), SEQUENCE_LENGTHS(true), INITIAL_HIDDEN(true), INITIAL_CELL(true),
        OUTPUT(false), FINAL_HIDDEN(false), FINAL_CELL(false),
        /** Which steps are valid, {@code [batch, time]} (1 or true valid, 0 masked): a Keras {@code mask=} input. */
        STEP_MASK(true);

        private final boolean input;

        Role(boolean input) {
            this.input = input;
        }

        public boolean isInput() {
            return input;
        }

        public boolean isState() {
            return this == INITIAL_HIDDEN || this == INITIAL_CELL || this == FINAL_HIDDEN || this == FINAL_CELL;
        }
    }

    /** The axis layouts a port may have. */
    public enum Layout {
        /** Sequences {@code [batch, time, features]} (token ids and masks {@code [batch, time]}), vectors {@code [batch, features]}, lengths {@code [batch]}. */
        BATCH_MAJOR,
        /** Sequences {@code [time, batch, features]} (PyTorch {@code batch_first=False}, ONNX layout 0). */
        TIME_MAJOR,
        /** An LSTM's unmerged output as ONNX layout 0 writes Y: {@code [time, directions, batch, hidden]}. */
        ONNX_Y,
        /** ONNX layout 1's Y: {@code [batch, time, directions, hidden]}. */
        ONNX_Y_BATCHWISE,
        /** States stacked as PyTorch and ONNX layout 0 do: {@code [layers x directions, batch, hidden]}. */
        STACKED,
        /** States as ONNX layout 1 writes them: {@code [batch, layers x directions, hidden]}. */
        STACKED_BATCHWISE,
        /** One layer's one-direction state without its leading axis: {@code [batch, hidden]} (Keras {@code return_state}). */
        SQUEEZED
    }

    public Port {
        Objects.requireNonNull(name, "port name");
        Objects.requireNonNull(role, "role of port '" + name + "'");
        Objects.requireNonNull(layout, "layout of port '" + name + "'");
        lstmLayers = List.copyOf(lstmLayers);
        if (role.isState() && lstmLayers.isEmpty()) {
            throw new IllegalArgumentException("state port '" + name + "' names no LSTM layer");
        }
        if (!role.isState() && !lstmLayers.isEmpty()) {
            throw new IllegalArgumentException("port '" + name + "' (" + role + ") cannot name LSTM layers");
        }
        boolean stateLayout = layout == Layout.STACKED || layout == Layout.STACKED_BATCHWISE || layout == Layout.SQUEEZED;
        if (role.isState() != stateLayout) {
            throw new IllegalArgumentException("port '" + name + "': layout " + layout + " does not suit role " + role);
        }
        if (layout == Layout.SQUEEZED && lstmLayers.size() != 1) {
            throw new IllegalArgumentException("port '" + name + "': a squeezed state holds exactly one layer, got " + lstmLayers);
        }
    }

    public static Port input(String name) {
        return new Port(name, Role.SEQUENCE_INPUT, Layout.BATCH_MAJOR, List.of());
    }

    public static Port output(String name) {
        return new Port(name, Role.OUTPUT, Layout.BATCH_MAJOR, List.of());
    }

    public static Port state(String name, Role role, Layout layout, List<Integer> lstmLayers) {
        return new Port(name, role, layout, lstmLayers);
    }
}
