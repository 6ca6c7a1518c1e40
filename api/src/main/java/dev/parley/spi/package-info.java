/**
 * The client-side service provider interfaces: what a transport module implements
 * ({@link dev.parley.spi.TransportProvider}, {@link dev.parley.spi.Transport},
 * {@link dev.parley.spi.Subscription}), what it is given ({@link dev.parley.spi.TransportConfig},
 * {@link dev.parley.spi.Authenticator}), what it carries ({@link dev.parley.spi.Envelope},
 * {@link dev.parley.spi.PublishResult}), and the content codecs and client factory found with
 * {@link java.util.ServiceLoader}. The node side of a transport is in {@link dev.parley.spi.node}.
 */
package dev.parley.spi;
