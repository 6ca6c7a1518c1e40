package dev.parley.node.store.postgresql;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresSettingsTest {
    @Test
    void userAndPasswordComeFromTheUserInfoOrTheQueryWhichWins() {
        PostgresSettings fromUserInfo = PostgresSettings.from(URI.create("postgresql://app:s3cret@db.example:6543/parley"));
        assertThat(fromUserInfo.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/parley");
        assertThat(fromUserInfo.properties()).containsEntry("user", "app").containsEntry("password", "s3cret");

        PostgresSettings fromQuery = PostgresSettings.from(URI.create(
                "postgresql://app@db/parley?user=other&password=p%26w&sslmode=require"));
        assertThat(fromQuery.properties()).containsEntry("user", "other").containsEntry("password", "p&w")
                .containsEntry("sslmode", "require");
        assertThat(fromQuery.jdbcUrl()).isEqualTo("jdbc:postgresql://db/parley");
    }

    @Test
    void defaultsArePostgresWithoutPasswordPublicSchemaAndItsChannel() {
        PostgresSettings s = PostgresSettings.from(URI.create("postgresql://127.0.0.1/parley"));
        assertThat(s.properties()).containsEntry("user", "postgres").doesNotContainKey("password");
        assertThat(s.schema()).isEqualTo("public");
        assertThat(s.channel()).isEqualTo("parley_appended");
        assertThat(s.poolSize()).isEqualTo(PostgresSettings.DEFAULT_POOL_SIZE);
        assertThat(s.describe()).isEqualTo("127.0.0.1/parley");

        PostgresSettings other = PostgresSettings.from(URI.create("postgresql://127.0.0.1/parley?schema=tenant_a&poolSize=4"));
        assertThat(other.channel()).isEqualTo("parley_appended_tenant_a");
        assertThat(other.poolSize()).isEqualTo(4);
        assertThat(other.properties()).doesNotContainKeys("schema", "poolSize");
    }

    @Test
    void badAddressesAreRefusedWithWhatIsExpected() {
        assertThatThrownBy(() -> PostgresSettings.from(URI.create("postgresql://127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a host and a database");
        assertThatThrownBy(() -> PostgresSettings.from(URI.create("postgresql://127.0.0.1/db?schema=Robert%27;DROP")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
        assertThatThrownBy(() -> PostgresSettings.from(URI.create("postgresql://127.0.0.1/db?poolSize=1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize");
        assertThatThrownBy(() -> PostgresSettings.from(URI.create("postgresql://127.0.0.1/db?novalue")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name=value");
    }

    @Test
    void hintsRoundTripAndForeignPayloadsAreIgnored() {
        assertThat(Hint.parse(Hint.appended("n1", 42, "conv/a:b"))).contains(new Hint('a', "n1", 42, "conv/a:b"));
        assertThat(Hint.parse(Hint.conversationChanged("n1", "c1"))).contains(new Hint('c', "n1", 0, "c1"));
        assertThat(Hint.parse("hello")).isEmpty();
        assertThat(Hint.parse("a:n1:x:t")).isEmpty();
        assertThat(Hint.parse(null)).isEmpty();
        assertThat(Hint.fits("a:n1:1:" + "t".repeat(7_992))).isTrue();
        assertThat(Hint.fits("a:n1:1:" + "t".repeat(7_993))).isFalse();
        assertThat(Hint.fits("a:n1:1:" + "é".repeat(3_997))).isFalse();
    }
}
