package io.vmclone.testsupport;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One costly resource per test JVM (a broker, an API server): started on first use, held in JUnit's root store
 * rather than a static field, and closed when the JVM's test run ends.
 */
public final class PerJvm {
    private PerJvm() {}

    private record Holder<T extends AutoCloseable>(T value) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            value.close();
        }
    }

    /** The JVM's one {@code type}, started with {@code start} the first time it is asked for. */
    @SuppressWarnings("unchecked")
    public static <T extends AutoCloseable> T get(ExtensionContext context, Class<T> type, Supplier<T> start) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(PerJvm.class, type));
        return ((Holder<T>) store.getOrComputeIfAbsent(type, k -> new Holder<>(start.get()), Holder.class)).value();
    }
}
