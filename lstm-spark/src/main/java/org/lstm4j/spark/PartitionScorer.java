package org.lstm4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;
import org.lstm4j.predict.Prediction;
import org.lstm4j.predict.Predictor;
import org.lstm4j.predict.SequenceBatch;
import org.lstm4j.predict.StepMask;
import org.lstm4j.spark.InputColumns.RowException;
import org.lstm4j.spark.InputColumns.Sequence;
import org.lstm4j.tensor.FloatTensor;
import org.lstm4j.tensor.IntTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one partition: reads {@code batchSize} rows, runs them through the executor's predictor in one call per
 * sequence length among them (one call when the rows are of one length, as padded data is), and appends each row's
 * output to it, in order. A row that cannot be scored fails the task or gets a null output, as {@link OnError}
 * says; when the engine refuses a batch for a reason the row checks did not catch, its rows are scored one by one to
 * find which.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionScorer.class);
    /** Row errors logged per partition with onError = null; the rest are only counted. */
    private static final int LOGGED_ERRORS = 10;

    private final Broadcast<byte[]> modelBytes;
    private final String modelFileName;
    private final ExecutorModels.Key key;
    private final InputColumns input;
    private final OutputColumns output;
    private final int batchSize;
    private final OnError onError;
    private final LongAccumulator errors;

    /** {@code key} names the model by {@code modelBytes}' SHA-256, the backend and the NaN policy. */
    PartitionScorer(Broadcast<byte[]> modelBytes, String modelFileName, ExecutorModels.Key key, InputColumns input,
                    OutputColumns output, int batchSize, OnError onError, LongAccumulator errors) {
        this.modelBytes = modelBytes;
        this.modelFileName = modelFileName;
        this.key = key;
        this.input = input;
        this.output = output;
        this.batchSize = batchSize;
        this.onError = onError;
        this.errors = errors;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Scoring(rows, TaskContext.get());
    }

    private ExecutorModels.Lease borrowPredictor() {
        try {
            return ExecutorModels.acquire(key, () -> ModelFile.load(modelBytes.value(), modelFileName));
        } catch (RuntimeException e) {
            throw new LstmScoringException("lstm4j could not load model '" + modelFileName + "' (sha256 " + key.sha256() + ") on "
                    + (key.backend() == null ? "the executor's default backend" : "backend '" + key.backend() + "'") + " in this executor: "
                    + e.getMessage() + ". The executors need lstm4j, its importer and a backend on their class path "
                    + "(README.md, \"Batch scoring on Spark\")", e);
        }
    }

    /** The rows of one partition, scored a batch at a time as they are read. */
    private final class Scoring implements Iterator<Row> {
        private final Iterator<Row> in;
        private final int partition;
        private final Row[] rows = new Row[batchSize];
        private final Sequence[] sequences = new Sequence[batchSize];
        private final Object[] outputs = new Object[batchSize];
        private ExecutorModels.Lease lease;
        /** Index in the partition of the batch's first row. */
        private long first;
        private int count;
        private int next;
        private int logged;

        Scoring(Iterator<Row> in, TaskContext task) {
            this.in = in;
            this.partition = task == null ? -1 : task.partitionId();
            if (task != null) {
                task.addTaskCompletionListener((TaskCompletionListener) t -> release());
            }
        }

        @Override
        public boolean hasNext() {
            if (next < count) {
                return true;
            }
            if (!in.hasNext()) {
                release();
                return false;
            }
            scoreNextBatch();
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = rows[next];
            Object[] values = new Object[row.length() + 1];
            for (int i = 0; i < row.length(); i++) {
                values[i] = row.get(i);
            }
            values[row.length()] = outputs[next];
            rows[next] = null;
            outputs[next] = null;
            next++;
            return RowFactory.create(values);
        }

        private void scoreNextBatch() {
            first += count;
            count = 0;
            next = 0;
            Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
            while (count < batchSize && in.hasNext()) {
                int i = count++;
                rows[i] = in.next();
                try {
                    sequences[i] = input.read(rows[i]);
                    byLength.computeIfAbsent(sequences[i].time, t -> new ArrayList<>()).add(i);
                } catch (RowException e) {
                    sequences[i] = null;
                    rowFailed(i, e.getMessage(), null);
                }
            }
            for (List<Integer> group : byLength.values()) {
                score(group.stream().mapToInt(Integer::intValue).toArray());
            }
            java.util.Arrays.fill(sequences, 0, count, null);
        }

        private void score(int[] batch) {
            SequenceBatch b = batchOf(batch);
            Predictor predictor = predictor();
            Prediction p;
            try {
                p = predictor.predict(b);
            } catch (IllegalArgumentException e) {
                if (batch.length == 1) {
                    rowFailed(batch[0], e.getMessage(), e);
                } else {
                    for (int i : batch) {
                        score(new int[] {i});
                    }
                }
                return;
            }
            Object[] values = output.values(predictor.model(), p, batch.length);
            for (int k = 0; k < batch.length; k++) {
                outputs[batch[k]] = values[k];
            }
        }

        private SequenceBatch batchOf(int[] batch) {
            int n = batch.length;
            int time = sequences[batch[0]].time;
            SequenceBatch b;
            if (sequences[batch[0]].tokens != null) {
                int[] ids = new int[n * time];
                for (int k = 0; k < n; k++) {
                    System.arraycopy(sequences[batch[k]].tokens, 0, ids, k * time, time);
                }
                b = SequenceBatch.ofTokens(IntTensor.of(new int[] {n, time}, ids));
            } else {
                int f = input.features();
                float[] x = new float[n * time * f];
                for (int k = 0; k < n; k++) {
                    System.arraycopy(sequences[batch[k]].features, 0, x, k * time * f, time * f);
                }
                b = SequenceBatch.of(FloatTensor.of(new int[] {n, time, f}, x));
            }
            if (input.hasLengths()) {
                int[] lengths = new int[n];
                for (int k = 0; k < n; k++) {
                    lengths[k] = sequences[batch[k]].length;
                }
                b = b.withLengths(lengths).withPadding(input.padding());
            }
            if (input.hasMask()) {
                boolean[][] mask = new boolean[n][];
                for (int k = 0; k < n; k++) {
                    mask[k] = sequences[batch[k]].mask;
                }
                b = b.withMask(StepMask.of(mask));
            }
            return b;
        }

        private Predictor predictor() {
            if (lease == null) {
                lease = borrowPredictor();
            }
            return lease.predictor();
        }

        private void release() {
            if (lease != null) {
                lease.close();
                lease = null;
            }
        }

        private void rowFailed(int i, String reason, Throwable cause) {
            String where = "row " + (first + i) + " of partition " + partition + " (counting from 0)";
            if (onError == OnError.FAIL) {
                throw new LstmScoringException("lstm4j could not score " + where + ": " + reason
                        + ". Set onError to \"null\" to give such rows a null output and count them instead", cause);
            }
            outputs[i] = null;
            errors.add(1);
            if (logged++ < LOGGED_ERRORS) {
                LOG.warn("lstm4j: {} not scored, its output is null: {}", where, reason);
            }
        }
    }
}
