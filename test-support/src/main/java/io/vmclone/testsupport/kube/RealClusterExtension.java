package io.vmclone.testsupport.kube;

import java.nio.file.Path;
import io.vmclone.testsupport.PerJvm;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link RealCluster}: one real kube-apiserver + etcd per test JVM, started on first use (building
 * the binaries the first time on a machine), stopped when the JVM's test run ends. Tests share it, so each
 * uses namespaces of its own ({@link RealCluster#newNamespace}).
 */
public final class RealClusterExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RealCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    public static RealCluster cluster(ExtensionContext context) {
        return PerJvm.get(context, RealCluster.class, () -> RealCluster.start(Path.of("target", "kube-api")));
    }
}
