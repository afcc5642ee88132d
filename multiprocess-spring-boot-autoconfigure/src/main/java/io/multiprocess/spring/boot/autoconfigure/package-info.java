/**
 * Spring Boot auto-configuration for multiprocess: properties, beans, lifecycle, health and metrics. Filled in by
 * the starter issue; the module exists now so the build and the starter's shape are fixed.
 */
package io.multiprocess.spring.boot.autoconfigure;
