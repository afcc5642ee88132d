package io.multiprocess.reduction;

/**
 * Kryo, except that it refuses to reduce a chunk's ints packed into an array, with an exception that is not a
 * {@link ReductionException}: a custom reducer that fails the pool task rehearsal (whose map chunk is ints) while it
 * serves tasks of other types.
 */
public class NoIntArraysReducer implements Reducer {

    private final KryoReducer kryo = new KryoReducer();

    @Override
    public String name() {
        return "no-int-arrays";
    }

    @Override
    public byte[] dumps(Object value) {
        if (value.getClass().getName().equals("io.multiprocess.internal.pool.PackedItems$Ints")) {
            throw new IllegalStateException("this reducer does not carry packed ints");
        }
        return kryo.dumps(value);
    }

    @Override
    public Object loads(byte[] bytes, int offset, int length) {
        return kryo.loads(bytes, offset, length);
    }
}
