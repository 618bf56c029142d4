package org.lstm4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * How an {@link LstmTransformer} is saved: Spark's parameter metadata ({@code metadata/}, as every Spark ML stage
 * writes it) and the model file's bytes ({@code model/<file name>}), so that a saved pipeline holds its model and
 * never reads the original {@code modelPath} again.
 */
final class LstmTransformerPersistence {
    private static final String MODEL_DIR = "model";

    private LstmTransformerPersistence() {
    }

    static final class Writer extends MLWriter {
        private final LstmTransformer instance;

        Writer(LstmTransformer instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            ModelFile file = instance.modelFile();
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
            try {
                file.writeTo(new Path(path, MODEL_DIR), sc().hadoopConfiguration());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the model of LstmTransformer " + instance.uid() + " under " + path, e);
            }
        }
    }

    static final class Reader extends MLReader<LstmTransformer> {
        @Override
        public LstmTransformer load(String path) {
            DefaultParamsReader.Metadata metadata =
                    DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(), LstmTransformer.class.getName());
            LstmTransformer t = new LstmTransformer(metadata.uid());
            metadata.getAndSetParams(t, Option.empty());
            String source = t.isSet(t.modelPath()) ? t.getModelPath() : null;
            try {
                t.useSaved(ModelFile.readSaved(new Path(path, MODEL_DIR), source, sc().hadoopConfiguration()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the model of the LstmTransformer saved at " + path, e);
            }
            return t;
        }
    }
}
