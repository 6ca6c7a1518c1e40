/**
 * The client side of the transport SPI: what a transport module implements
 * ({@link dev.parley.spi.TransportProvider}, {@link dev.parley.spi.Transport},
 * {@link dev.parley.spi.Subscription}), what it is given ({@link dev.parley.spi.TransportConfig},
 * with the identity's {@link dev.parley.Authenticator}) and what it carries
 * ({@link dev.parley.spi.Envelope}, {@link dev.parley.spi.PublishResult}), and what a node lets one
 * connection subscribe to ({@link dev.parley.spi.SubscriptionLimits}). The node side of a
 * transport is in {@link dev.parley.spi.node}. The SPI builds on the API ({@code dev.parley}),
 * never the other way round.
 */
package dev.parley.spi;
