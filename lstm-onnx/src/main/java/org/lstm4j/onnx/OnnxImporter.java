package org.lstm4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lstm4j.model.SequenceModel;
import org.lstm4j.onnx.proto.OnnxProto.ModelProto;

/**
 * Reads an ONNX model holding fused {@code LSTM} operators and the glue exporters write around them
 * (PyTorch's {@code torch.onnx.export}, both the TorchScript-based and the dynamo exporter; tf2onnx for
 * Keras) and maps it onto a neutral {@link SequenceModel}: LSTM and dense layers with canonical
 * weights, and the graph's inputs and outputs as named {@link org.lstm4j.model.Port}s.
 *
 * <p>The importer folds constants, tracks batch and time as symbolic sizes, and recognises each node
 * between the graph input and output; a node it cannot map is an error that names it, never a
 * silently different model. Sizes are bounded by {@link OnnxImportOptions}.
 */
public final class OnnxImporter {

    private final OnnxImportOptions options;

    public OnnxImporter(OnnxImportOptions options) {
        this.options = options;
    }

    public OnnxImporter() {
        this(OnnxImportOptions.defaults());
    }

    /** Imports a model file with default options; external data is read from the file's folder. */
    public static SequenceModel importModel(Path file) {
        return new OnnxImporter().read(file);
    }

    /** Imports a serialized model with default options; {@code sourceName} names it in messages. */
    public static SequenceModel importModel(byte[] bytes, String sourceName) {
        return new OnnxImporter().read(bytes, sourceName);
    }

    public SequenceModel read(Path file) {
        String name = file.toString();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new OnnxImportException(name + ": cannot read the model file: " + e, e);
        }
        if (size > options.maxFileBytes()) {
            throw new OnnxImportException(name + ": " + size + " bytes, larger than the limit of " + options.maxFileBytes()
                    + " bytes (OnnxImportOptions.maxFileBytes)");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = TensorReader.readLimited(in, options.maxFileBytes(), name);
        } catch (IOException e) {
            throw new OnnxImportException(name + ": cannot read the model file: " + e, e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return read(bytes, name, dir);
    }

    public SequenceModel read(byte[] bytes, String sourceName) {
        return read(bytes, sourceName, null);
    }

    private SequenceModel read(byte[] bytes, String source, Path dir) {
        if (bytes.length > options.maxFileBytes()) {
            throw new OnnxImportException(source + ": " + bytes.length + " bytes, larger than the limit of " + options.maxFileBytes()
                    + " bytes (OnnxImportOptions.maxFileBytes)");
        }
        ModelProto model = parse(bytes, source, options);
        if (!model.hasGraph()) {
            throw new OnnxImportException(source + ": not an ONNX model (it has no graph; is it an ONNX file at all?)");
        }
        TensorReader reader = new TensorReader(options, dir, source);
        return new GraphMapper(model, source, reader, options).map();
    }

    static ModelProto parse(byte[] bytes, String source, OnnxImportOptions options) {
        if (bytes.length == 0) {
            throw new OnnxImportException(source + ": the file is empty");
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            // Nested subgraphs (Loop bodies inside Loop bodies ...) are bounded here, before anything recurses over them.
            in.setRecursionLimit(options.maxNesting());
            ModelProto m = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException(source + ": not a readable ONNX model (truncated or corrupt protobuf: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new OnnxImportException(source + ": cannot parse: " + e, e);
        }
    }
}
