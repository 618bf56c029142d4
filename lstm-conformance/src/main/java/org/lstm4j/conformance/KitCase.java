package org.lstm4j.conformance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.lstm4j.backend.Capabilities;
import org.lstm4j.backend.Capability;
import org.lstm4j.model.Activation;
import org.lstm4j.model.Direction;
import org.lstm4j.model.MergeMode;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Padding;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StepMask;
import org.lstm4j.testing.RandomModels;
import org.lstm4j.testing.Tolerance;

/**
 * One seeded model and batch the kit runs on a backend and on the reference engine. The case
 * names say what they exercise; the capabilities they need follow from the model and batch.
 */
public record KitCase(String name, SequenceModel model, SequenceBatch batch, Tolerance tolerance) {

    /** What a backend must declare to run this case. */
    public Set<Capability> requires() {
        return requirementsOf(model, batch);
    }

    /** What a backend must declare to run {@code model} on {@code batch}. */
    public static Set<Capability> requirementsOf(SequenceModel model, SequenceBatch batch) {
        Set<Capability> need = EnumSet.noneOf(Capability.class);
        need.addAll(Capabilities.requiredBy(model));
        if (batch.hasLengths()) {
            need.add(Capability.SEQUENCE_LENGTHS);
        }
        if (batch.hasInitialState()) {
            need.add(Capability.INITIAL_STATE);
        }
        if (batch.hasMask()) {
            need.add(Capability.MASKS);
        }
        StepMask mask = StepMask.resolve(model, batch);
        if (mask != null && !mask.isContiguous()) {
            need.add(Capability.ARBITRARY_MASKS);
        }
        return need;
    }

    @Override
    public String toString() {
        return name;
    }

    private static KitCase make(String name, long seed, int batch, int time, int in, Function<Random, SequenceModel> model,
                                Function<SequenceBatch, SequenceBatch> extra) {
        Random rnd = new Random(seed);
        SequenceModel m = model.apply(rnd);
        SequenceBatch b = extra.apply(SequenceBatch.of(RandomModels.input(rnd, batch, time, in)));
        return new KitCase(name, m, b, Tolerance.DEFAULT);
    }

    private static KitCase simple(String name, long seed, int batch, int time, int in, int hidden,
                                  Function<org.lstm4j.model.LstmLayer.Builder, org.lstm4j.model.LstmLayer.Builder> layer,
                                  Direction dir, boolean peepholes) {
        return make(name, seed, batch, time, in,
                rnd -> SequenceModel.builder(in).name(name).add(layer.apply(RandomModels.lstm(rnd, in, hidden, dir, peepholes)).build()).build(),
                b -> b);
    }

    /** The cases of the reference-agreement rule: shapes, directions, merges, activations, options. */
    public static List<KitCase> referenceAgreement() {
        List<KitCase> cases = new ArrayList<>();
        Function<org.lstm4j.model.LstmLayer.Builder, org.lstm4j.model.LstmLayer.Builder> same = l -> l;
        cases.add(simple("batch 1, time 1, hidden 1", 1, 1, 1, 1, 1, same, Direction.FORWARD, false));
        cases.add(simple("batch 5, time 7, input 3, hidden 4", 2, 5, 7, 3, 4, same, Direction.FORWARD, false));
        cases.add(simple("long sequence: time 300, hidden 8", 3, 2, 300, 4, 8, same, Direction.FORWARD, false));
        cases.add(make("seed model: LSTM(50) over 100 x 10, Dense(10)", 4, 3, 100, 10, rnd -> SequenceModel.builder(10).name("seed")
                .add(RandomModels.lstm(rnd, 10, 50, Direction.FORWARD, false).outputMode(OutputMode.FINAL_STATE).build())
                .add(RandomModels.dense(rnd, 50, 10, Activation.linear())).build(), b -> b));
        cases.add(make("three stacked layers", 5, 3, 12, 5, rnd -> SequenceModel.builder(5).name("stacked")
                .add(RandomModels.lstm(rnd, 5, 6, Direction.FORWARD, false).name("l0").build())
                .add(RandomModels.lstm(rnd, 6, 7, Direction.FORWARD, false).name("l1").build())
                .add(RandomModels.lstm(rnd, 7, 3, Direction.FORWARD, false).name("l2").build()).build(), b -> b));
        cases.add(simple("reverse direction", 6, 3, 9, 4, 5, same, Direction.REVERSE, false));
        cases.add(simple("reverse with Keras go_backwards output order", 7, 3, 9, 4, 5, l -> l.reversedOutputOrder(true), Direction.REVERSE, false));
        for (MergeMode merge : MergeMode.values()) {
            cases.add(simple("bidirectional, merge " + merge.name().toLowerCase(), 8 + merge.ordinal(), 3, 8, 4, 5,
                    l -> l.mergeMode(merge), Direction.BIDIRECTIONAL, false));
        }
        cases.add(simple("bidirectional final state (Keras return_sequences=False)", 12, 3, 8, 4, 5,
                l -> l.outputMode(OutputMode.FINAL_STATE), Direction.BIDIRECTIONAL, false));
        cases.add(simple("bidirectional last step (PyTorch out[:, -1, :])", 13, 3, 8, 4, 5,
                l -> l.outputMode(OutputMode.LAST_STEP), Direction.BIDIRECTIONAL, false));
        cases.add(make("two bidirectional layers and a dense head on every step", 14, 2, 6, 3, rnd -> SequenceModel.builder(3)
                .add(RandomModels.lstm(rnd, 3, 4, Direction.BIDIRECTIONAL, false).name("b0").build())
                .add(RandomModels.lstm(rnd, 8, 4, Direction.BIDIRECTIONAL, false).name("b1").build())
                .add(RandomModels.dense(rnd, 8, 2, Activation.tanh())).build(), b -> b));
        cases.add(make("dense softmax head on the final state", 15, 4, 6, 3, rnd -> SequenceModel.builder(3)
                .add(RandomModels.lstm(rnd, 3, 6, Direction.FORWARD, false).outputMode(OutputMode.FINAL_STATE).build())
                .add(RandomModels.dense(rnd, 6, 4, Activation.relu()))
                .add(RandomModels.dense(rnd, 4, 3, Activation.softmax())).build(), b -> b));
        cases.add(make("standalone ReLU between the LSTM and a dense head (PyTorch nn.ReLU)", 16, 3, 5, 3, rnd -> SequenceModel.builder(3)
                .add(RandomModels.lstm(rnd, 3, 6, Direction.FORWARD, false).build())
                .add(org.lstm4j.model.ActivationLayer.of("relu", 6, Activation.relu()))
                .add(RandomModels.dense(rnd, 6, 2, Activation.linear())).build(), b -> b));
        Activation[] gates = {Activation.hardSigmoid(), Activation.kerasHardSigmoid(), Activation.relu(), Activation.tanh()};
        for (Activation f : gates) {
            cases.add(simple("gate activation " + f, 20 + cases.size(), 3, 6, 3, 4,
                    l -> l.activations(f, Activation.tanh(), Activation.tanh()), Direction.FORWARD, false));
        }
        Activation[] cells = {Activation.relu(), Activation.softsign(), Activation.softplus(), Activation.elu(0.7f),
            Activation.leakyRelu(0.3f), Activation.thresholdedRelu(0.1f), Activation.scaledTanh(1.5f, 0.7f), Activation.affine(0.5f, 0.1f),
            Activation.sigmoid()};
        for (Activation g : cells) {
            cases.add(simple("cell and hidden activation " + g, 40 + cases.size(), 3, 6, 3, 4,
                    l -> l.activations(Activation.sigmoid(), g, g), Direction.FORWARD, false));
        }
        cases.add(simple("cell clip 0.5", 60, 3, 10, 3, 4, l -> l.cellClip(0.5f), Direction.FORWARD, false));
        cases.add(simple("cell clip 0.5, bidirectional", 61, 3, 10, 3, 4, l -> l.cellClip(0.5f), Direction.BIDIRECTIONAL, false));
        cases.add(simple("peepholes", 62, 3, 10, 3, 4, same, Direction.FORWARD, true));
        cases.add(simple("peepholes, bidirectional", 63, 3, 10, 3, 4, same, Direction.BIDIRECTIONAL, true));
        cases.add(simple("coupled input and forget gates", 64, 3, 10, 3, 4, l -> l.coupledInputForget(true), Direction.FORWARD, false));
        for (Direction d : Direction.values()) {
            cases.add(make("ragged lengths, right padding, " + d.name().toLowerCase(), 70 + d.ordinal(), 4, 7, 3,
                    rnd -> SequenceModel.builder(3).add(RandomModels.lstm(rnd, 3, 4, d, false).build()).build(),
                    b -> b.withLengths(7, 1, 4, 6)));
            cases.add(make("ragged lengths, left padding, " + d.name().toLowerCase(), 75 + d.ordinal(), 4, 7, 3,
                    rnd -> SequenceModel.builder(3).add(RandomModels.lstm(rnd, 3, 4, d, false).build()).build(),
                    b -> b.withLengths(2, 7, 5, 1).withPadding(Padding.LEFT)));
        }
        cases.add(make("ragged lengths, final state of a bidirectional layer", 80, 4, 7, 3,
                rnd -> SequenceModel.builder(3).add(RandomModels.lstm(rnd, 3, 4, Direction.BIDIRECTIONAL, false)
                        .outputMode(OutputMode.FINAL_STATE).build()).build(), b -> b.withLengths(3, 7, 1, 5)));
        for (Direction d : Direction.values()) {
            long seed = 85 + d.ordinal();
            Random rnd = new Random(seed);
            SequenceModel m = SequenceModel.builder(3).name("initial state " + d)
                    .add(RandomModels.lstm(rnd, 3, 4, d, false).name("l0").build())
                    .add(RandomModels.lstm(rnd, d.count() * 4, 5, Direction.FORWARD, false).name("l1").build()).build();
            SequenceBatch b = SequenceBatch.of(RandomModels.input(rnd, 3, 2, 3)).withInitialState(RandomModels.state(rnd, m, 3));
            cases.add(new KitCase("non-zero initial states, short sequence, " + d.name().toLowerCase(), m, b, Tolerance.DEFAULT));
        }
        return cases;
    }
}
