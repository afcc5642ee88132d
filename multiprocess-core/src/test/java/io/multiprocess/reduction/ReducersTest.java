package io.multiprocess.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReducersTest {

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "KRYO", "java", "Java", "jackson", "JACKSON"})
    void builtInsAreFoundByNameInAnyCase(String name) {
        Reducer reducer = Reducers.byName(name);

        assertThat(reducer.name()).isEqualToIgnoringCase(name);
        assertThat(Reducers.nameOf(reducer)).isEqualTo(name.toLowerCase());
    }

    @Test
    void eachCallCreatesANewReducer() {
        assertThat(Reducers.byName("kryo")).isNotSameAs(Reducers.byName("kryo"));
    }

    @Test
    void defaultIsKryo() {
        assertThat(Reducers.defaultReducer()).isInstanceOf(KryoReducer.class);
    }

    @Test
    void customReducerIsCreatedFromItsClassName() {
        Reducer custom = new CustomReducer();

        String name = Reducers.nameOf(custom);
        Reducer recreated = Reducers.byName(name);

        assertThat(name).isEqualTo(CustomReducer.class.getName());
        assertThat(recreated).isInstanceOf(CustomReducer.class);
        assertThat(recreated.loads(custom.dumps("hi"))).isEqualTo("hi");
    }

    @Test
    void unknownNameListsTheValidNames() {
        assertThatThrownBy(() -> Reducers.byName("protobuf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown reducer 'protobuf'")
                .hasMessageContaining("'kryo'").hasMessageContaining("'java'").hasMessageContaining("'jackson'")
                .hasMessageContaining("fully qualified name of a class implementing " + Reducer.class.getName());
    }

    @Test
    void classThatIsNotAReducerIsRejected() {
        assertThatThrownBy(() -> Reducers.byName(String.class.getName()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String does not implement it");
    }

    @Test
    void reducerWithoutNoArgConstructorIsRejected() {
        assertThatThrownBy(() -> Reducers.byName(KryoReducerNeedingArgument.class.getName()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a public no-argument constructor");
    }

    public static final class KryoReducerNeedingArgument extends CustomReducer {
        public KryoReducerNeedingArgument(String argument) {
        }
    }

    @Test
    void jacksonMissingFromTheClasspathIsExplained() throws Exception {
        try (URLClassLoader withoutJackson = new URLClassLoader(classpathWithout("jackson"),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> reducers = withoutJackson.loadClass(Reducers.class.getName());
            Object kryo = reducers.getMethod("byName", String.class).invoke(null, "kryo");

            assertThat(reducers.getMethod("nameOf", withoutJackson.loadClass(Reducer.class.getName()))
                    .invoke(null, kryo)).isEqualTo("kryo");
            assertThatThrownBy(() -> reducers.getMethod("byName", String.class).invoke(null, "jackson"))
                    .isInstanceOf(InvocationTargetException.class)
                    .cause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("add the dependency tools.jackson.core:jackson-databind");
        }
    }

    private static URL[] classpathWithout(String excluded) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.contains(excluded)) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
