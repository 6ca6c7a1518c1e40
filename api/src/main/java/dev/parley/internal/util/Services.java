package dev.parley.internal.util;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Predicate;

/**
 * Finds providers with {@link ServiceLoader}: first with the class loader of Parley's own classes,
 * then, when none of those is wanted, with the thread's context class loader (fat jars, containers).
 */
public final class Services {
    private Services() {
    }

    /**
     * Every provider of {@code service} that {@code anchor}'s class loader sees, plus those of the
     * context class loader when none of the first is {@code wanted}.
     */
    public static <T> List<T> load(Class<T> service, Class<?> anchor, Predicate<? super T> wanted) {
        Module self = Services.class.getModule();
        if (self.isNamed() && !self.canUse(service)) {
            self.addUses(service); // on the module path a module may only load services it declares
        }
        ClassLoader own = anchor.getClassLoader();
        List<T> found = new ArrayList<>();
        ServiceLoader.load(service, own).forEach(found::add);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (found.stream().noneMatch(wanted) && context != null && context != own) {
            ServiceLoader.load(service, context).forEach(found::add);
        }
        return found;
    }
}
