package dev.parley.checks.build;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * parley-checks has no parent (it resolves Parley as a BOM user does), so it repeats some of the root pom's
 * versions; they must not drift apart. The consumer project builds with this module's plugin versions.
 */
class ChecksFollowRootVersionsTest {
    private final Reactor reactor = Reactor.current();
    private final Pom checks = reactor.module("parley-checks").pom();

    @Test
    void versionPropertiesSharedWithTheRootPomAreEqual() {
        Map<String, String> root = reactor.rootPom().properties();
        Map<String, String> shared = checks.properties();
        shared.keySet().retainAll(root.keySet());

        assertThat(shared).isNotEmpty().allSatisfy((name, value) -> assertThat(value).as(name).isEqualTo(root.get(name)));
    }

    @Test
    void pluginsSharedWithTheRootPomHaveTheSameVersion() {
        Map<String, String> root = reactor.rootPom().pluginVersions();
        Map<String, String> shared = checks.pluginVersions();
        shared.keySet().retainAll(root.keySet());

        assertThat(shared).containsKeys("maven-compiler-plugin", "maven-surefire-plugin", "maven-jar-plugin")
                .allSatisfy((plugin, version) -> assertThat(version).as(plugin).isEqualTo(root.get(plugin)));
    }

    @Test
    void checksHasTheReactorVersion() {
        assertThat(checks.version()).isEqualTo(reactor.version());
    }
}
