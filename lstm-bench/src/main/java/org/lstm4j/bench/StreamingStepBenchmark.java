package org.lstm4j.bench;

import java.util.concurrent.TimeUnit;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.StreamingPredictor;
import org.lstm4j.tensor.FloatTensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (a) Streaming: one step of one stream (input 10, hidden 50, then Dense(10)) with the state
 * carried by the backend's {@link StreamingPredictor}. A backend that is not on the class path fails
 * its setup with a "skipped" message and JMH goes on with the others.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=4g"})
public class StreamingStepBenchmark {

    @Param({"java", "java-fast", "java-fast-scalar", "onnx", "tf", "nd4j"})
    public String backend;

    private Predictor predictor;
    private StreamingPredictor stream;
    private FloatTensor step;

    @Setup
    public void open() {
        BenchShape s = BenchShape.A_STREAMING;
        try {
            predictor = BenchBackends.open(backend).compile(BenchModels.random(s), BenchBackends.options(1));
        } catch (BenchBackends.Unavailable e) {
            System.out.println(e.getMessage());
            throw e;
        }
        stream = predictor.stream(1);
        step = BenchModels.input(s).reshape(1, s.input);
    }

    @Benchmark
    public FloatTensor step() {
        return stream.step(step);
    }

    @TearDown
    public void close() {
        if (stream != null) {
            stream.close();
        }
        if (predictor != null) {
            predictor.close();
        }
    }
}
