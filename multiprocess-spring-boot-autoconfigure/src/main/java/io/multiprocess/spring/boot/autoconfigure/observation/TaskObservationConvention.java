package io.multiprocess.spring.boot.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code multiprocess.task} observations; a bean of this type replaces
 * {@link DefaultTaskObservationConvention}.
 *
 * <pre>{@code
 * @Bean
 * TaskObservationConvention withTenant() {
 *     return new DefaultTaskObservationConvention() {
 *         public KeyValues getLowCardinalityKeyValues(TaskObservationContext context) {
 *             return super.getLowCardinalityKeyValues(context).and("tenant", Tenant.current());
 *         }
 *     };
 * }
 * }</pre>
 */
public interface TaskObservationConvention extends ObservationConvention<TaskObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof TaskObservationContext;
    }
}
