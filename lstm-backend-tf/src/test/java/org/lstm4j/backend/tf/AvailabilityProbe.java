package org.lstm4j.backend.tf;

import org.lstm4j.backend.Availability;

/** Not a test: prints the provider's availability; {@link NativesMissingTest} runs it in a JVM without natives. */
public final class AvailabilityProbe {
    public static void main(String[] args) {
        Availability a = new TensorFlowBackendProvider().availability();
        System.out.println("available=" + a.available());
        System.out.println("cause=" + a.failure().map(t -> t.getClass().getName()).orElse("none"));
        System.out.println("reason=" + a.reason());
        try {
            new TensorFlowBackendProvider().compile(org.lstm4j.model.SequenceModel.builder(1)
                    .add(org.lstm4j.model.LstmLayer.builder(1, 1).weights(org.lstm4j.weights.LstmWeights.of(1, 1,
                            new float[4], new float[4], null, null, null)).build()).build());
            System.out.println("compile=succeeded");
        } catch (IllegalStateException e) {
            System.out.println("compile=" + e.getMessage());
        }
    }
}
