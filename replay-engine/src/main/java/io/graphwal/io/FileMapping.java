package io.graphwal.io;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A shared, writable memory mapping of a region of a file, which can be released on demand.
 *
 * <p>The JDK releases a {@link MappedByteBuffer} only when the garbage collector finds it unreachable, which
 * may be long after the log has finished with a segment; meanwhile a purged segment would keep its disk blocks
 * and a trimmed one its address range. So a mapping is made in the way the running JDK can release: from Java
 * 22 on, through a shared {@code java.lang.foreign.Arena}, whose {@code close()} unmaps safely (a later access
 * throws instead of faulting); before that, by handing the buffer to {@code sun.misc.Unsafe.invokeCleaner}
 * (public, not deprecated there, and without warnings), which unmaps at once and so must only be called when
 * no thread can touch the buffer again. The foreign-memory API is reached through method handles because the
 * code is compiled for Java 17. If neither is available the mapping is left to the garbage collector.
 *
 * <p>Not thread-safe: the owner serialises {@link #release()} with every other use.
 */
final class FileMapping {

    private static final Releaser RELEASER = Releaser.forThisJdk();

    private final MappedByteBuffer buffer;
    private final Object arena;

    private FileMapping(MappedByteBuffer buffer, Object arena) {
        this.buffer = buffer;
        this.arena = arena;
    }

    /**
     * Maps {@code [position, position + size)} of the channel's file for reading and writing. The region should
     * lie within the file: the JDK grows a shorter file to reach it.
     */
    static FileMapping map(FileChannel channel, long position, long size) throws IOException {
        return RELEASER.map(channel, position, size);
    }

    /** The mapped bytes, index 0 being the region's first byte. */
    MappedByteBuffer buffer() {
        return buffer;
    }

    /** Unmaps. Unwritten changes stay in the page cache; nothing may use {@link #buffer()} afterwards. */
    void release() {
        RELEASER.release(this);
    }

    /** How mappings are made and released on the running JDK. */
    private abstract static class Releaser {

        /** A plain mapping; the Java 22 releaser maps into an arena instead. */
        FileMapping map(FileChannel channel, long position, long size) throws IOException {
            return new FileMapping(channel.map(FileChannel.MapMode.READ_WRITE, position, size), null);
        }

        abstract void release(FileMapping mapping);

        static Releaser forThisJdk() {
            try {
                if (Runtime.version().feature() >= 22) {
                    return new ArenaReleaser();
                }
                return new CleanerReleaser();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new GarbageCollectorReleaser();
            }
        }
    }

    /** Java 22 and later: map into a shared arena and close it. */
    private static final class ArenaReleaser extends Releaser {
        private final MethodHandle ofShared;
        private final MethodHandle mapInto;
        private final MethodHandle asByteBuffer;
        private final MethodHandle close;

        ArenaReleaser() throws ReflectiveOperationException {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            ofShared = lookup.findStatic(arena, "ofShared", MethodType.methodType(arena));
            mapInto = lookup.findVirtual(FileChannel.class, "map",
                    MethodType.methodType(segment, FileChannel.MapMode.class, long.class, long.class, arena));
            asByteBuffer = lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class));
            close = lookup.findVirtual(arena, "close", MethodType.methodType(void.class));
        }

        @Override
        FileMapping map(FileChannel channel, long position, long size) throws IOException {
            Object arena = invoke(ofShared);
            try {
                Object segment = invoke(mapInto, channel, FileChannel.MapMode.READ_WRITE, position, size, arena);
                return new FileMapping((MappedByteBuffer) invoke(asByteBuffer, segment), arena);
            } catch (IOException | RuntimeException | Error e) {
                callHook(close, arena);
                throw e;
            }
        }

        @Override
        void release(FileMapping mapping) {
            callHook(close, mapping.arena);
        }
    }

    /** Java 17 to 21: a plain mapping, unmapped through the JDK's unsupported cleaner hook. */
    private static final class CleanerReleaser extends Releaser {
        private final MethodHandle invokeCleaner;

        CleanerReleaser() throws ReflectiveOperationException {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            invokeCleaner = MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(theUnsafe.get(null));
        }

        @Override
        void release(FileMapping mapping) {
            callHook(invokeCleaner, mapping.buffer);
        }
    }

    /** Neither hook is available: the mapping goes when the garbage collector collects the buffer. */
    private static final class GarbageCollectorReleaser extends Releaser {
        @Override
        void release(FileMapping mapping) {
            // Nothing to do: dropping the reference is all that can be done.
        }
    }

    /** Calls a method handle, letting unchecked and I/O exceptions through as they are. */
    private static Object invoke(MethodHandle handle, Object... arguments) throws IOException {
        try {
            return handle.invokeWithArguments(arguments);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Unexpected failure of " + handle + ": " + e, e);
        }
    }

    /** Calls a release hook, which declares no checked exception. */
    private static void callHook(MethodHandle handle, Object argument) {
        try {
            handle.invoke(argument);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Unexpected failure of " + handle + ": " + e, e);
        }
    }
}
