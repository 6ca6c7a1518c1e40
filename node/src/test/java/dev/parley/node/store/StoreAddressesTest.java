package dev.parley.node.store;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class StoreAddressesTest {
    @Test
    void passwordsAreHiddenAndTheRestKept() {
        assertThat(StoreAddresses.withoutSecrets(URI.create("postgresql://app:s3cret@db:5432/parley?schema=a")))
                .isEqualTo("postgresql://app:***@db:5432/parley?schema=a");
        assertThat(StoreAddresses.withoutSecrets(URI.create("postgresql://db/parley?user=app&password=s3cret&schema=a")))
                .isEqualTo("postgresql://db/parley?user=app&password=***&schema=a");
        assertThat(StoreAddresses.withoutSecrets(URI.create("postgresql://app@db/parley")))
                .isEqualTo("postgresql://app@db/parley");
        assertThat(StoreAddresses.withoutSecrets(URI.create("sqlite:/var/lib/parley"))).isEqualTo("sqlite:/var/lib/parley");
    }
}
