/**
 * Audio in, model features out, as librosa computes them: {@link org.lstm4j.audio.Audio} (WAV read with the JDK,
 * polyphase resampling), {@link org.lstm4j.audio.AudioFeatures} (power, mel, log-mel and MFCC with librosa's defaults)
 * and {@link org.lstm4j.audio.FeatureStream} (the same frames as audio arrives, for a streaming predictor).
 */
package org.lstm4j.audio;
