package org.lstm4j.reliability;

import java.util.Random;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.SequenceModel;

/** The models the long runs and concurrency tests drive: small, seeded, and streamable. */
public final class ReliabilityModels {

    public static final int FEATURES = 8;

    private ReliabilityModels() {
    }

    /**
     * Two stacked forward LSTMs (8 -> 32 -> 16, peepholes on the first) and a dense head: enough
     * layers that a backend which mixed up per-layer state between streams or threads would show it.
     */
    public static SequenceModel stacked(long seed) {
        Random rnd = new Random(seed);
        return SequenceModel.builder(FEATURES).name("reliability-stacked-" + seed)
                .add(RandomModels.lstm(rnd, FEATURES, 32, Direction.FORWARD, true).name("lstm0").build())
                .add(RandomModels.lstm(rnd, 32, 16, Direction.FORWARD, false).name("lstm1").build())
                .add(RandomModels.dense(rnd, 16, 3, Activation.tanh()))
                .build();
    }
}
