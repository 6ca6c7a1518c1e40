package dev.parley.spi;

import dev.parley.spi.node.NodeLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionLimitsTest {
    @Test
    void aNodeThatAdvertisesNothingMeansTheDefaults() {
        assertThat(SubscriptionLimits.advertised(0, 0)).isEqualTo(SubscriptionLimits.DEFAULTS)
                .isEqualTo(new SubscriptionLimits(20_000, 256));
        assertThat(SubscriptionLimits.advertised(50, 0)).isEqualTo(new SubscriptionLimits(50, 256));
    }

    @Test
    void advertisedValuesBeyondAnIntAreCappedNotWrapped() {
        assertThat(SubscriptionLimits.advertised(0xFFFF_FFFFL, 3).maxTopicsPerSubscription()).isEqualTo(Integer.MAX_VALUE);
        assertThat(SubscriptionLimits.advertised(10, 3).maxTopicsPerSession()).isEqualTo(30);
    }

    @Test
    void theNodeAdvertisesWhatItEnforcesAndItsDefaultsAreTheClientsDefaults() {
        assertThat(NodeLimits.DEFAULTS.subscriptionLimits()).isEqualTo(SubscriptionLimits.DEFAULTS);
        assertThat(NodeLimits.builder().maxTopicsPerSubscription(50).maxSubscriptionsPerSession(7).build()
                .subscriptionLimits()).isEqualTo(new SubscriptionLimits(50, 7));
    }

    @Test
    void limitsThatAreNotPositiveAreRefused() {
        assertThatThrownBy(() -> new SubscriptionLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SubscriptionLimits(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
