package dev.parley.core.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testng.ITestResult;
import org.testng.TestListenerAdapter;
import org.testng.TestNG;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Reactive Streams TCK ({@link StreamPublisherVerification}, TestNG) and requires every
 * rule to pass: no failure, and nothing skipped but the TCK's optional rules (multicast, which a
 * stream's single consumer does not offer) and rules it cannot verify ("untested").
 */
@Timeout(300)
class StreamPublisherTckTest {
    @Test
    void asPublisherKeepsEveryReactiveStreamsRule() {
        TestListenerAdapter results = new TestListenerAdapter();
        TestNG testng = new TestNG(false);
        testng.setTestClasses(new Class<?>[] {StreamPublisherVerification.class});
        testng.setUseDefaultListeners(false);
        testng.setVerbose(0);
        testng.addListener(results);
        testng.run();

        List<String> passed = names(results.getPassedTests());
        List<String> skipped = names(results.getSkippedTests());
        System.out.printf("Reactive Streams TCK on asPublisher(): %d passed, %d failed, %d skipped %s%n",
                passed.size(), results.getFailedTests().size(), skipped.size(), skipped);
        assertThat(results.getFailedTests()).as("failed rules")
                .extracting(r -> r.getName() + ": " + r.getThrowable()).isEmpty();
        assertThat(skipped).as("only optional or unverifiable rules may be skipped")
                .allMatch(name -> name.startsWith("optional_spec111") || name.startsWith("untested_"));
        assertThat(passed).as("required rules that ran")
                .filteredOn(name -> name.startsWith("required_")).hasSizeGreaterThanOrEqualTo(20);
    }

    private static List<String> names(List<ITestResult> results) {
        return results.stream().map(ITestResult::getName).sorted().collect(Collectors.toList());
    }
}
