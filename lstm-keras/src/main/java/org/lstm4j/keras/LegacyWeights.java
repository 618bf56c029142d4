package org.lstm4j.keras;

import java.util.ArrayList;
import java.util.List;

/**
 * Weights in a legacy full-model {@code .h5} file (tf.keras 2.x, and Keras 3's {@code model.save("m.h5")}):
 * group {@code model_weights/<layer name>} lists its datasets in its {@code weight_names} attribute,
 * in the order of the layer's {@code weights} (which is how Keras itself loads them: by position).
 */
final class LegacyWeights implements KerasWeights {

    private final Hdf5File h5;
    private final String source;

    LegacyWeights(Hdf5File h5, String source) {
        this.h5 = h5;
        this.source = source;
    }

    @Override
    public List<float[]> read(KerasLayer layer, List<Group> groups) {
        String base = "model_weights/" + layer.name();
        List<String> names = h5.exists(base) ? h5.stringListAttribute(base, "weight_names") : null;
        if (names == null) {
            throw new KerasImportException(source + ": the file has no weights for " + layer.where() + " (no '" + base
                    + "' with a weight_names attribute)");
        }
        List<Spec> specs = new ArrayList<>();
        groups.forEach(g -> specs.addAll(g.weights()));
        if (names.size() != specs.size()) {
            throw new KerasImportException(source + ": " + layer.where() + " has " + names.size() + " weights " + names + ", expected "
                    + specs.size() + " " + specs);
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            out.add(h5.floats(base + "/" + names.get(i), s.shape(), layer.where() + " weight '" + s.name() + "' (" + names.get(i) + ")"));
        }
        return out;
    }
}
