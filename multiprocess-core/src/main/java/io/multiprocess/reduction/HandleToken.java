package io.multiprocess.reduction;

import java.io.Serializable;

/**
 * The travelling form of a {@link SharedHandle}: a small record (names, addresses, ids; never the resource's
 * content) that every reducer can carry.
 */
public interface HandleToken extends Serializable {

    /** A handle on the resource in the process that received this token. */
    SharedHandle resolve();
}
