package io.multiprocess.reduction;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.function.SerializableCallable;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A listener's address reaches the processes that connect to it, whatever the reducer. */
class SocketAddressReductionTest {

    static Stream<Reducer> reducers() {
        return ReducerContractTest.reducers();
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void socketAddressesTravelCapturedByALambda(Reducer reducer) throws Exception {
        SocketAddress unix = UnixDomainSocketAddress.of("/tmp/mp-test/listener-1.sock");
        SocketAddress tcp = new InetSocketAddress("127.0.0.1", 4321);
        SerializableCallable<List<SocketAddress>> task = () -> List.of(unix, tcp);

        @SuppressWarnings("unchecked")
        List<SocketAddress> copy = ((SerializableCallable<List<SocketAddress>>) reducer.loads(reducer.dumps(task)))
                .call();

        assertThat(copy.get(0)).isEqualTo(unix);
        InetSocketAddress tcpCopy = (InetSocketAddress) copy.get(1);
        // Jackson sends host and port only, so its copy is unresolved; Client.connect resolves it.
        assertThat(tcpCopy.getHostString()).isEqualTo("127.0.0.1");
        assertThat(tcpCopy.getPort()).isEqualTo(4321);
    }
}
