/**
 * Keras models read straight from the files Keras writes, with no Python: {@link org.lstm4j.keras.KerasImporter}.
 * A file is opened ({@code KerasArchive} for {@code .keras}, {@code LegacyH5} for {@code .h5}), its
 * configuration parsed into layers and the tensors between them ({@code KerasConfig}), the graph checked to
 * be a chain ({@code KerasChain}), and each layer mapped by the handler of its family ({@code LstmLayers},
 * {@code DenseLayers}, {@code PassThroughLayers}) onto lstm4j's model, weights checked against the shapes
 * the configuration implies before any is read.
 */
package org.lstm4j.keras;
