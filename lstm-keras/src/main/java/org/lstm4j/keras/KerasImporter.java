package org.lstm4j.keras;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lstm4j.model.Layer;
import org.lstm4j.model.LstmLayer;
import org.lstm4j.model.Port;
import org.lstm4j.model.SequenceModel;

/**
 * Reads a Keras model from the file Keras saved, with no Python and no ONNX step, and maps it onto
 * a neutral {@link SequenceModel} that keeps Keras's layer names:
 * <ul>
 *   <li>a Keras 3 {@code .keras} archive ({@code model.save("model.keras")}; tf.keras 2.13+ writes it too);</li>
 *   <li>a legacy HDF5 full-model {@code .h5} file ({@code model.save("model.h5")}, Keras 3 and tf.keras 2.x).</li>
 * </ul>
 * The format is recognised from the file's first bytes, not its name. Sequential and functional
 * models whose graph is a chain import, with the layers and arguments listed in
 * {@link LayerHandlers#SUPPORTED}; anything else is refused with a one-line
 * {@link KerasImportException} naming the layer, its class and why, never a partial model.
 *
 * <p>Names: the sequence input is named after its Keras input; an output after the layer that
 * computes it; an LSTM's {@code return_state} outputs {@code <layer>_h} and {@code <layer>_c}, a
 * Bidirectional's {@code <layer>_forward_h}, {@code _forward_c}, {@code _backward_h},
 * {@code _backward_c}; {@code merge_mode=None} outputs {@code <layer>_forward} and
 * {@code <layer>_backward}; initial-state and mask inputs keep their input names.
 *
 * <p>Masks ({@code Masking}, {@code Embedding(mask_zero=True)}, an LSTM's {@code mask} input) reach
 * every LSTM with Keras's semantics: a masked step keeps the state; a plain LSTM outputs its previous
 * output there ({@link org.lstm4j.model.MaskedOutput#PREVIOUS}, or zeros with
 * {@code zero_output_for_mask=True}), a Bidirectional zeros.
 */
public final class KerasImporter {

    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private final KerasImportOptions options;
    private final ObjectMapper json;

    public KerasImporter(KerasImportOptions options) {
        this.options = options;
        StreamReadConstraints limits = StreamReadConstraints.builder().maxNestingDepth(200)
                .maxStringLength((int) Math.min(options.maxConfigBytes(), Integer.MAX_VALUE - 8)).build();
        this.json = new ObjectMapper(JsonFactory.builder().streamReadConstraints(limits).build());
    }

    public KerasImporter() {
        this(KerasImportOptions.defaults());
    }

    /** Imports a {@code .keras} or {@code .h5} file with default options. */
    public static SequenceModel importModel(Path file) {
        return new KerasImporter().read(file);
    }

    /** Imports a model file's bytes with default options; {@code sourceName} names it in messages. */
    public static SequenceModel importModel(byte[] bytes, String sourceName) {
        return new KerasImporter().read(bytes, sourceName);
    }

    /** Whether these first bytes of a file are a Keras model file's (a zip archive or an HDF5 file). */
    public static boolean looksLikeKerasFile(byte[] head) {
        return KerasArchive.isArchive(head) || isHdf5(head);
    }

    public SequenceModel read(Path file) {
        String source = file.toString();
        byte[] head = new byte[8];
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            head = in.readNBytes(8);
        } catch (IOException e) {
            throw new KerasImportException(source + ": cannot read the model file: " + e, e);
        }
        if (size > options.maxFileBytes()) {
            throw new KerasImportException(source + ": " + size + " bytes, larger than the limit of " + options.maxFileBytes()
                    + " bytes (KerasImportOptions.maxFileBytes)");
        }
        if (KerasArchive.isArchive(head)) {
            try (InputStream in = Files.newInputStream(file)) {
                return fromArchive(in, source);
            } catch (IOException e) {
                throw new KerasImportException(source + ": cannot read the model file: " + e, e);
            }
        }
        requireHdf5(head, source);
        try (Hdf5File h5 = Hdf5File.open(file, source, options.maxFileBytes())) {
            return fromLegacyH5(h5, source);
        }
    }

    public SequenceModel read(byte[] bytes, String source) {
        if (bytes.length > options.maxFileBytes()) {
            throw new KerasImportException(source + ": " + bytes.length + " bytes, larger than the limit of " + options.maxFileBytes()
                    + " bytes (KerasImportOptions.maxFileBytes)");
        }
        if (KerasArchive.isArchive(bytes)) {
            return fromArchive(new ByteArrayInputStream(bytes), source);
        }
        requireHdf5(bytes, source);
        try (Hdf5File h5 = Hdf5File.open(bytes, source)) {
            return fromLegacyH5(h5, source);
        }
    }

    private SequenceModel fromArchive(InputStream in, String source) {
        try (KerasArchive archive = KerasArchive.read(in, source, options)) {
            JsonNode config = parseJson(archive.config, source, "config.json");
            String version = archive.metadata.length == 0 ? null
                    : parseJson(archive.metadata, source, "metadata.json").path("keras_version").asText(null);
            KerasConfig cfg = KerasConfig.parse(config, version, source, options);
            try (Hdf5File h5 = Hdf5File.open(archive.weights, source + "!model.weights.h5", options.maxFileBytes())) {
                return map(cfg, new ArchiveWeights(h5, cfg, source + "!model.weights.h5"), source, "keras");
            }
        }
    }

    private SequenceModel fromLegacyH5(Hdf5File h5, String source) {
        String config = h5.stringAttribute("/", "model_config");
        if (config == null) {
            throw new KerasImportException(source + ": an HDF5 file without a model_config attribute: "
                    + (h5.exists("layers") || !h5.exists("model_weights") ? "weights only (model.save_weights), " : "")
                    + "not a whole Keras model; save it with model.save(\"model.keras\") or model.save(\"model.h5\")");
        }
        if (config.length() > options.maxConfigBytes()) {
            throw new KerasImportException(source + ": model_config of " + config.length() + " characters, more than the limit of "
                    + options.maxConfigBytes() + " (KerasImportOptions.maxConfigBytes)");
        }
        String version = h5.stringAttribute("/", "keras_version");
        KerasConfig cfg = KerasConfig.parse(parseJson(config.getBytes(StandardCharsets.UTF_8), source, "model_config"), version,
                source, options);
        return map(cfg, new LegacyWeights(h5, source), source, "h5");
    }

    private SequenceModel map(KerasConfig cfg, KerasWeights weights, String source, String format) {
        KerasChain chain = KerasChain.of(cfg, source);
        boolean tokens = chain.layers().get(0).className().equals("Embedding");
        int features = tokens ? vocabulary(chain, source) : features(chain, source);
        MappingContext ctx = new MappingContext(source, cfg.kerasMajor(), weights, options, features);
        ctx.tokens = tokens;
        ctx.masked = chain.maskInput() != null;
        SequenceModel.Builder b = SequenceModel.builder(features).name(cfg.name());
        Map<KerasLayer, Integer> lstmIndex = new HashMap<>();
        List<KerasLayer> layers = chain.layers();
        for (int i = 0; i < layers.size(); i++) {
            KerasLayer l = layers.get(i);
            if (i > 0 && LstmLayers.keepsDirectionsApart(layers.get(i - 1))) {
                throw ctx.refuse(layers.get(i - 1), "has merge_mode=None, so it returns two tensors, but " + l.where()
                        + " reads it as one; lstm4j imports merge_mode=None on the last layer only");
            }
            Optional<Layer> mapped;
            try {
                mapped = LayerHandlers.of(l, ctx).map(l, ctx);
            } catch (IllegalArgumentException e) {
                throw ctx.refuse(l, "does not map onto an lstm4j layer: " + e.getMessage());
            }
            if (mapped.isPresent()) {
                if (mapped.get() instanceof LstmLayer) {
                    lstmIndex.put(l, lstmIndex.size());
                }
                b.add(mapped.get());
            }
        }
        b.ports(ports(chain, lstmIndex, ctx)).metadata("keras.version", cfg.kerasMajor() + "")
                .metadata("keras.format", format);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new KerasImportException(source + ": the model does not map onto lstm4j's model: " + e.getMessage(), e);
        }
    }

    /** The vocabulary of a model that starts with an Embedding over token ids {@code [batch, time]}. */
    private static int vocabulary(KerasChain chain, String source) {
        JsonNode s = chain.inputShape();
        JsonNode v = chain.layers().get(0).config().get("input_dim");
        if ((s.isArray() && s.size() != 2) || v == null || !v.canConvertToInt() || v.asInt() < 1) {
            throw new KerasImportException(source + ": input '" + chain.inputName() + "' has shape " + s + " before an Embedding of "
                    + "input_dim " + v + "; lstm4j imports token ids [batch, time] into an Embedding with a known vocabulary");
        }
        return v.asInt();
    }

    /** Features per step of the sequence input, {@code [batch, time, features]}. */
    private static int features(KerasChain chain, String source) {
        JsonNode s = chain.inputShape();
        if (!s.isArray() || s.isEmpty()) {
            throw new KerasImportException(source + ": input '" + chain.inputName() + "' declares no shape (build the model on a "
                    + "keras.Input(shape=(time, features)))");
        }
        JsonNode f = s.get(s.size() - 1);
        if (s.size() != 3 || !f.canConvertToInt() || f.asInt() < 1) {
            throw new KerasImportException(source + ": input '" + chain.inputName() + "' has shape " + s
                    + "; lstm4j imports sequence inputs [batch, time, features] with a known feature count");
        }
        return f.asInt();
    }

    private static List<Port> ports(KerasChain chain, Map<KerasLayer, Integer> lstmIndex, MappingContext ctx) {
        List<Port> ports = new ArrayList<>();
        Set<String> names = new HashSet<>();
        ports.add(Port.input(unique(chain.inputName(), names)));
        if (chain.maskInput() != null) {
            ports.add(new Port(unique(chain.maskInput(), names), Port.Role.STEP_MASK, Port.Layout.BATCH_MAJOR, List.of()));
        }
        for (KerasChain.StateInput s : chain.stateInputs()) {
            LstmLayers.PortKind kind = lstmIndex.containsKey(s.rnn()) ? LstmLayers.initialStateKind(s.rnn(), s.position()) : null;
            if (kind == null) {
                throw ctx.refuse(s.rnn(), "takes input '" + s.name() + "' as initial state " + s.position()
                        + ", which lstm4j cannot place (an LSTM takes [h, c], a Bidirectional [h_fw, c_fw, h_bw, c_bw])");
            }
            ports.add(new Port(unique(s.name(), names), kind.role(), Port.Layout.SQUEEZED, List.of(lstmIndex.get(s.rnn())),
                    kind.direction()));
        }
        KerasLayer end = chain.layers().get(chain.layers().size() - 1);
        for (KerasChain.Output o : chain.outputs()) {
            boolean recurrent = lstmIndex.containsKey(o.layer());
            LstmLayers.PortKind kind = recurrent ? LstmLayers.outputKind(o.layer(), o.tensor())
                    : o.tensor() == 0 ? new LstmLayers.PortKind(Port.Role.OUTPUT, Port.ALL_DIRECTIONS, "") : null;
            if (kind == null || (kind.role() == Port.Role.OUTPUT && o.layer() != end)) {
                throw ctx.refuse(o.layer(), "has no output " + o.tensor() + " that lstm4j can return");
            }
            String name = unique(o.layer().name() + kind.suffix(), names);
            ports.add(kind.role() == Port.Role.OUTPUT ? new Port(name, Port.Role.OUTPUT, Port.Layout.BATCH_MAJOR, List.of(), kind.direction())
                    : new Port(name, kind.role(), Port.Layout.SQUEEZED, List.of(lstmIndex.get(o.layer())), kind.direction()));
        }
        return ports;
    }

    private static String unique(String name, Set<String> taken) {
        String n = name;
        for (int k = 1; !taken.add(n); k++) {
            n = name + "_" + k;
        }
        return n;
    }

    private JsonNode parseJson(byte[] text, String source, String what) {
        try {
            JsonNode n = json.readTree(text);
            if (n == null || !n.isObject()) {
                throw new KerasImportException(source + ": " + what + " is not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new KerasImportException(source + ": " + what + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new KerasImportException(source + ": cannot read " + what + ": " + e, e);
        }
    }

    private static boolean isHdf5(byte[] head) {
        if (head.length < HDF5_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < HDF5_MAGIC.length; i++) {
            if (head[i] != HDF5_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void requireHdf5(byte[] head, String source) {
        if (head.length == 0) {
            throw new KerasImportException(source + ": the file is empty");
        }
        if (!isHdf5(head)) {
            throw new KerasImportException(source + ": not a Keras model file (neither a .keras zip archive nor an HDF5 .h5 file"
                    + (head[0] == '{' ? "; it looks like JSON: a bare configuration has no weights" : "") + ")");
        }
    }
}
