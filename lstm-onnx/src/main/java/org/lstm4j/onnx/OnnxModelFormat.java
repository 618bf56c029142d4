package org.lstm4j.onnx;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.lstm4j.format.ModelFormat;
import org.lstm4j.model.SequenceModel;

/** ONNX files for {@link org.lstm4j.format.ModelLoader}; a protobuf has no signature, so the {@code .onnx} name decides. */
public final class OnnxModelFormat implements ModelFormat {

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public List<String> extensions() {
        return List.of(".onnx");
    }

    @Override
    public Claim claim(byte[] head, String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".onnx") ? Claim.NAME : Claim.NONE;
    }

    @Override
    public SequenceModel read(Path file) {
        return OnnxImporter.importModel(file);
    }

    @Override
    public SequenceModel read(byte[] bytes, String sourceName) {
        return OnnxImporter.importModel(bytes, sourceName);
    }
}
