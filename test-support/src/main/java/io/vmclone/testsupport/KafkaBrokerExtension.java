package io.vmclone.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link KafkaBroker}: one broker per test JVM, started on first use, stopped when the
 * JVM's test run ends (held in JUnit's root store, not in a static field).
 */
public final class KafkaBrokerExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    public static KafkaBroker broker(ExtensionContext context) {
        return PerJvm.get(context, KafkaBroker.class, KafkaBroker::start);
    }
}
