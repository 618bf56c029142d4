package example;

import java.util.Random;
import org.lstm4j.backend.Backends;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.OutputMode;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.predict.Predictor;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.weights.LstmWeights;

/** The same code on whichever backend the Maven profile put on the class path. */
public final class ChooseBackend {
    public static void main(String[] args) {
        Random rnd = new Random(1);
        float[] w = new float[4 * 8 * 3];
        float[] r = new float[4 * 8 * 8];
        for (int i = 0; i < w.length; i++) w[i] = rnd.nextFloat() - 0.5f;
        for (int i = 0; i < r.length; i++) r[i] = rnd.nextFloat() - 0.5f;
        SequenceModel model = SequenceModel.builder(3)
                .add(LstmLayer.builder(3, 8).outputMode(OutputMode.FINAL_STATE).weights(LstmWeights.of(3, 8, w, r, null, null, null)).build())
                .build();
        System.out.println(Backends.report().reason());
        try (Predictor p = Backends.select().compile(model)) {
            float[] x = new float[2 * 5 * 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i);
            System.out.println("running on " + p.backendName() + ": " + p.predict(FloatTensor.of(new int[] {2, 5, 3}, x)).output());
        }
    }
}
