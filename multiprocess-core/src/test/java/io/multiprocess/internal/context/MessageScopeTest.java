package io.multiprocess.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a value reducing itself learns about what is being sent: the kinds nest and end with their scope. */
class MessageScopeTest {

    private final Reducer reducer = Reducers.byName("java");

    @Test
    void outsideAnyScopeNothingIsBeingSent() {
        assertThat(MessageScope.within(MessageScope.Kind.MESSAGE)).isFalse();
        assertThat(MessageScope.within(MessageScope.Kind.MANAGER_CALL)).isFalse();
    }

    @Test
    void aMessageInsideAManagerCallIsBothAndEachEndsWithItsOwnScope() {
        List<String> seen = new ArrayList<>();
        MessageScope.run(MessageScope.Kind.MANAGER_CALL, () -> {
            seen.add("call:" + MessageScope.within(MessageScope.Kind.MANAGER_CALL)
                    + "," + MessageScope.within(MessageScope.Kind.MESSAGE));
            MessageScope.run(MessageScope.Kind.MESSAGE, () -> seen.add("message:"
                    + MessageScope.within(MessageScope.Kind.MANAGER_CALL) + ","
                    + MessageScope.within(MessageScope.Kind.MESSAGE)));
            seen.add("after:" + MessageScope.within(MessageScope.Kind.MANAGER_CALL)
                    + "," + MessageScope.within(MessageScope.Kind.MESSAGE));
        });
        assertThat(seen).containsExactly("call:true,false", "message:true,true", "after:true,false");
        assertThat(MessageScope.within(MessageScope.Kind.MANAGER_CALL)).isFalse();
    }

    @Test
    void aDumpIsAMessageScopeAndAFailureEndsIt() {
        assertThat(reducer.loads(MessageScope.dump(MessageScope.Kind.MESSAGE, reducer, "x"))).isEqualTo("x");
        assertThatThrownBy(() -> MessageScope.dump(MessageScope.Kind.MESSAGE, reducer, new Object()))
                .isInstanceOf(RuntimeException.class);
        assertThat(MessageScope.within(MessageScope.Kind.MESSAGE)).as("ended by the failure").isFalse();
    }

    @Test
    void aScopeIsThisThreadsOnly() throws Exception {
        boolean[] otherThreadSaw = new boolean[1];
        MessageScope.run(MessageScope.Kind.MESSAGE, () -> {
            Thread other = new Thread(() -> otherThreadSaw[0] = MessageScope.within(MessageScope.Kind.MESSAGE));
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(otherThreadSaw[0]).isFalse();
    }
}
