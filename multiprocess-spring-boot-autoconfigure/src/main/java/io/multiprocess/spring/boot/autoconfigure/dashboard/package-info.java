/**
 * The live dashboard ({@code multiprocess.dashboard.enabled=true}): a read-only page of every pool's workers,
 * running calls, throughput, latency and recent failures, and the JSON it polls
 * ({@link io.multiprocess.spring.boot.autoconfigure.dashboard.DashboardData}), kept by pool listeners
 * ({@link io.multiprocess.spring.boot.autoconfigure.dashboard.PoolHistory}) in bounded memory.
 */
package io.multiprocess.spring.boot.autoconfigure.dashboard;
