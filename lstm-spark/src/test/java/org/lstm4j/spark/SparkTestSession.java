package org.lstm4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local[2] session every test class of this module shares (a session takes seconds to start); Spark stops
 * it when the test JVM exits. No UI, few shuffle partitions, loopback only.
 */
final class SparkTestSession {
    private static SparkSession spark;

    private SparkTestSession() {
    }

    static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("lstm-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return spark;
    }
}
