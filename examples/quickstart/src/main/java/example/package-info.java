/** The README's quick start: import an ONNX model and run it on the backend the class path brings. */
package example;
