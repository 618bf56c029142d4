package org.lstm4j.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Weights in the {@code model.weights.h5} of a {@code .keras} archive (Keras 3, and tf.keras
 * 2.13+). Keras saves each layer under {@code layers/<snake_case class name>[_<n>]} in the order of
 * {@code model.layers} (not under the layer's name: {@code keras.src.saving.saving_lib} numbers
 * same-class layers 0, 1, 2 ... as {@code lstm}, {@code lstm_1}, ...), a Sequential's input layer
 * left out; a layer's variables are datasets {@code 0, 1, ...} of a {@code vars} group. Keras 3
 * also writes the layer's name as the {@code vars} group's {@code name} attribute, which is checked.
 */
final class ArchiveWeights implements KerasWeights {

    private static final Pattern NON_WORD = Pattern.compile("\\W+");
    private static final Pattern CAMEL_1 = Pattern.compile("(.)([A-Z][a-z]+)");
    private static final Pattern CAMEL_2 = Pattern.compile("([a-z])([A-Z])");

    private final Hdf5File h5;
    private final String source;
    private final Map<String, String> keys = new HashMap<>();

    ArchiveWeights(Hdf5File h5, KerasConfig cfg, String source) {
        this.h5 = h5;
        this.source = source;
        Map<String, Integer> used = new HashMap<>();
        for (KerasLayer l : cfg.layers()) {
            if (cfg.sequential() && l.isInput()) {
                continue;
            }
            String base = snakeCase(l.className());
            int n = used.merge(base, 1, Integer::sum) - 1;
            keys.put(l.name(), n == 0 ? base : base + "_" + n);
        }
    }

    /** keras.src.utils.naming.to_snake_case. */
    static String snakeCase(String className) {
        String s = NON_WORD.matcher(className).replaceAll("");
        s = CAMEL_1.matcher(s).replaceAll("$1_$2");
        return CAMEL_2.matcher(s).replaceAll("$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public List<float[]> read(KerasLayer layer, List<Group> groups) {
        String base = "layers/" + keys.get(layer.name());
        if (!h5.exists(base)) {
            throw new KerasImportException(source + ": no weights for " + layer.where() + " (expected them at '"
                    + base + "')");
        }
        String saved = h5.exists(base + "/vars") ? h5.stringAttribute(base + "/vars", "name") : null;
        if (saved != null && !saved.equals(layer.name())) {
            throw new KerasImportException(source + ": model.weights.h5 keeps layer '" + saved + "' at '" + base + "' where the "
                    + "configuration puts " + layer.where() + "; the weights do not belong to this configuration");
        }
        List<float[]> out = new ArrayList<>();
        for (Group g : groups) {
            String vars = base + (g.path().isEmpty() ? "" : "/" + g.path()) + "/vars";
            List<String> present = h5.exists(vars) ? h5.children(vars) : List.of();
            if (present.size() != g.weights().size()) {
                throw new KerasImportException(source + ": " + layer.where() + " has " + present.size() + " weight arrays at '" + vars
                        + "', expected " + g.weights().size() + " " + g.weights());
            }
            for (int i = 0; i < g.weights().size(); i++) {
                Spec s = g.weights().get(i);
                out.add(h5.floats(vars + "/" + i, s.shape(), layer.where() + " weight '" + s.name() + "'"));
            }
        }
        return out;
    }
}
