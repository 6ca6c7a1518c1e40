package dev.parley.tck.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long the fuzzing properties run, and how to replay one: {@code -Dparley.fuzz.tries=N} tries
 * per property (default {@value #DEFAULT_TRIES}, small enough for CI), {@code -Dparley.fuzz.seed=S}
 * runs with jqwik's seed {@code S}. A failing property logs the seed and the command that replays it.
 */
public final class FuzzSettings implements AroundPropertyHook {
    private static final Logger log = LoggerFactory.getLogger(FuzzSettings.class);
    static final int DEFAULT_TRIES = 12;
    static final String TRIES = "parley.fuzz.tries";
    static final String SEED = "parley.fuzz.seed";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        context.attributes().setTries(Integer.getInteger(TRIES, DEFAULT_TRIES));
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

    /** Runs inside jqwik's own hooks, so the seed and tries set here are the ones used. */
    @Override
    public int aroundPropertyProximity() {
        return -100;
    }
}
