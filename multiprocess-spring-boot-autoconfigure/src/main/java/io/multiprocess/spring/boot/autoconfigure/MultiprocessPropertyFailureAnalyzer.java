package io.multiprocess.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link MultiprocessPropertyException} into Spring Boot's "APPLICATION FAILED TO START" report. */
class MultiprocessPropertyFailureAnalyzer extends AbstractFailureAnalyzer<MultiprocessPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MultiprocessPropertyException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }
}
