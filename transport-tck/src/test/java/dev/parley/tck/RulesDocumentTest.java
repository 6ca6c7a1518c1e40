package dev.parley.tck;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** RULES.md and the suites agree: every rule names the one test that checks it, every test has its rule. */
class RulesDocumentTest {
    /** A rule row: {@code | 2.01 | required | text | `TransportContract#required_rule2_01_x` |}. */
    private static final Pattern ROW =
            Pattern.compile("^\\| (\\d)\\.(\\d\\d) \\| (required|optional)[^|]* \\|.*\\| `(\\w+)#(\\w+)` \\|$");
    private static final Pattern TEST_NAME = Pattern.compile("^(required|optional)_rule(\\d)_(\\d\\d)_\\w+$");

    /** {@code kind rule Class#method}, e.g. {@code required 2.01 TransportContract#required_rule2_01_x}. */
    private static String entry(String kind, String group, String number, String test) {
        return kind + " " + group + "." + number + " " + test;
    }

    private static Set<String> documented() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("RULES.md"));
        Set<String> rules = new TreeSet<>();
        for (String line : lines) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                assertThat(rules.add(entry(row.group(3), row.group(1), row.group(2), row.group(4) + "#" + row.group(5))))
                        .as("listed twice: %s", line).isTrue();
            } else {
                assertThat(line).as("a rule row this test cannot read").doesNotMatch("^\\| \\d\\..*");
            }
        }
        return rules;
    }

    private static Stream<Method> tests() {
        return Stream.of(TransportContract.class, ReliabilityContract.class, MembershipContract.class)
                .flatMap(suite -> Arrays.stream(suite.getDeclaredMethods()))
                .filter(m -> m.isAnnotationPresent(Test.class));
    }

    @Test
    void everyRuleNamesItsTestAndEveryTestItsRule() throws IOException {
        Set<String> checked = tests().map(m -> {
            Matcher name = TEST_NAME.matcher(m.getName());
            assertThat(name.matches()).as("%s is named after a rule", m.getName()).isTrue();
            return entry(name.group(1), name.group(2), name.group(3), m.getDeclaringClass().getSimpleName() + "#" + m.getName());
        }).collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = documented();
        assertThat(documented).as("rules in RULES.md").isNotEmpty();
        assertThat(checked).isEqualTo(documented);
    }

    @Test
    void everyTestIsDisplayedWithItsRuleNumber() {
        tests().forEach(m -> {
            Matcher name = TEST_NAME.matcher(m.getName());
            assertThat(name.matches()).as("%s is named after a rule", m.getName()).isTrue();
            assertThat(m.getAnnotation(DisplayName.class)).as("@DisplayName of %s", m.getName()).isNotNull();
            assertThat(m.getAnnotation(DisplayName.class).value()).startsWith(name.group(2) + "." + name.group(3) + " ");
        });
    }
}
