package io.graphwal.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link WalListener#all} hands every event, of every method the interface has, to every listener. */
class CompositeWalListenerTest {

    @Test
    void theCompositeOverridesEveryMethodOfTheInterface() {
        for (Method method : WalListener.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            assertThat(declares(method)).as("CompositeWalListener overrides %s", method.getName()).isTrue();
        }
    }

    @Test
    void everyEventReachesEveryListenerInOrder() throws Exception {
        List<String> calls = new ArrayList<>();
        WalListener all = WalListener.all(List.of(recorder("first", calls), recorder("second", calls)));
        int methods = 0;
        for (Method method : WalListener.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            method.invoke(all, arguments(method));
            methods++;
            assertThat(calls).as(method.getName()).endsWith("first." + method.getName(),
                    "second." + method.getName());
        }
        assertThat(calls).hasSize(2 * methods);
    }

    @Test
    void noneOrOneListenerNeedsNoComposite() {
        assertThat(WalListener.all(List.of())).isSameAs(WalListener.NONE);
        WalListener only = new WalListener() {
        };
        assertThat(WalListener.all(List.of(only))).isSameAs(only);
    }

    private static boolean declares(Method method) {
        try {
            CompositeWalListener.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static WalListener recorder(String name, List<String> calls) {
        return (WalListener) Proxy.newProxyInstance(WalListener.class.getClassLoader(),
                new Class<?>[] {WalListener.class}, (proxy, method, args) -> {
                    calls.add(name + "." + method.getName());
                    return null;
                });
    }

    private static Object[] arguments(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            values[i] = type == long.class ? 1L : type == int.class ? 1 : type == SyncMode.class ? SyncMode.GROUP
                    : null;
        }
        return values;
    }
}
