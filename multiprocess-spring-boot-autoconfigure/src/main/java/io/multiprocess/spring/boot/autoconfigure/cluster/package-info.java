/**
 * The cluster pool: a {@code ClusterPool} over the application's {@code HazelcastInstance}, with its health, meters
 * and section of the {@code multiprocess} endpoint.
 */
package io.multiprocess.spring.boot.autoconfigure.cluster;
