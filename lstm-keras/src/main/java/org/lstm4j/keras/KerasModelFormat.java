package org.lstm4j.keras;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.lstm4j.format.ModelFormat;
import org.lstm4j.model.SequenceModel;

/** Keras's {@code .keras} and {@code .h5} files for {@link org.lstm4j.format.ModelLoader}, recognised by their zip or HDF5 signature. */
public final class KerasModelFormat implements ModelFormat {

    @Override
    public String name() {
        return "keras";
    }

    @Override
    public List<String> extensions() {
        return List.of(".keras", ".h5", ".hdf5");
    }

    @Override
    public Claim claim(byte[] head, String fileName) {
        if (KerasImporter.looksLikeKerasFile(head)) {
            return Claim.CONTENT;
        }
        String n = fileName.toLowerCase(Locale.ROOT);
        return extensions().stream().anyMatch(n::endsWith) ? Claim.NAME : Claim.NONE;
    }

    @Override
    public SequenceModel read(Path file) {
        return KerasImporter.importModel(file);
    }

    @Override
    public SequenceModel read(byte[] bytes, String sourceName) {
        return KerasImporter.importModel(bytes, sourceName);
    }
}
