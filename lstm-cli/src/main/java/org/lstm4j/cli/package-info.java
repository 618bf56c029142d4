/**
 * The {@code lstm} command-line tool ({@link org.lstm4j.cli.LstmCli}): one picocli command per class
 * ({@code backends}, {@code inspect}, {@code predict}, {@code forecast}, {@code conformance}, {@code example},
 * {@code keras-export}).
 */
package org.lstm4j.cli;
