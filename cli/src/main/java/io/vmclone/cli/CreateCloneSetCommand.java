package io.vmclone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.sets.CloneSetSpec;
import io.vmclone.schemas.sets.CloneSets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vmclone create cloneset}: prints a VirtualMachineCloneSet manifest (a vmclone extension: N clones of one source). */
@Command(name = "cloneset", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a VirtualMachineCloneSet manifest: --replicas clones of one source, targets named by a pattern.",
                "Example: vmclone create cloneset --name runners --source-name golden --replicas 20 --target-name-pattern 'runner-{index:02}' | kubectl apply -f -"})
final class CreateCloneSetCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the set; its clones are <name>-<index>.")
    String name;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace written into the manifest (default: none).")
    String namespace;

    @Option(names = "--source-name", required = true, paramLabel = "NAME", description = "Name of the source VM or snapshot.")
    String sourceName;

    @Option(names = "--replicas", required = true, paramLabel = "N", description = "How many clones (0 to 1000).")
    int replicas;

    @Option(names = "--target-name-pattern", paramLabel = "PATTERN",
            description = "Target VM names, with {index} or {index:0N} (zero-padded) once. Default: <name>-{index}.")
    String targetNamePattern;

    @Mixin
    SpecFlags flags;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml", description = "yaml (default) or json.")
    CreateCloneCommand.Output output;

    @Override
    public Integer call() throws JsonProcessingException {
        if (!CreateCloneCommand.isDnsSubdomain(name)) {
            throw UsageException.field("--name", "'" + name + "' is not a valid object name (lowercase letters, digits, '-', '.')");
        }
        CloneSetSpec set = CloneSetSpecs.of(flags, sourceName, replicas, targetNamePattern, "--target-name-pattern", name);
        GenericKubernetesResource resource = CloneSets.newResource(namespace == null || namespace.isEmpty() ? null : namespace, name, set);
        spec.commandLine().getOut().print(output == CreateCloneCommand.Output.json
                ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(resource) + "\n" : CliYaml.MAPPER.writeValueAsString(resource));
        spec.commandLine().getOut().flush();
        return Vmclone.OK;
    }
}
