package org.lstm4j.backend;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.lstm4j.model.Activation;
import org.lstm4j.model.ActivationLayer;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.Direction;
import org.lstm4j.model.EmbeddingLayer;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;

/** Which {@link Capability capabilities} a model needs, so that a backend can refuse it before compiling. */
public final class Capabilities {
    private Capabilities() {
    }

    /** The capabilities {@code model} needs (streaming and thread safety are asked for at run time, not here). */
    public static Set<Capability> requiredBy(SequenceModel model) {
        Set<Capability> need = EnumSet.noneOf(Capability.class);
        for (LstmLayer l : model.lstmLayers()) {
            if (l.direction() != Direction.FORWARD) {
                need.add(Capability.BIDIRECTIONAL);
            }
            if (l.hasPeepholes()) {
                need.add(Capability.PEEPHOLES);
            }
            if (l.hasCellClip()) {
                need.add(Capability.CELL_CLIP);
            }
            if (l.coupledInputForget()) {
                need.add(Capability.COUPLED_INPUT_FORGET);
            }
            if (!l.hasDefaultActivations()) {
                need.add(Capability.CUSTOM_ACTIVATIONS);
            }
        }
        for (Layer l : model.layers()) {
            Activation a = l instanceof DenseLayer d ? d.activation() : l instanceof ActivationLayer al ? al.activation() : null;
            if (a != null && a.kind() == Activation.Kind.LOG_SOFTMAX) {
                need.add(Capability.LOG_SOFTMAX);
            }
            if (l instanceof EmbeddingLayer) {
                need.add(Capability.TOKEN_INPUTS);
            }
        }
        if (model.masksInput()) {
            need.add(Capability.MASKS);
        }
        for (Port p : model.inputPorts()) {
            if (p.role() == Port.Role.SEQUENCE_LENGTHS) {
                need.add(Capability.SEQUENCE_LENGTHS);
            }
            if (p.role() == Port.Role.INITIAL_HIDDEN || p.role() == Port.Role.INITIAL_CELL) {
                need.add(Capability.INITIAL_STATE);
            }
        }
        return need;
    }

    /**
     * Throws {@link UnsupportedModelException} when {@code provider} lacks something {@code model} needs.
     */
    public static void requireSupported(BackendProvider provider, SequenceModel model) {
        Set<Capability> missing = requiredBy(model);
        missing.removeAll(provider.capabilities());
        if (!missing.isEmpty()) {
            List<String> names = new ArrayList<>();
            missing.forEach(c -> names.add(c.name().toLowerCase().replace('_', ' ')));
            throw new UnsupportedModelException("backend '" + provider.name() + "' cannot run model '" + model.name()
                    + "': it lacks " + String.join(", ", names) + " (the java backend runs every model lstm4j can describe)");
        }
    }
}
