package dev.parley.internal.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SharedResourceTest {
    private final AtomicInteger made = new AtomicInteger();
    private final List<Integer> destroyed = new ArrayList<>();
    private final SharedResource<Integer> resource = new SharedResource<>("test-shared-resource-",
            made::incrementAndGet, destroyed::add);

    @Test
    void everyUserGetsTheOneInstanceUntilTheLastLeaseClosesThenANewOneIsMade() {
        SharedResource.Lease<Integer> first = resource.acquire();
        SharedResource.Lease<Integer> second = resource.acquire();
        assertThat(second.get()).isSameAs(first.get()).isEqualTo(1);
        first.close();
        assertThat(destroyed).as("still held by the second user").isEmpty();
        second.close();
        assertThat(destroyed).containsExactly(1);
        assertThat(resource.users()).isZero();

        try (SharedResource.Lease<Integer> again = resource.acquire()) {
            assertThat(again.get()).isEqualTo(2);
        }
        assertThat(destroyed).containsExactly(1, 2);
    }

    @Test
    void closingALeaseTwiceReleasesItOnce() {
        SharedResource.Lease<Integer> first = resource.acquire();
        SharedResource.Lease<Integer> second = resource.acquire();
        first.close();
        first.close();
        assertThat(resource.users()).isEqualTo(1);
        assertThat(destroyed).isEmpty();
        second.close();
        assertThat(destroyed).containsExactly(1);
    }

    @Test
    void aThreadOfTheResourceIsHeldOnlyWhileSomeoneUsesIt() {
        Thread ofTheResource = new Thread(() -> { }, "test-shared-resource-1");
        Thread other = new Thread(() -> { }, "someone-else-1");
        try (SharedResource.Lease<Integer> lease = resource.acquire()) {
            assertThat(SharedResource.isHeldThread(ofTheResource)).isTrue();
            assertThat(SharedResource.isHeldThread(other)).isFalse();
        }
        assertThat(SharedResource.isHeldThread(ofTheResource)).isFalse();
    }
}
