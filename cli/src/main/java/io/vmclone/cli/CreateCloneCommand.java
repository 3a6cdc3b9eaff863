package io.vmclone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vmclone create clone}: prints a VirtualMachineClone manifest, flag-compatible with
 * {@code virtctl create clone}, plus {@code --patch}, {@code --volume-name-policy} and {@code --api-group}.
 */
@Command(name = "clone", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a VirtualMachineClone manifest (virtctl create clone compatible).",
                "Example: vmclone create clone --source-name fedora --target-name fedora-2 --new-mac-address default:02:00:00:00:00:01 | kubectl apply -f -"})
final class CreateCloneCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the clone object (default: clone-<5 random>).")
    String name;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace written into the manifest (default: none).")
    String namespace;

    @Option(names = "--source-name", paramLabel = "NAME", description = "Name of the source VM or snapshot (required).")
    String sourceName;

    @Option(names = "--target-name", paramLabel = "NAME", description = "Name of the target VM (default: generated).")
    String targetName;

    @Option(names = "--api-group", paramLabel = "GROUP",
            description = "vmclone.io (default), clone.kubevirt.io for KubeVirt's own controller, or another group.")
    String apiGroup;

    @Mixin
    SpecFlags flags;

    enum Output { yaml, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml", description = "yaml (default) or json.")
    Output output;

    @Override
    public Integer call() throws JsonProcessingException {
        String group = ApiGroups.resolve(apiGroup);
        CloneSpec cloneSpec = flags.toSpec(sourceName, targetName);
        String cloneName = name == null || name.isEmpty() ? Names.randomCloneName() : name;
        if (!io.vmclone.schemas.validation.CloneSpecValidator.isDns1123Label(cloneName) && !isDnsSubdomain(cloneName)) {
            throw UsageException.field("--name", "'" + cloneName + "' is not a valid object name (lowercase letters, digits, '-', '.')");
        }
        GenericKubernetesResource clone = VirtualMachineClones.newResource(group, emptyToNull(namespace), cloneName, cloneSpec, null);
        spec.commandLine().getOut().print(output == Output.json
                ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(clone) + "\n" : CliYaml.MAPPER.writeValueAsString(clone));
        spec.commandLine().getOut().flush();
        return Vmclone.OK;
    }

    static boolean isDnsSubdomain(String name) {
        return name.length() <= 253 && name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
