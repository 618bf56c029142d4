/** Choosing a backend through the class path: the same program on whichever backend a Maven profile adds. */
package example;
