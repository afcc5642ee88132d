package io.multiprocess;

import io.multiprocess.internal.launch.ForkServerStarter;
import io.multiprocess.internal.launch.LaunchSettings;
import io.multiprocess.internal.launch.ProcessStarter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code forkserver} start method, the default on Linux and macOS. A JVM cannot fork, so instead warm spare
 * JVMs are kept ready: each has booted, authenticated, loaded and initialized the
 * {@linkplain #setForkserverPreload(List) preload classes}, and waits. {@code start()} hands one over at once and
 * a replacement is launched in the background. Spares are launched on first use.
 *
 * <pre>{@code
 * ForkServerContext ctx = (ForkServerContext) Multiprocess.getContext("forkserver");
 * ctx.setForkserverPreload(List.of("com.example.HeavyModel"));
 * ctx.setSpares(2);
 * }</pre>
 */
public final class ForkServerContext extends BaseContext {

    public static final String METHOD = "forkserver";
    private static final Pattern CLASS_NAME =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
                    + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

    private volatile List<String> preload = List.of();
    private volatile int spares = 1;

    @Override
    public String getStartMethod() {
        return METHOD;
    }

    /**
     * Sets the classes every spare loads and initializes before it takes work (Python's
     * {@code set_forkserver_preload}, with class names for module names).
     *
     * @throws IllegalArgumentException if the list or a name is null, a name is not a class name, or a class is
     *     not on this JVM's classpath (children run the same classpath, so it would not be found there either)
     */
    public void setForkserverPreload(List<String> classNames) {
        if (classNames == null) {
            throw new IllegalArgumentException("forkserver preload must be a list of class names, not null");
        }
        List<String> checked = new ArrayList<>(classNames.size());
        for (String name : classNames) {
            if (name == null || !CLASS_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("forkserver preload entry " + (name == null ? "null" : "'" + name
                        + "'") + " is not a class name; give fully qualified names such as 'com.example.Model'");
            }
            try {
                Class.forName(name, false, classLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException("forkserver preload class '" + name + "' is not on the "
                        + "classpath (" + e + "); child JVMs run this JVM's classpath, so add it there", e);
            }
            checked.add(name);
        }
        this.preload = List.copyOf(checked);
        settingsChanged();
    }

    public List<String> getForkserverPreload() {
        return preload;
    }

    /** How many warm JVMs to keep ready (default 1); raise it when processes are started in bursts. */
    public void setSpares(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("spares must be at least 1, got " + count);
        }
        this.spares = count;
        settingsChanged();
    }

    public int getSpares() {
        return spares;
    }

    @Override
    List<String> preloadedClasses() {
        return preload;
    }

    @Override
    ProcessStarter newStarter(LaunchSettings settings) {
        return new ForkServerStarter(settings, spares);
    }

    @Override
    BaseContext newEmptyCopy() {
        return new ForkServerContext();
    }

    @Override
    BaseContext copy() {
        ForkServerContext copy = (ForkServerContext) super.copy();
        // The preload list, not the spare count: a copy (a pool's own workers) keeps one spare, replaced as used.
        copy.preload = preload;
        return copy;
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ForkServerContext.class.getClassLoader();
    }
}
