package org.lstm4j.keras;

import java.util.Optional;
import org.lstm4j.model.Layer;

/**
 * Maps one family of Keras layers onto lstm4j: reads the layer's configuration and weights from
 * the context, checks that it reads what the previous layer writes, and updates the context's width
 * and time axis. Handlers are registered by Keras class name in {@link LayerHandlers}.
 */
interface LayerHandler {

    /** The lstm4j layer, or empty for a layer that computes nothing at inference (Dropout, an identity activation). */
    Optional<Layer> map(KerasLayer layer, MappingContext ctx);
}
