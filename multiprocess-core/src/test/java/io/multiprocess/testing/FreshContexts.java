package io.multiprocess.testing;

import io.multiprocess.BaseContext;
import io.multiprocess.ForkServerContext;
import io.multiprocess.Multiprocess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Contexts of their own for tests that change settings, closed (idle spares stopped) after each test. Use as
 * {@code @RegisterExtension final FreshContexts contexts = new FreshContexts();}.
 */
public final class FreshContexts implements AfterEachCallback {

    private final List<BaseContext> created = new ArrayList<>();

    /** A new context for {@code spawn} or {@code forkserver}. */
    public BaseContext create(String method) {
        BaseContext context = Multiprocess.newContext(method);
        created.add(context);
        return context;
    }

    /** A new forkserver context. */
    public ForkServerContext forkServer() {
        return (ForkServerContext) create("forkserver");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        created.forEach(BaseContext::close);
        created.clear();
    }
}
