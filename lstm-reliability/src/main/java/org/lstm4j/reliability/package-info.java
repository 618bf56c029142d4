/**
 * Reliability checks (not published): long runs that watch heap and resident memory, and the models the soak and
 * concurrency tests drive.
 */
package org.lstm4j.reliability;
