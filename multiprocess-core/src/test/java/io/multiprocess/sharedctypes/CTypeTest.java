package io.multiprocess.sharedctypes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.Multiprocess;
import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The type tokens: what the compiler accepts and refuses with them (by compiling snippets against the real
 * classes), and that each token's declared type arguments agree with what it makes, which the compiler cannot
 * check for the data of the table (type code, box, size).
 */
class CTypeTest {

    private final BaseContext ctx = Multiprocess.getContext();

    @Test
    void eachTokensTypeArgumentsAreTheClassesItMakesAndItsDataMatchesItsPrimitive() throws Exception {
        List<CType<?, ?, ?, ?>> declared = new ArrayList<>();
        for (Field field : CType.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != CType.class) {
                continue;
            }
            CType<?, ?, ?, ?> type = (CType<?, ?, ?, ?>) field.get(null);
            declared.add(type);
            Type[] arguments = ((ParameterizedType) field.getGenericType()).getActualTypeArguments();
            Class<?> primitive = type.primitive();
            String name = Character.toUpperCase(primitive.getName().charAt(0)) + primitive.getName().substring(1);

            assertThat(field.getName()).isEqualTo(primitive.getName().toUpperCase(Locale.ROOT));
            assertThat(type).hasToString("CType." + field.getName());
            assertThat(arguments[0]).as("value class of %s", type)
                    .isEqualTo(Class.forName(CType.class.getPackageName() + "." + name + "Value"));
            assertThat(arguments[1]).as("array class of %s", type)
                    .isEqualTo(Class.forName(CType.class.getPackageName() + "." + name + "Array"));
            assertThat(arguments[2]).isEqualTo(type.boxed())
                    .isEqualTo(MethodType.methodType(primitive).wrap().returnType());
            assertThat(arguments[3]).isEqualTo(type.arrayType()).isEqualTo(primitive.arrayType());
            assertThat(type.byteSize()).isEqualTo(primitive == boolean.class ? 1
                    : type.boxed().getField("BYTES").getInt(null));
            assertThat(CType.of(type.typecode())).isSameAs(type);
            assertThat(CType.forClass(primitive)).containsSame(type);
            assertThat(CType.forClass(type.boxed())).containsSame(type);

            SharedValue value = ctx.rawValue(type);
            assertThat(value).isInstanceOf((Class<?>) arguments[0]);
            assertThat(value.ctype()).isSameAs(type);
            assertThat(value.getObject()).isEqualTo(type.zero()).isInstanceOf(type.boxed());
            SharedArray array = ctx.rawArray(type, 1);
            assertThat(array).isInstanceOf((Class<?>) arguments[1]);
            assertThat(array.ctype()).isSameAs(type);
        }
        assertThat(CType.values()).containsExactlyElementsOf(declared).hasSize(8);
        assertThat(CType.values().stream().map(CType::typecode).collect(Collectors.joining()))
                .isEqualTo("iqhbufd?");
        assertThat(CType.forClass(String.class)).isEmpty();
        assertThatThrownBy(() -> CType.of("x")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The body of a method {@code f(BaseContext ctx, SyncManager manager)} in a class importing sharedctypes. */
    private static String source(String className, String body) {
        return "import io.multiprocess.BaseContext;\n"
                + "import io.multiprocess.managers.SyncManager;\n"
                + "import io.multiprocess.sharedctypes.*;\n"
                + "import java.util.List;\n"
                + "class " + className + " {\n"
                + "    static <V extends SharedValue> V zeroOf(BaseContext ctx, CType<V, ?, ?, ?> type) {\n"
                + "        return ctx.rawValue(type);\n"
                + "    }\n"
                + "    void f(BaseContext ctx, SyncManager manager) {\n"
                + body + "\n"
                + "    }\n"
                + "}\n";
    }

    private static final int BODY_LINE = 10;

    @Test
    void theRightPairingsCompileWithoutAnyWarningOrCast() throws IOException {
        String body = String.join("\n",
                "IntValue hits = ctx.value(CType.INT, 0);",
                "LongValue total = ctx.rawValue(CType.LONG);",
                "ShortValue small = ctx.value(CType.SHORT, (short) 3);",
                "DoubleArray xs = ctx.array(CType.DOUBLE, 100);",
                "IntArray ys = ctx.rawArray(CType.INT, new int[] {1, 2, 3});",
                "BooleanValue flag = SharedCTypes.value(CType.BOOLEAN, true, false);",
                "var inferred = ctx.value(CType.INT, 1);",
                "int next = inferred.incrementAndGet();",
                "CharValue zero = zeroOf(ctx, CType.CHAR);",
                "SharedValue any = ctx.value(\"d\", 1.5);",
                "SharedArray anyArray = ctx.array(\"i\", new int[] {1});",
                "List<Double> samples = manager.array(CType.DOUBLE, 10);",
                "List<Character> letters = manager.array(CType.CHAR, List.of('a'));");
        Map<String, List<Diagnostic<? extends JavaFileObject>>> result = compile(Map.of("Accepted",
                source("Accepted", body)));

        assertThat(result.get("Accepted")).as("diagnostics with -Xlint:all -Werror").isEmpty();
    }

    @Test
    void aWrongPairingDoesNotCompile() throws IOException {
        Map<String, String> wrong = Map.of(
                "ValueOfAnotherClass", "DoubleValue d = ctx.value(CType.INT, 0);",
                "ArrayOfAnotherClass", "DoubleArray d = ctx.rawArray(CType.INT, 3);",
                "InitialOfAnotherType", "IntValue i = ctx.value(CType.INT, 1.5);",
                "BooleanFromANumber", "BooleanValue b = ctx.value(CType.BOOLEAN, 0);",
                "ArrayFromAnotherPrimitive", "IntArray a = ctx.array(CType.INT, new long[3]);",
                "TypeCodeToASubclass", "IntValue i = ctx.value(\"i\", 0);",
                "ManagerListOfAnotherBox", "List<Integer> l = manager.array(CType.DOUBLE, 3);",
                "FactoryOfAnotherClass", "LongValue l = SharedCTypes.value(CType.INT, 0, true);");
        Map<String, String> sources = new HashMap<>();
        wrong.forEach((name, line) -> sources.put(name, source(name, line)));

        Map<String, List<Diagnostic<? extends JavaFileObject>>> result = compile(sources);

        wrong.forEach((name, line) -> {
            List<Diagnostic<? extends JavaFileObject>> errors = result.get(name).stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
            assertThat(errors).as("errors of: %s", line).isNotEmpty()
                    .allSatisfy(error -> assertThat(error.getLineNumber()).as("%s", error).isEqualTo(BODY_LINE));
        });
    }

    /** Compiles {@code sources} (class name to text) together; the diagnostics of each, by class name. */
    private static Map<String, List<Diagnostic<? extends JavaFileObject>>> compile(Map<String, String> sources)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new SimpleJavaFileObject(URI.create("string:///" + name
                + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        }));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("ctype-snippets");
        try {
            // -path: a missing directory on the test's classpath is no concern of the snippets.
            List<String> options = List.of("-Xlint:all,-path", "-Werror", "-proc:none", "-d", out.toString(),
                    "-classpath", classpath());
            javac.getTask(null, null, diagnostics, options, null, units).call();
        } finally {
            try (Stream<Path> written = Files.walk(out)) {
                written.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Map<String, List<Diagnostic<? extends JavaFileObject>>> byClass = new HashMap<>();
        sources.keySet().forEach(name -> byClass.put(name, new ArrayList<>()));
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            String file = diagnostic.getSource() == null ? "" : diagnostic.getSource().getName();
            String name = file.substring(file.lastIndexOf('/') + 1).replace(".java", "");
            byClass.computeIfAbsent(name, unknown -> new ArrayList<>()).add(diagnostic);
        }
        assertThat(byClass.keySet()).as("diagnostics outside the snippets: %s", byClass)
                .containsExactlyInAnyOrderElementsOf(sources.keySet());
        return byClass;
    }

    /** The test's classpath, with this module's classes first (surefire may hide them in a manifest-only jar). */
    private static String classpath() {
        try {
            String classes = Path.of(CType.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            return classes + File.pathSeparator + System.getProperty("java.class.path");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
