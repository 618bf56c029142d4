/**
 * The conformance kit: {@link org.lstm4j.conformance.BackendConformanceKit}, abstract JUnit 5 tests every backend
 * extends with its provider, checked against the reference engine and the golden corpus (in this jar, read with
 * {@code org.lstm4j.testing.Fixture}); and {@link org.lstm4j.conformance.AgreementAssertions} for checking that the
 * backends on a test class path agree on a user's own model.
 */
package org.lstm4j.conformance;
