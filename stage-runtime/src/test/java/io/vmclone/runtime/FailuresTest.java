package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which API failures the stages retry: the ones that a later attempt can fix. */
class FailuresTest {
    @ParameterizedTest(name = "HTTP {0} transient={1}")
    @CsvSource({"500,true", "503,true", "429,true", "409,false", "404,false", "422,false", "400,false", "403,false"})
    void apiServerAnswers(int code, boolean transientFailure) {
        var e = new KubernetesClientException(new StatusBuilder().withCode(code).withMessage("m").build());
        assertThat(Failures.isTransient(e)).isEqualTo(transientFailure);
    }

    @Test
    void noAnswerAtAllIsTransient() {
        // fabric8 reports a request timeout or a refused connection without an HTTP code.
        var timeout = new KubernetesClientException("The timeout period of 10000ms has been exceeded", new TimeoutException());
        assertThat(timeout.getCode()).isLessThanOrEqualTo(0);
        assertThat(Failures.isTransient(timeout)).isTrue();
        assertThat(Failures.isTransient(new IOException("connection reset"))).isTrue();
        assertThat(Failures.isTransient(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void describeUsesTheApiServersMessage() {
        var e = new KubernetesClientException(new StatusBuilder().withCode(422)
                .withMessage("VirtualMachine.kubevirt.io \"x\" is invalid: spec.template: Required value").build());
        assertThat(Failures.describe(e)).isEqualTo("VirtualMachine.kubevirt.io \"x\" is invalid: spec.template: Required value");
    }

    @Test
    void aFailureOnAnotherThreadKeepsWhatMattersForRetryingIt() {
        KubernetesClientException conflict = new KubernetesClientException("conflict", 409, null);
        assertThat(Failures.unwrap(new java.util.concurrent.ExecutionException(conflict))).isSameAs(conflict);
        RuntimeException wrapped = Failures.unwrap(new java.util.concurrent.ExecutionException(new IOException("reset")));
        assertThat(Failures.isTransient(wrapped)).as("a checked I/O failure stays transient").isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Failures.unwrap(
                new java.util.concurrent.ExecutionException(new OutOfMemoryError("x")))).isInstanceOf(OutOfMemoryError.class);
    }
}
