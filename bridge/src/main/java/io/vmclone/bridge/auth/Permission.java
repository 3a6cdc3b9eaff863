package io.vmclone.bridge.auth;

/** One Kubernetes permission a request needs, as a SubjectAccessReview's resource attributes. */
public record Permission(String verb, String group, String resource, String namespace, String name) {
    /** e.g. {@code get virtualmachines.kubevirt.io "fedora" in namespace "default"}. */
    public String describe() {
        return verb + " " + resource + "." + group + (name == null ? "" : " \"" + name + "\"")
                + " in namespace \"" + namespace + "\"";
    }
}
