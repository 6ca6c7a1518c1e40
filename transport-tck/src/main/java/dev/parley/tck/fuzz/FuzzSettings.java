package dev.parley.tck.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How to replay a fuzzing property: {@code -Dparley.fuzz.seed=S} runs it with jqwik's seed {@code S};
 * a failing property logs its seed and the command that replays it. (Tries per property are jqwik's
 * {@code jqwik.tries.default}, which the build sets from {@code -Dparley.fuzz.tries=N}, 12 by default.)
 */
public final class FuzzSettings implements AroundPropertyHook {
    private static final Logger log = LoggerFactory.getLogger(FuzzSettings.class);
    static final String SEED = "parley.fuzz.seed";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String seed = System.getProperty(SEED);
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed.trim());
        }
        PropertyExecutionResult result = property.execute();
        if (result.status() == PropertyExecutionResult.Status.FAILED) {
            log.error("fuzzing property {} failed with seed {}; replay: mvn test -Dtest='{}' -D{}={}",
                    context.extendedLabel(), result.seed().orElse("?"), context.containerClass().getSimpleName(),
                    SEED, result.seed().orElse("?"));
        }
        return result;
    }

    /** Registered on a suite class, it serves that class's properties. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    /** Outside the hooks that run the property, so the seed set here is the one used. */
    @Override
    public int aroundPropertyProximity() {
        return -100;
    }
}
