package dev.parley.internal;

import dev.parley.ProtocolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicsTest {
    @Test
    void everyKindComesApartIntoItsPrefixAndSubject() {
        assertThat(Topics.kind("conv/abc")).isEqualTo(Topics.CONVERSATION);
        assertThat(Topics.subject("conv/abc")).isEqualTo("abc");
        assertThat(Topics.kind(Topics.welcome("inbox1"))).isEqualTo(Topics.WELCOME);
        assertThat(Topics.subject(Topics.welcome("inbox1"))).isEqualTo("inbox1");
        assertThat(Topics.kind(Topics.preferences("inbox2"))).isEqualTo(Topics.PREFERENCES);
        assertThat(Topics.subject(Topics.preferences("inbox2"))).isEqualTo("inbox2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "conv/", "conv/a/b", "welcome", "other/x", "CONV/x", "/conv/x"})
    void whatIsNotATopicOfTheWireModelIsAProtocolError(String topic) {
        assertThatThrownBy(() -> Topics.kind(topic)).isInstanceOf(ProtocolException.class).hasMessageContaining("unknown topic");
        assertThatThrownBy(() -> Topics.subject(topic)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void topicsLongerThan256CharactersAreRefusedAndNullIsNoTopic() {
        String longest = "conv/" + "a".repeat(251);
        assertThat(Topics.subject(longest)).hasSize(251);
        assertThatThrownBy(() -> Topics.kind(longest + "a")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Topics.kind(null)).isInstanceOf(ProtocolException.class);
    }
}
