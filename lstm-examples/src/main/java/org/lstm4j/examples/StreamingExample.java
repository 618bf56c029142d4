package org.lstm4j.examples;

import java.util.Random;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.Activation;
import org.lstm4j.model.DenseLayer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.ModelState;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.DenseWeights;
import org.lstm4j.weights.LstmWeights;

/**
 * Streaming: 1,000 sensors, each a series of its own, fed one reading at a time. The stream keeps
 * each sensor's LSTM state between calls; a snapshot checkpoints all of them, and restoring it
 * replays the same continuation exactly.
 *
 * <pre>./lstm example streaming [backend]</pre>
 */
public final class StreamingExample {

    public static void main(String[] args) {
        Random rnd = new Random(7);
        int sensors = 1000;
        SequenceModel model = SequenceModel.builder(1).name("sensor-anomaly")
                .add(LstmLayer.builder(1, 16).weights(LstmWeights.of(1, 16, uniform(rnd, 64), uniform(rnd, 16 * 64), uniform(rnd, 64), null, null)).build())
                .add(DenseLayer.of("next-reading", DenseWeights.of(16, 1, uniform(rnd, 16), null), Activation.linear()))
                .build();
        try (Predictor predictor = Backends.select(args.length > 0 ? args[0] : null).compile(model);
             StreamingPredictor stream = predictor.stream(sensors)) {
            System.out.println("backend " + predictor.backendName() + ": " + sensors + " streams");
            ModelState checkpoint = null;
            FloatTensor afterCheckpoint = null;
            long start = System.nanoTime();
            for (int t = 0; t < 200; t++) {
                FloatTensor reading = readings(t, sensors);
                FloatTensor predicted = stream.step(reading);        // [sensors, 1]: each sensor's next-reading estimate
                if (t == 99) {
                    checkpoint = stream.snapshot();                 // immutable; cheap to keep
                }
                if (t == 100) {
                    afterCheckpoint = predicted;
                }
            }
            System.out.printf("200 steps x %d streams in %.1f ms%n", sensors, (System.nanoTime() - start) / 1e6);
            stream.restore(checkpoint);
            FloatTensor replay = stream.step(readings(100, sensors));
            System.out.println("restored the step-99 checkpoint; step 100 replays identically: " + replay.equals(afterCheckpoint));
            stream.reset(0);
            System.out.println("sensor 0 reset to zero state; the other " + (sensors - 1) + " streams carry on");
        }
    }

    private static FloatTensor readings(int t, int sensors) {
        float[] v = new float[sensors];
        for (int s = 0; s < sensors; s++) {
            v[s] = (float) Math.sin(0.1 * t + s * 0.01);
        }
        return FloatTensor.of(new int[] {sensors, 1}, v);
    }

    private static float[] uniform(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rnd.nextFloat() * 2 - 1) * 0.3f;
        }
        return a;
    }
}
