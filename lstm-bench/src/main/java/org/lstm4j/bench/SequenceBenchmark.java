package org.lstm4j.bench;

import java.util.concurrent.TimeUnit;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
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
 * (b) one request (batch 1, 100 steps, hidden 50, Dense(10)), (c) throughput (batch 64, 100 steps,
 * input 32, hidden 256) and (d) large (batch 256, 100 steps, input 128, hidden 512): one
 * {@link Predictor#predict} of the whole batch. Select with {@code -p shape=b,c,d -p backend=...}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=6g",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=12g"})
public class SequenceBenchmark {

    @Param({"java", "java-fast", "java-fast-scalar", "onnx", "tf", "nd4j"})
    public String backend;

    @Param({"b", "c", "d"})
    public String shape;

    private Predictor predictor;
    private SequenceBatch batch;

    @Setup
    public void open() {
        BenchShape s = BenchShape.of(shape);
        try {
            predictor = BenchBackends.open(backend).compile(BenchModels.random(s), BenchBackends.options(1));
        } catch (BenchBackends.Unavailable e) {
            System.out.println(e.getMessage());
            throw e;
        }
        batch = SequenceBatch.of(BenchModels.input(s));
    }

    @Benchmark
    public Prediction predict() {
        return predictor.predict(batch);
    }

    @TearDown
    public void close() {
        if (predictor != null) {
            predictor.close();
        }
    }
}
