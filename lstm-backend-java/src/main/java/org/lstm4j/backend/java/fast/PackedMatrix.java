package org.lstm4j.backend.java.fast;

/**
 * A weight matrix {@code W [rows][cols]} (the right-hand operand of {@code C += A W}) packed once,
 * at compile time, into column panels {@code [cols / width][rows][width]}: the micro-kernel then reads
 * each panel as one contiguous stream while it keeps a block of C in registers. Columns are padded
 * with zeros to a whole number of panels, so kernels never handle a ragged column edge; callers size
 * each row of C to {@link #paddedCols()}.
 */
final class PackedMatrix {
    final int rows;
    final int cols;
    final int width;
    final int panels;
    final float[] data;

    /**
     * @param rowMajor {@code W[r][c]} at {@code rowMajor[r * cols + c]}
     */
    PackedMatrix(float[] rowMajor, int rows, int cols, int width) {
        this.rows = rows;
        this.cols = cols;
        this.width = width;
        this.panels = (cols + width - 1) / width;
        this.data = new float[panels * rows * width];
        for (int p = 0; p < panels; p++) {
            for (int r = 0; r < rows; r++) {
                for (int w = 0; w < width; w++) {
                    int c = p * width + w;
                    if (c < cols) {
                        data[(p * rows + r) * width + w] = rowMajor[r * cols + c];
                    }
                }
            }
        }
    }

    int paddedCols() {
        return panels * width;
    }
}
